import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syntheticSpaceFile, tempDir } from '../study/helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Runs the CLI in a fresh temporary folder by default, so default outputs (reports/) land there. */
function cli(args: string[], cwd: string = tempDir()) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * One study per scenario, run once and shared read-only by the tests after it, so that each
 * command is its own test and the first failure does not hide the rest.
 */
const runOnce = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

const synthetic = runOnce(() => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 6, workers: 2, sleepMs: 60 });
  const db = join(dir, 'runs', 'study.db');
  return { dir, space, db, run: cli(['run', space, '--storage', db]) };
});

const curves = runOnce(() => {
  const dir = tempDir();
  const db = join(dir, 'study.db');
  const space = fileURLToPath(new URL('../../../search-spaces/learning-curves.yaml', import.meta.url));
  return { dir, db, run: cli(['run', space, '--storage', db, '--trials', '16', '--workers', '2', '--pruner', 'asha', '--no-report']) };
});

test('run --pruner: trials stopped early, counted in the progress line, the summary and status, which name the pruner given', () => {
  const { run, db } = curves();
  assert.is(run.code, 0, run.stderr);
  // learning-curves.yaml asks for hyperband: everything below names the --pruner given instead.
  assert.match(run.stderr, /· pruner asha η=3, rungs from step 1 ·/);
  assert.match(run.stderr, /\[16\/16\] running 0 · \d+ pruned ·/);
  assert.match(run.stdout, /Early stopping: asha η=3, rungs from step 1: \d+ pruned; [\d,]+ of [\d,]+ steps run \(\d+%\)/);
  const status = cli(['status', 'learning-curves', '--storage', db]);
  assert.match(status.stdout, /trials\s+16\/\d+: \d+ complete, \d+ pruned/);
  assert.match(status.stdout, /\npruner\s+asha η=3, rungs from step 1: \d+ pruned; [\d,]+ of [\d,]+ steps run/);
  assert.not.match(status.stdout, /hyperband|\{"name"/);
  const json = JSON.parse(cli(['status', 'learning-curves', '--storage', db, '--json']).stdout);
  assert.ok(json.counts.pruned > 0 && json.steps.spent < json.steps.full, JSON.stringify(json));
  assert.equal(json.pruner, { name: 'asha', minResource: 1, reductionFactor: 3 });
  const studies = cli(['studies', '--storage', db]).stdout.split('\n');
  assert.match(studies[0]!, /complete\s+pruned\s+pruner\s+running/);
  assert.match(studies[2]!, /^learning-curves\s+16\s+\d+\s+\d+\s+asha\s/);
  assert.is(JSON.parse(cli(['studies', '--json', '--storage', db]).stdout)[0].pruner.name, 'asha');
});

test('resume keeps the --pruner of the run; a --pruner on resume replaces it, and the report names it', () => {
  const dir = tempDir();
  const db = join(dir, 'study.db');
  const space = fileURLToPath(new URL('../../../search-spaces/learning-curves.yaml', import.meta.url));
  assert.is(cli(['run', space, '--storage', db, '--trials', '2', '--workers', '2', '--pruner', 'median', '--sampler', 'sobol', '--no-report']).code, 0);
  const kept = cli(['resume', 'learning-curves', '--storage', db, '--trials', '3', '--no-report']);
  assert.is(kept.code, 0, kept.stderr);
  assert.match(kept.stderr, /· sampler sobol · pruner median after 5 complete trials, from step 0 ·/, 'the sampler and the pruner of the run');
  const replaced = cli(['resume', 'learning-curves', '--storage', db, '--trials', '4', '--pruner', 'asha', '--no-report']);
  assert.is(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stderr, /· pruner asha η=3, rungs from step 1 ·/);
  assert.match(cli(['status', 'learning-curves', '--storage', db]).stdout, /\npruner\s+asha η=3, rungs from step 1: /);
  const html = join(dir, 'report.html');
  assert.is(cli(['report', 'learning-curves', '--storage', db, '--out', html]).code, 0);
  assert.match(readFileSync(html, 'utf8'), /early stopping: <b>asha η=3, rungs from step 1: /);
  const none = cli(['resume', 'learning-curves', '--storage', db, '--pruner', 'none', '--no-report']);
  assert.is(none.code, 0, none.stderr);
  assert.not.match(none.stderr, /· pruner /);
});

test('run --pruner hyperband without maxResource: one line naming the option, nothing created', () => {
  const dir = tempDir();
  const db = join(dir, 'study.db');
  const r = cli(['run', syntheticSpaceFile(dir), '--storage', db, '--pruner', 'hyperband']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^sweetspot: --pruner hyperband: pruner.maxResource: required/);
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.not.ok(existsSync(db), 'no database written');
});

test('run: progress lines, the summary and the report path', () => {
  const { run, db } = synthetic();
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[6\/6\]/, 'progress lines reach 6/6');
  assert.match(run.stdout, /Study synthetic: 6 trials \(6 complete\)/);
  assert.match(run.stdout, /Worker utilization \d+%/);
  assert.match(run.stdout, /Report: reports\/synthetic.html/);
  assert.ok(existsSync(db));
});

