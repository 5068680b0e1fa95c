import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSpace } from '../../src/space/index.js';
import type { Trial } from '../../src/study/trial.js';
import { computeImportance, fitForest, permutationImportance, predictForest, MIN_IMPORTANCE_TRIALS } from '../../src/analysis/index.js';
import { Rng } from '../../src/math/index.js';
import { syntheticCompression } from '../report/synthetic.js';

function data(n: number, seed: number, f: (x: number[]) => number): { X: number[][]; y: number[] } {
  const r = new Rng(seed);
  const X = Array.from({ length: n }, () => r.uniforms(4));
  return { X, y: X.map(f) };
}

test('forest fits a step function exactly and a smooth one closely', () => {
  const step = data(200, 1, (x) => (x[0]! > 0.5 ? 1 : 0));
  const fs = fitForest(step.X, step.y, { trees: 32, seed: 2 });
  assert.ok(predictForest(fs, [0.9, 0.5, 0.5, 0.5]) > 0.95);
  assert.ok(predictForest(fs, [0.1, 0.5, 0.5, 0.5]) < 0.05);
  const smooth = data(300, 3, (x) => Math.sin(4 * x[0]!) + x[1]!);
  const f = fitForest(smooth.X, smooth.y, { trees: 48, seed: 4 });
  const test = data(100, 5, (x) => Math.sin(4 * x[0]!) + x[1]!);
  const mse = test.X.reduce((s, x, i) => s + (predictForest(f, x) - test.y[i]!) ** 2, 0) / 100;
  assert.ok(mse < 0.02, `held-out MSE ${mse}`);
});

test('forest is deterministic given its seed, and different seeds differ', () => {
  const { X, y } = data(120, 7, (x) => x[0]! * x[1]!);
  const a = fitForest(X, y, { trees: 8, seed: 9 });
  const b = fitForest(X, y, { trees: 8, seed: 9 });
  const c = fitForest(X, y, { trees: 8, seed: 10 });
  assert.equal(Array.from(a.trees[3]!.threshold), Array.from(b.trees[3]!.threshold));
  assert.not.equal(Array.from(a.trees[3]!.threshold), Array.from(c.trees[3]!.threshold));
});

test('forest rejects mismatched inputs', () => {
  assert.throws(() => fitForest([[1], [2]], [1]), /as many targets as rows/);
  assert.throws(() => fitForest([], []), /at least one row/);
});

test('permutation importance ranks a strong, a weak and two irrelevant inputs', () => {
  const { X, y } = data(400, 11, (x) => 3 * x[0]! + 0.6 * x[1]!);
  const forest = fitForest(X, y, { trees: 64, seed: 12 });
  const { mean, stderr, oobR2 } = permutationImportance(forest, X, y, 13);
  assert.ok(mean[0]! > mean[1]! && mean[1]! > mean[2]! && mean[1]! > mean[3]!, `order ${mean}`);
  assert.ok(mean[0]! > 0.8, `x0 carries most of the variance: ${mean[0]}`);
  assert.ok(Math.abs(mean[2]!) < 0.02 && Math.abs(mean[3]!) < 0.02, `irrelevant inputs near 0: ${mean}`);
  assert.ok(stderr.every((s) => s >= 0 && s < 0.1));
  assert.ok(oobR2 > 0.9, `OOB R² ${oobR2}`);
});

test('pure noise gives OOB R² near or below 0 and no large importance', () => {
  const r = new Rng(21);
  const { X } = data(200, 22, () => 0);
  const y = X.map(() => r.uniform());
  const forest = fitForest(X, y, { trees: 48, seed: 23 });
  const { mean, oobR2 } = permutationImportance(forest, X, y, 24);
  assert.ok(oobR2 < 0.1, `R² ${oobR2}`);
  assert.ok(mean.every((m) => m < 0.1), `${mean}`);
});

test('computeImportance on a compression-like study: bits and width matter for accuracy, depth and temperature hardly', () => {
  const s = syntheticCompression(200);
  const imp = computeImportance(s.space, s.trials, { efficiency: s.space.balance!.efficiency });
  assert.equal(imp.targets.map((t) => t.metric), ['accuracy', 'size_bits', 'E']);
  const acc = imp.targets[0]!;
  const score = (p: string): number => acc.scores.find((x) => x.param === p)!.importance;
  assert.ok(score('bits') > score('temperature') && score('width') > score('temperature'), JSON.stringify(acc.scores));
  assert.ok(score('bits') > 0.2 && score('width') > 0.1);
  assert.is(imp.targets[1]!.transform, 'log10', 'size spans decades and is modelled in log10');
  assert.ok(acc.oobR2 > 0.7, `R² ${acc.oobR2}`);
  assert.is(acc.n, s.trials.filter((t) => t.state === 'complete').length);
  assert.ok(imp.method.includes('permutation'));
});

test('computeImportance skips metrics with too few trials or constant values, and says why', () => {
  const space = parseSpace('objective: { builtin: zdt1 }\nparams:\n  a: { type: float, low: 0, high: 1 }\nmetrics:\n  f: minimize\n  g: minimize\n', 'mini.yaml');
  const mk = (i: number, g: number): Trial => ({
    study: 's', number: i, state: 'complete', params: { a: i / 20 }, metrics: { f: i, g }, attrs: {}, intermediate: [], error: null, worker: 0, attempt: 1, interrupted: false, owner: null, startedAt: null, finishedAt: null,
  });
  const few = computeImportance(space, Array.from({ length: MIN_IMPORTANCE_TRIALS - 1 }, (_, i) => mk(i, i)));
  assert.is(few.targets.length, 0);
  assert.match(few.skipped[0]!.reason, `needs at least ${MIN_IMPORTANCE_TRIALS}`);
  const flat = computeImportance(space, Array.from({ length: 12 }, (_, i) => mk(i, 5)));
  assert.equal(flat.targets.map((t) => t.metric), ['f']);
  assert.match(flat.skipped[0]!.reason, 'constant');
});

test.run();
