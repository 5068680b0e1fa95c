import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandObjective } from '../../src/objectives/index.js';
import type { ObjectiveContext } from '../../src/objectives/index.js';
import type { CommandSpec } from '../../src/space/index.js';
import { tempDir } from '../study/helpers.js';

interface Run {
  ctx: ObjectiveContext;
  reports: [number, Record<string, number>][];
  abort: AbortController;
}

function context(trial = 3): Run {
  const abort = new AbortController();
  const reports: [number, Record<string, number>][] = [];
  const workdir = tempDir('sweetspot-cmd-');
  const ctx: ObjectiveContext = {
    trial,
    seed: 1234,
    signal: abort.signal,
    workdir,
    studyDir: workdir,
    options: {},
    study: 'cmd',
    report: (step, metrics) => void reports.push([step, { ...metrics }]),
  };
  return { ctx, reports, abort };
}

const spec = (argv: string[], extra: Partial<CommandSpec> = {}): CommandSpec => ({ argv, cwd: process.cwd(), env: {}, graceMs: 5000, metrics: [], ...extra });
const sh = (script: string, extra: Partial<CommandSpec> = {}): CommandSpec => spec(['sh', '-c', script], extra);

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  assert.unreachable('expected the trial to fail');
  return '';
}

test('the last JSON object line is the result; step lines are reports; plain lines are ignored', async () => {
  const run = context();
  const out = await commandObjective(
    sh(`echo starting; echo '{"step": 1, "accuracy": 0.5, "note": "x"}'; echo '[1,2]'; echo '{"step": 2, "accuracy": 0.7}'; echo '{"accuracy": 0.75, "size_bits": 96, "device": "cpu"}'; echo done`),
  )({ width: 8 }, run.ctx);
  assert.equal(out, { accuracy: 0.75, size_bits: 96, device: 'cpu' });
  assert.equal(run.reports, [[1, { accuracy: 0.5 }], [2, { accuracy: 0.7 }]]);
  assert.match(readFileSync(join(run.ctx.workdir, 'stdout.log'), 'utf8'), /^starting\n[\s\S]*done\n$/);
});

test('parameters reach the command as placeholders and as SWEETSPOT_* variables, beside env', async () => {
  const run = context(7);
  const script = `printf '{"p": %s, "trial": %s, "seed": %s, "w": %s, "wd": "%s", "extra": "%s", "dir": "%s"}\\n' "$SWEETSPOT_PARAMS" "$SWEETSPOT_TRIAL" "$SWEETSPOT_SEED" "$1" "$SWEETSPOT_WORKDIR" "$EXTRA" "$(pwd)"`;
  const dir = tempDir('sweetspot-cwd-');
  const out = await commandObjective(spec(['sh', '-c', script, 'sh', '{width}'], { env: { EXTRA: 'yes' }, cwd: dir }))({ width: 16, mode: 'a b' }, run.ctx);
  // Nested values are not metrics: read them through the raw output here.
  const raw = out as unknown as Record<string, unknown>;
  assert.equal(raw.p, { width: 16, mode: 'a b' });
  assert.is(raw.trial, 7);
  assert.is(raw.seed, 1234);
  assert.is(raw.w, 16);
  assert.is(raw.wd, run.ctx.workdir);
  assert.is(raw.extra, 'yes');
  assert.is(raw.dir, dir);
});

test('a non-zero exit fails with the code and the last lines of stderr, which is kept in the trial folder', async () => {
  const run = context();
  const lines = Array.from({ length: 12 }, (_, i) => `echo line${i} >&2`).join('; ');
  const message = await failure(commandObjective(sh(`${lines}; echo '{"accuracy": 1}'; exit 4`))({}, run.ctx));
  assert.match(message, /exited with code 4; stderr: line7 \| line8 \| line9 \| line10 \| line11$/);
  assert.not.match(message, /line6/);
  assert.match(readFileSync(join(run.ctx.workdir, 'stderr.log'), 'utf8'), /^line0\n[\s\S]*line11\n$/);
});

test('no JSON object on stdout fails with the reason', async () => {
  const message = await failure(commandObjective(sh('echo hello; echo oops >&2'))({}, context().ctx));
  assert.match(message, /printed no JSON object line on stdout.*stderr: oops/);
});