test('studies --json counts trials by state', () => {
  const { db } = synthetic();
  const studies = JSON.parse(cli(['studies', '--storage', db, '--json']).stdout);
  assert.is(studies.length, 1);
  assert.is(studies[0].counts.complete, 6);
});

test('status shows the budget and the state counts', () => {
  const { db } = synthetic();
  const status = cli(['status', 'synthetic', '--storage', db]);
  assert.is(status.code, 0, status.stderr);
  assert.match(status.stdout, /trials\s+6\/6: 6 complete/);
});

test('trials lists every trial under a header; --state takes only the known states', () => {
  const { db } = synthetic();
  const trials = cli(['trials', 'synthetic', '--storage', db]);
  assert.is(trials.code, 0);
  assert.is(trials.stdout.trim().split('\n').length, 2 + 6);
  const bad = cli(['trials', 'synthetic', '--state', 'done', '--storage', db]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--state: one of waiting, running, complete, pruned, failed, got 'done'/);
});

test('export --format json: every trial with its fields and learning curve', () => {
  const { db } = synthetic();
  const json = JSON.parse(cli(['export', 'synthetic', '--format', 'json', '--storage', db]).stdout);
  assert.is(json.trials.length, 6);
  assert.equal(Object.keys(json.trials[0]).sort(), ['attrs', 'error', 'finishedAt', 'intermediate', 'metrics', 'number', 'params', 'startedAt', 'state', 'worker']);
  assert.equal(json.metrics, { loss: 'minimize', size: 'minimize' });
  assert.is(json.trials[0].intermediate.length, 3);
});

test('export --format csv --out: a header and a row per trial', () => {
  const { db, dir } = synthetic();
  const csvFile = join(dir, 'out.csv');
  assert.is(cli(['export', 'synthetic', '--format', 'csv', '--out', csvFile, '--storage', db]).code, 0);
  const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
  assert.is(csv.length, 7);
  assert.match(csv[0]!, /^number,state,param_x,param_n,param_mode,loss,size/);
});

test('resume continues up to the new budget; running the same space again makes a study with a free name', () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 2, workers: 1 });
  const db = join(dir, 'runs', 'study.db');
  assert.is(cli(['run', space, '--storage', db]).code, 0);
  const resumed = cli(['resume', 'synthetic', '--trials', '3', '--storage', db]);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /3 trials \(3 complete\)/);
  const again = cli(['run', space, '--storage', db, '--trials', '1', '--json']);
  assert.is(again.code, 0, again.stderr);
  assert.is(JSON.parse(again.stdout).study, 'synthetic-2');
});

const analytic = runOnce(() => {
  const dir = tempDir();
  const db = join(dir, 'runs', 'a.db');
  const reportPath = join(dir, 'reports', 'a.html');
  const run = cli(['run', join(process.cwd(), 'search-spaces', 'analytic-tradeoff.yaml'), '--trials', '16', '--storage', db, '--report', reportPath]);
  return { dir, db, reportPath, run };
});

test('run on the analytic trade-off example: Pareto summary and the live report', () => {
  const { run, reportPath } = analytic();
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /Pareto front: \d+ trials over accuracy, size_bits/);
  assert.match(run.stdout, new RegExp(`Report: ${reportPath}`));
  assert.match(readFileSync(reportPath, 'utf8'), /^<!doctype html>/i);
});

test('pareto --json and the export agree on the front', () => {
  const { db } = analytic();
  const pareto = JSON.parse(cli(['pareto', 'analytic-tradeoff', '--json', '--storage', db]).stdout);
  assert.ok(pareto.front.length >= 2);
  const doc = JSON.parse(cli(['export', 'analytic-tradeoff', '--storage', db]).stdout);
  assert.equal(doc.pareto.front, pareto.front);
});

test('balance --json: S* inside its interval, the frontier CSV written, the export agrees', () => {
  const { db, dir } = analytic();
  const balance = cli(['balance', 'analytic-tradeoff', '--json', '--storage', db, '--csv', join(dir, 'frontier.csv')]);
  assert.is(balance.code, 0, balance.stderr);
  const b = JSON.parse(balance.stdout);
  assert.ok(b.sStar.lo <= b.sStar.median && b.sStar.median <= b.sStar.hi, JSON.stringify(b.sStar));
  assert.ok(existsSync(join(dir, 'frontier.csv')));
  const doc = JSON.parse(cli(['export', 'analytic-tradeoff', '--storage', db]).stdout);
  assert.is(doc.balance.sStar.median, b.sStar.median);
});

