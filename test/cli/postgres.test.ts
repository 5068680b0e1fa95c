/**
 * The CLI on PostgreSQL storage, as a user runs it: a study run, inspected, exported, reported,
 * renamed and deleted through `--storage postgres://user:PASSWORD@…`, and the password
 * in none of it: not in stdout or stderr of any command, not in any file written (reports,
 * exports, trial folders). Wrong credentials and an unreachable server: one line naming
 * `--storage` (masked) and the cause, a non-zero exit, nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syntheticSpaceFile, tempDir } from '../study/helpers.js';
import { freePort, postgresDatabase } from '../support/postgres.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const url = await postgresDatabase('cli');
const password = decodeURIComponent(new URL(url).password);
const masked = /postgres:\/\/sweetspot:\*\*\*@127\.0\.0\.1:\d+\/cli_\w+/;

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd, timeout: 120_000, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('run, status, studies, trials, export, report, rename, delete: it works and the password shows nowhere', () => {
  assert.ok(password.length >= 8, 'the test server has a password');
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 6, workers: 2, sleepMs: 20 });
  const outputs: string[] = [];
  const ok = (args: string[]) => {
    const r = cli([...args, '--storage', url], dir);
    outputs.push(r.stdout, r.stderr);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const run = ok(['run', space]);
  assert.match(run.stderr, masked, 'the run names its storage, masked');
  const status = ok(['status', 'synthetic', '--json']);
  assert.is(JSON.parse(status.stdout).counts.complete, 6);
  assert.match(ok(['studies']).stdout, /synthetic/);
  assert.is(ok(['trials', 'synthetic']).stdout.trim().split('\n').length > 6, true);
  assert.is(JSON.parse(ok(['export', 'synthetic', '--format', 'json']).stdout).trials.length, 6);
  ok(['report', 'synthetic', '--out', join(dir, 'reports', 'again.html')]);
  ok(['rename', 'synthetic', 'renamed']);
  const missing = cli(['status', 'synthetic', '--storage', url], dir);
  outputs.push(missing.stdout, missing.stderr);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`no study 'synthetic' in ${masked.source}; studies there: renamed`));
  ok(['delete', 'renamed', '--yes']);
  assert.match(ok(['studies']).stdout, /no studies in postgres:\/\/sweetspot:\*\*\*@/);

  const files = filesUnder(dir);
  assert.ok(files.some((f) => f.endsWith('.html')), 'a report was written');
  for (const text of [...outputs, ...files.map((f) => readFileSync(f, 'latin1'))]) assert.not.ok(text.includes(password), 'the password leaked');
});

test('wrong password and unreachable server: one line naming --storage and the cause, exit 1, nothing written', async () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir);
  const wrong = new URL(url);
  wrong.password = 'wrong-password-0815';
  const closed = new URL(url);
  closed.port = String(await freePort());
  for (const [target, cause] of [
    [wrong.toString(), /password authentication failed for user "sweetspot"/],
    [closed.toString(), /connection refused/],
  ] as const) {
    for (const args of [['run', space], ['status']]) {
      const r = cli([...args, '--storage', target], dir);
      assert.is(r.code, 1, r.stderr);
      assert.is(r.stdout, '');
      assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^sweetspot: --storage postgres:\/\/sweetspot:\*\*\*@127\.0\.0\.1:\d+\/cli_\w+: cannot connect to PostgreSQL: /);
      assert.match(r.stderr, cause);
      for (const secret of [password, 'wrong-password-0815']) assert.not.ok(r.stderr.includes(secret));
    }
  }
  assert.equal(readdirSync(dir), ['synthetic.yaml'], 'nothing written');
});


test.run();
