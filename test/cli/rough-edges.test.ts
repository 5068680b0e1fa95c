/** The command line's rough edges from issue 15 part 6, one test each. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stoppedSentence } from '../../src/cli/summary.js';
import { TRIAL_STATES } from '../../src/study/index.js';
import { tempDir } from '../study/helpers.js';
import { cli } from './run-cli.js';

/** The loss and size of the default study: loss = 64 / a, size_bits = 8192·a, a convex front with a knee. */
const CONVEX = `'echo "{\\"loss\\": $((64 / $1)), \\"size_bits\\": $((8192 * $1))}"'`;

/** A two-objective command study over an integer `a` in 1..high, run with the random sampler. */
function tradeoffStudy(
  { name = 'tradeoff', script = CONVEX, high = 16, trials = 12, seed = 2 }: { name?: string; script?: string; high?: number; trials?: number; seed?: number } = {},
): { dir: string; db: string } {
  const dir = tempDir();
  writeFileSync(
    join(dir, `${name}.yaml`),
    `objective: { command: [sh, -c, ${script}, sh, '{a}'] }
params: { a: { type: int, low: 1, high: ${high} } }
metrics: { loss: minimize, size_bits: minimize }
budget: { trials: ${trials}, workers: 1 }
sampler: random
seed: ${seed}
`,
  );
  const db = join(dir, 'db.sqlite');
  const run = cli(['run', `${name}.yaml`, '--storage', db, '--no-report'], dir);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`· ${trials} trials · 1 worker · `), 'one worker, not "1 workers"');
  return { dir, db };
}

test('pareto prints the knee as a trial number and sizes in one unit; status says best once', () => {
  const { dir, db } = tradeoffStudy();
  const pareto = cli(['pareto', 'tradeoff', '--storage', db], dir);
  assert.is(pareto.code, 0, pareto.stderr);
  assert.match(pareto.stdout, /knee: trial #\d+\n/);
  assert.not.match(pareto.stdout, /object Object/);
  assert.match(pareto.stdout, / 1 KiB \(8\.19 kbit\) /, 'size_bits printed as a size');
  const json = JSON.parse(cli(['pareto', 'tradeoff', '--storage', db, '--json'], dir).stdout);
  assert.type(json.knee.trial, 'number');
  const status = cli(['status', 'tradeoff', '--storage', db], dir);
  assert.match(status.stdout, /\nbest {7}loss ↓4 size_bits ↓1 KiB \(8\.19 kbit\)\n/);
  assert.not.match(status.stdout, /best best/);
});

test('pareto prints a fractional reference point (formatNumber was mapped with the index as its digits: toPrecision(0) threw)', () => {
  const script = `'printf "{\\"loss\\": %s.25, \\"size_bits\\": %s}\\n" $((16 - $1)) $((8192 * $1))'`;
  const { dir, db } = tradeoffStudy({ name: 'fractional', script, high: 15, trials: 6, seed: 3 });
  const pareto = cli(['pareto', 'fractional', '--storage', db], dir);
  assert.is(pareto.code, 0, pareto.stderr);
  assert.match(pareto.stdout, /hypervolume \S+ \(reference point \d+\.\d+, /);
});

test('report --compare writes one page for two studies and refuses a single-objective one', () => {
  const { dir, db } = tradeoffStudy();
  assert.is(cli(['run', 'tradeoff.yaml', '--study', 'other', '--seed', '9', '--storage', db, '--no-report'], dir).code, 0);
  const r = cli(['report', 'tradeoff', '--compare', 'other', '--storage', db], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wrote reports\/compare-tradeoff-other\.html \(/);
  const twice = cli(['report', 'tradeoff', '--compare', 'tradeoff', '--storage', db], dir);
  assert.is(twice.code, 2);
  assert.match(twice.stderr, /study 'tradeoff' is named twice/);
  const missing = cli(['report', 'tradeoff', '--compare', 'nope', '--storage', db], dir);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /no study 'nope'/);
});

test('a single-objective run prints its best value and configuration', () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'b.yaml'),
    'objective: { builtin: branin }\nparams:\n  x0: { type: float, low: -5, high: 10 }\n  x1: { type: float, low: 0, high: 15 }\nmetrics: { f: minimize }\nbudget: { trials: 4, workers: 1 }\nsampler: random\nseed: 1\n',
  );
  const run = cli(['run', 'b.yaml', '--storage', join(dir, 'db.sqlite'), '--no-report'], dir);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /\nBest f: [\d.]+ \(trial #\d: x0=[-\d.]+, x1=[\d.]+\)\n/);
  assert.match(run.stdout, /\(4 trials launched by this run\)\.\n$/, 'no "Stopped by" after a full budget');
});

test('why a run stopped reads as a sentence', () => {
  assert.is(stoppedSentence('budget'), '');
  assert.is(stoppedSentence('timeout'), 'Stopped at the study timeout.');
  assert.match(stoppedSentence('stop'), /^Stopped on request/);
  assert.match(stoppedSentence('abort'), /^Aborted/);
});

test('help texts name the study to resume, the export formats and the trial states', () => {
  const dir = tempDir();
  assert.match(cli(['resume', '--help'], dir).stdout, /study\s+name of the study to continue/);
  assert.match(cli(['export', '--help'], dir).stdout, /json: the study, its space, every trial/);
  const states = cli(['trials', '--help'], dir).stdout.replace(/\s+/g, ' ');
  assert.ok(states.includes(`only trials in this state: ${TRIAL_STATES.join(', ')}`), states);
});

test('doctor does not print the TensorFlow.js banner', () => {
  const doctor = cli(['doctor'], tempDir());
  assert.is(doctor.code, 0, doctor.stderr);
  assert.match(doctor.stdout, /--backend auto picks/);
  assert.not.match(doctor.stdout + doctor.stderr, /Hi, looks like you are running TensorFlow\.js/);
});

test.run();