test('report --out writes the HTML file', () => {
  const { db, dir } = analytic();
  const report = cli(['report', 'analytic-tradeoff', '--out', join(dir, 'r.html'), '--storage', db], dir);
  assert.is(report.code, 0, report.stderr);
  assert.ok(existsSync(join(dir, 'r.html')));
});

test('importance: a row per parameter, a column per metric, the same numbers as --json', () => {
  const { db } = analytic();
  const text = cli(['importance', 'analytic-tradeoff', '--storage', db]);
  assert.is(text.code, 0, text.stderr);
  const json = JSON.parse(cli(['importance', 'analytic-tradeoff', '--json', '--storage', db]).stdout);
  assert.match(json.method, /permutation importance/);
  assert.ok(json.targets.length >= 2, JSON.stringify(json.skipped));
  const lines = text.stdout.trim().split('\n');
  const header = lines[1]!.split(/\s{2,}/);
  assert.equal(header, ['parameter', ...json.targets.map((t: { metric: string }) => t.metric)]);
  const first = json.targets[0];
  for (const s of first.scores) {
    const row = lines.find((l) => l.startsWith(`${s.param} `))!;
    assert.ok(row, `a row for ${s.param}`);
    assert.ok(row.includes(`${s.importance.toFixed(2)} ± ${s.stderr.toFixed(2)}`), row);
  }
  assert.match(text.stdout, new RegExp(`${first.metric}: 16 trials, out-of-bag R² -?\\d\\.\\d\\d`));
  const one = JSON.parse(cli(['importance', 'analytic-tradeoff', '--metric', first.metric, '--json', '--storage', db]).stdout);
  assert.equal(one.targets.map((t: { metric: string }) => t.metric), [first.metric]);
  const bad = cli(['importance', 'analytic-tradeoff', '--metric', 'nope', '--storage', db]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /^sweetspot: --metric: one of .*got 'nope'\n$/);
});

test('same seed, one worker: the same parameters in two studies', () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 4, workers: 1 });
  const db = join(dir, 's.db');
  for (const name of ['a', 'b']) assert.is(cli(['run', space, '--study', name, '--seed', '3', '--storage', db]).code, 0);
  const params = (name: string) => JSON.parse(cli(['trials', name, '--json', '--storage', db]).stdout).map((t: { params: unknown }) => t.params);
  assert.equal(params('a'), params('b'));
});

test('a bad space file: one line naming file and field, non-zero exit, nothing written', () => {
  const dir = tempDir();
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'objective: { builtin: zdt1 }\nparams:\n  x: { type: float, low: 1, high: 0 }\nmetrics: { f1: minimize }\n');
  const db = join(dir, 'runs', 'x.db');
  const r = cli(['run', file, '--storage', db]);
  assert.is(r.code, 1);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`^sweetspot: ${file}: params.x.high: low <= high must hold`));
  assert.not.ok(existsSync(db), 'no database created');
});

test('a changed space file is refused on resume', () => {
  const dir = tempDir();
  const space = syntheticSpaceFile(dir, { trials: 2, workers: 1 });
  const db = join(dir, 's.db');
  assert.is(cli(['run', space, '--storage', db]).code, 0);
  writeFileSync(space, readFileSync(space, 'utf8').replace('high: 64', 'high: 32'));
  const r = cli(['resume', 'synthetic', '--trials', '4', '--storage', db]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /changed since study 'synthetic' was created/);
  assert.is(JSON.parse(cli(['export', 'synthetic', '--storage', db]).stdout).trials.length, 2, 'nothing added or lost');
});

test('usage errors exit 2 with one line; unknown study exits 1 naming the known ones', () => {
  const dir = tempDir();
  const db = join(dir, 's.db');
  const bad = cli(['run', syntheticSpaceFile(dir), '--workers', '0', '--storage', db]);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--workers: an integer >= 1, got 0/);
  const backend = cli(['run', join(process.cwd(), 'search-spaces', 'mnist-quick.yaml'), '--backend', 'gpu-please', '--storage', db]);
  assert.is(backend.code, 2);
  assert.match(backend.stderr, /backend must be one of auto, tensorflow-gpu, (webgpu, )?tensorflow, wasm, cpu, got "gpu-please"/);
  const spaceFile = syntheticSpaceFile(dir);
  writeFileSync(spaceFile, readFileSync(spaceFile, 'utf8').replace('sampler: random', 'sampler: { name: sobol, scrambel: true }'));
  const badOption = cli(['run', spaceFile, '--storage', db]);
  assert.ok(badOption.code !== 0, badOption.stderr);
  assert.match(badOption.stderr, /synthetic\.yaml: sampler\.scrambel: not an option of sampler 'sobol'; its options: scramble/);
  assert.not.ok(existsSync(db), 'refused runs write no database');
  const missing = cli(['trials', 'nope', '--storage', db]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /no database at .*s\.db/, 'a read-only command creates no database');
  assert.not.ok(existsSync(db));
  const unknown = cli(['frobnicate']);
  assert.is(unknown.code, 2);
});

test.run();