test('a program that does not exist fails with its name', async () => {
  const message = await failure(commandObjective(spec(['./no-such-program-here']))({}, context().ctx));
  assert.match(message, /no-such-program-here/);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('abort stops the whole process group, children included, and the trial fails with the abort reason', async () => {
  const run = context();
  const pidFile = join(run.ctx.workdir, 'child.pid');
  const pending = commandObjective(sh(`sleep 30 & echo $! > ${pidFile}; echo '{"step": 1, "loss": 1}'; wait`))({}, run.ctx);
  await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
  const child = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(alive(child));
  run.abort.abort(new Error('trial timed out after 1s'));
  const message = await failure(pending);
  assert.is(message, 'trial timed out after 1s');
  await waitFor(() => !alive(child));
});

test('abort reaches a background child that outlives its leader and holds stdout open', async () => {
  const run = context();
  const pidFile = join(run.ctx.workdir, 'bg.pid');
  const pending = commandObjective(sh(`sleep 30 & echo $! > ${pidFile}; echo '{"step": 1, "loss": 1}'; exit 0`))({}, run.ctx);
  await waitFor(() => run.reports.length > 0 && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
  const child = Number(readFileSync(pidFile, 'utf8'));
  run.abort.abort(new Error('trial timed out after 1s'));
  assert.is(await failure(pending), 'trial timed out after 1s');
  await waitFor(() => !alive(child));
});

test('what a finished command left running in its group is stopped with it', async () => {
  const run = context();
  const pidFile = join(run.ctx.workdir, 'bg.pid');
  // The background job does not hold stdout, so the command's output ends when its leader exits.
  const out = await commandObjective(sh(`sleep 30 >/dev/null 2>&1 & echo $! > ${pidFile}; echo '{"loss": 2}'`))({}, run.ctx);
  assert.equal(out, { loss: 2 });
  await waitFor(() => !alive(Number(readFileSync(pidFile, 'utf8'))));
});

test('a command that ignores SIGTERM is killed after the grace period', async () => {
  const run = context();
  const started = Date.now();
  const pending = commandObjective(sh(`trap '' TERM; echo '{"step": 0, "loss": 1}'; while true; do sleep 0.05; done`, { graceMs: 300 }))({}, run.ctx);
  await waitFor(() => run.reports.length > 0);
  run.abort.abort(new Error('pruned at step 0'));
  assert.match(await failure(pending), /pruned/);
  assert.ok(Date.now() - started < 4000, 'killed well before any default grace');
});

const python = spawnSync('python3', ['--version']).status === 0;

test('the shipped Python example trains, reports every epoch and prints its metrics', async () => {
  if (!python) {
    console.log('  (python3 not found: the Python example test is skipped)');
    return;
  }
  const { loadSpace } = await import('../../src/space/index.js');
  const space = loadSpace(join(process.cwd(), 'search-spaces', 'python-mlp.yaml'));
  const run = context();
  const out = await commandObjective({ ...space.objective.command!, argv: space.objective.command!.argv.map((a) => (a === '12' ? '3' : a)) })(
    { width: 4, depth: 1, bits: 8, lr: 0.05 },
    run.ctx,
  );
  assert.equal(run.reports.map(([step]) => step), [1, 2, 3]);
  assert.ok(typeof out.accuracy === 'number' && out.accuracy > 0.4 && out.accuracy <= 1, String(out.accuracy));
  assert.is(out.params, 2 * 4 + 4 + 4 + 1);
  assert.is(out.size_bits, (2 * 4 + 4) * 8 + (4 + 1) * 32);
});

test('a failing Python script fails the trial with its traceback line', async () => {
  if (!python) return;
  const dir = tempDir('sweetspot-py-');
  writeFileSync(join(dir, 'bad.py'), 'import json\nprint(json.dumps({"step": 1, "loss": 2}))\nraise ValueError("width must be even")\n');
  const message = await failure(commandObjective(spec(['python3', 'bad.py'], { cwd: dir }))({}, context().ctx));
  assert.match(message, /exited with code 1; stderr: .*ValueError: width must be even/);
});

test.run();
