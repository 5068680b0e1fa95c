/**
 * Signals end a run the same way: SIGTERM and SIGHUP like Ctrl-C, nothing left `running`, and the
 * exit code names the signal. A run whose trials all failed exits 1 with the common error once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syntheticSpaceFile, tempDir } from '../study/helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Starts a run, sends `signals` (1 s after the run's first line, then one every 300 ms), resolves on exit. */
function runAndSignal(args: string[], cwd: string, signals: NodeJS.Signals[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /study 'synthetic' ·/.test(stderr)) {
        sent = true;
        signals.forEach((s, i) => setTimeout(() => child.kill(s), 1000 + 300 * i));
      }
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

function trials(db: string, cwd: string): { state: string }[] {
  return JSON.parse(spawnSync(process.execPath, [MAIN, 'trials', 'synthetic', '--json', '--storage', db], { cwd, encoding: 'utf8' }).stdout);
}

test('SIGTERM twice: running trials are stopped and wait for a resume; exit 143', async () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 6, workers: 2, sleepMs: 20_000 });
  const db = join(dir, 'runs', 's.db');
  const r = await runAndSignal(['run', space, '--storage', db, '--no-report'], dir, ['SIGTERM', 'SIGTERM']);
  assert.is(r.code, 143, r.stderr);
  assert.match(r.stderr, /SIGTERM: launching no new trials/);
  assert.match(r.stderr, /stopped by SIGTERM; continue with 'sweetspot resume synthetic'/);
  const states = trials(db, dir).map((t) => t.state);
  assert.ok(states.length > 0 && states.every((s) => s === 'waiting'), states.join(','));
});

test('SIGHUP once: running trials finish, nothing new starts; exit 129', async () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 20, workers: 2, sleepMs: 1500 });
  const db = join(dir, 'runs', 's.db');
  const r = await runAndSignal(['run', space, '--storage', db, '--no-report'], dir, ['SIGHUP']);
  assert.is(r.code, 129, r.stderr);
  const states = trials(db, dir).map((t) => t.state);
  assert.ok(states.length < 20 && states.every((s) => s === 'complete'), states.join(','));
});

test('a run whose trials all fail exits 1 and names the most common error once', () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 5, workers: 2, modes: ['fail'] });
  const r = spawnSync(process.execPath, [MAIN, 'run', space, '--storage', join(dir, 's.db'), '--no-report'], { cwd: dir, encoding: 'utf8' });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /sweetspot: all 5 trials failed; most common error \(\d of 5\): synthetic failure at x=/);
});

test.run();
