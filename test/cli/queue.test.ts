/**
 * enqueue, the space file's `enqueue:`, and ask/tell from the command line: queued configurations
 * run before the sampler's proposals and count in the budget; an asked trial is running under a
 * lease until told; a told trial is finished for good.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syntheticSpaceFile, tempDir } from '../study/helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args, '--storage', 'runs/s.db'], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('queued configurations (space file and enqueue) run first, in order, and count in the budget', () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 4, workers: 1, extra: 'enqueue:\n  - { mode: ok, n: 2, x: 0.25 }\n' });
  const run = cli(dir, 'run', space, '--no-report', '--study', 's', '--trials', '1');
  assert.is(run.code, 0, run.stderr);
  const queued = cli(dir, 'enqueue', 's', '--params', '[{"x": 0.5, "n": 3, "mode": "ok"}, {"x": 0.75, "n": 4, "mode": "ok"}]');
  assert.is(queued.code, 0, queued.stderr);
  assert.match(queued.stdout, /queued 2 trial\(s\) in study 's': 1, 2/);
  const resumed = cli(dir, 'resume', 's', '--trials', '4', '--no-report');
  assert.is(resumed.code, 0, resumed.stderr);
  const trials = JSON.parse(cli(dir, 'trials', 's', '--json').stdout) as { params: Record<string, unknown>; state: string }[];
  assert.equal(trials.map((t) => t.params.x).slice(0, 3), [0.25, 0.5, 0.75]);
  assert.is(new Set(trials.map((t) => JSON.stringify(t.params))).size, 4, "resume did not queue the space's enqueue: list a second time");
  assert.equal(Object.keys(trials[0]!.params), ['x', 'n', 'mode'], 'stored in the space\'s parameter order');
  assert.ok(trials.every((t) => t.state === 'complete'));
});

test('ask hands out a trial under a lease, tell finishes it; both refuse what they must', () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 3, workers: 1 });
  // A study with its budget untouched: the run times out before it launches anything; then one complete trial by tell.
  const made = cli(dir, 'run', space, '--no-report', '--study', 's', '--timeout', '0.001');
  assert.is(made.code, 0, made.stderr);
  const first = JSON.parse(cli(dir, 'ask', 's').stdout) as { number: number };
  assert.is(first.number, 0);
  assert.is(cli(dir, 'tell', 's', '0', '--metrics', '{"loss": 1, "size": 2}').code, 0);
  const asked = cli(dir, 'ask', 's');
  assert.is(asked.code, 0, asked.stderr);
  const a = JSON.parse(asked.stdout) as { number: number; params: Record<string, unknown> };
  assert.is(a.number, 1);
  assert.equal(Object.keys(a.params), ['x', 'n', 'mode']);
  const b = JSON.parse(cli(dir, 'ask', 's').stdout) as { number: number; params: unknown };
  assert.is(b.number, 2);
  assert.not.equal(b.params, a.params);
  const full = cli(dir, 'ask', 's');
  assert.is(full.code, 1);
  assert.match(full.stderr, /^sweetspot: study 's' has no trial left to ask: its budget of 3 is used/);
  const running = JSON.parse(cli(dir, 'trials', 's', '--json').stdout) as { state: string; owner: string | null }[];
  assert.equal(running.map((t) => t.state), ['complete', 'running', 'running']);
  // A resume does not sit waiting for trials an asker will tell about, perhaps hours later.
  const t0 = performance.now();
  const meanwhile = cli(dir, 'resume', 's', '--no-report');
  assert.is(meanwhile.code, 0, meanwhile.stderr);
  assert.ok(performance.now() - t0 < 30_000);
  assert.equal((JSON.parse(cli(dir, 'trials', 's', '--json').stdout) as { state: string }[]).map((t) => t.state), ['complete', 'running', 'running'], 'asked trials untouched');

  const missing = cli(dir, 'tell', 's', '1', '--metrics', '{"loss": 0.5}');
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /^sweetspot: --metrics: metric 'size' missing/);
  assert.is(cli(dir, 'tell', 's', '1', '--metrics', '{"loss": 0.5, "size": 1000}').code, 0);
  const told = cli(dir, 'tell', 's', '2', '--failed', 'out of GPU memory on the cluster');
  assert.is(told.code, 0, told.stderr);
  const again = cli(dir, 'tell', 's', '1', '--failed', 'oops');
  assert.is(again.code, 1);
  assert.match(again.stderr, /trial 1 is already complete; a finished trial never changes/);
  const both = cli(dir, 'tell', 's', '1');
  assert.is(both.code, 2);
  assert.match(both.stderr, /give exactly one of --metrics JSON or --failed REASON/);
  const trials = JSON.parse(cli(dir, 'export', 's').stdout).trials as { state: string; metrics: unknown; error: string | null }[];
  assert.equal(trials.map((t) => t.state), ['complete', 'complete', 'failed']);
  assert.equal(trials[1]!.metrics, { loss: 0.5, size: 1000 });
  assert.is(trials[2]!.error, 'out of GPU memory on the cluster');
  // the failed trial counts (its objective's fault): a resume has nothing left to run
  const resumed = cli(dir, 'resume', 's', '--no-report');
  assert.is(resumed.code, 0, resumed.stderr);
  assert.is(JSON.parse(cli(dir, 'trials', 's', '--json').stdout).length, 3);
});

test.run();
