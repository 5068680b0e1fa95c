/** The GP sampler's inferred EHVI reference point: the models' optimistic extremes (gp-reference.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitGP } from '../../src/gp/index.js';
import { extremesReferencePoint } from '../../src/pareto/index.js';
import { acquisitionBudget } from '../../src/samplers/acquisition-budget.js';
import { EXTREME_OPTIMISM, extremesBudget, predictedExtremes } from '../../src/samplers/gp-reference.js';
import { FeatureMap, parseSpace } from '../../src/space/index.js';
import { sobol } from '../../src/math/index.js';

const features = (d: number): FeatureMap => {
  const params = Array.from({ length: d }, (_, i) => `  x${i}: { type: float, low: 0, high: 1 }`).join('\n');
  return new FeatureMap(parseSpace(`name: t\nobjective: { builtin: zdt1 }\nparams:\n${params}\nmetrics: { f1: minimize, f2: minimize }\n`, 't.yaml').params);
};

/**
 * Objective models fitted on a 7 × 7 grid of the unit square, x1 descending so that among equally
 * good points the first listed (an anchor) has the largest x1.
 */
function fitted(f: (x: number[]) => number[]): { models: ReturnType<typeof fitGP>[]; X: number[][]; Y: number[][] } {
  const X: number[][] = [];
  for (let i = 0; i <= 6; i++) for (let j = 6; j >= 0; j--) X.push([i / 6, j / 6]);
  const Y = X.map(f);
  const models = [0, 1].map((k) => fitGP(X, Y.map((y) => y[k]!), { seed: 3 + k }));
  return { models, X, Y };
}

test('extremes of a well-modelled front: each objective at its minimum, the other where the front ends there', () => {
  // f1 = x0, f2 = 1 − x0 + x1: the front is x1 = 0, from (0, 1) to (1, 0).
  const { models, X, Y } = fitted(([a, b]) => [a!, 1 - a! + b!]);
  const ext = predictedExtremes({ models, objectives: 2, senses: [], X, fitted: Y, features: features(2), seed: 1 });
  assert.ok(Math.abs(ext[0]![0]!) < 0.05 && Math.abs(ext[0]![1]! - 1) < 0.05, `f1 extreme ${ext[0]}`);
  assert.ok(Math.abs(ext[1]![0]! - 1) < 0.05 && Math.abs(ext[1]![1]!) < 0.05, `f2 extreme ${ext[1]}`);
  // Along x0 = 0, f1 is flat in x1: the small weight on f2 picks x1 = 0 (f2 = 1), not any x1 (f2 up to 2).
  assert.ok(ext[0]![1]! < 1.05);
  // The point: nadir (1, 1) plus 10 % of the extent (1, 1), as the benchmarks' (1.1, 1.1) on this front.
  const ref = extremesReferencePoint(ext, Y);
  assert.ok(Math.abs(ref[0]! - 1.1) < 0.06 && Math.abs(ref[1]! - 1.1) < 0.06, `ref ${ref}`);
});

test('past 100 points the short search still finds the extremes of the front (the reference point within its margin)', () => {
  // 13 × 12 = 156 points: the small budget (a few candidates, the observed best, one short refinement).
  const X: number[][] = [];
  for (let i = 0; i <= 12; i++) for (let j = 11; j >= 0; j--) X.push([i / 12, j / 11]);
  const Y = X.map(([a, b]) => [a!, 1 - a! + b!]);
  const small = extremesBudget(X.length);
  const full = acquisitionBudget(X.length, 256, 2);
  assert.ok(small.rawSamples < full.rawSamples && small.maxEvaluations < full.maxEvaluations, JSON.stringify(small));
  const models = [0, 1].map((k) => fitGP(X, Y.map((y) => y[k]!), { seed: 7 + k }));
  const ext = predictedExtremes({ models, objectives: 2, senses: [], X, fitted: Y, features: features(2), seed: 4 });
  assert.ok(Math.abs(ext[0]![0]!) < 0.05 && Math.abs(ext[0]![1]! - 1) < 0.05, `f1 extreme ${ext[0]}`);
  assert.ok(Math.abs(ext[1]![0]! - 1) < 0.05 && Math.abs(ext[1]![1]!) < 0.05, `f2 extreme ${ext[1]}`);
  const ref = extremesReferencePoint(ext, Y);
  assert.ok(Math.abs(ref[0]! - 1.1) < 0.06 && Math.abs(ref[1]! - 1.1) < 0.06, `ref ${ref}`);
});

test('extremes are optimistic where the models are unsure: lower confidence bounds, not means', () => {
  // Observed only on x0 ≤ 0.3: beyond, f2's posterior is wide and its bound lies below every observation.
  const X: number[][] = [];
  for (let i = 0; i <= 3; i++) for (let j = 0; j <= 4; j++) X.push([i / 10, j / 4]);
  const Y = X.map(([a, b]) => [a!, 1 - a! + b!]);
  const models = [0, 1].map((k) => fitGP(X, Y.map((y) => y[k]!), { seed: 5 + k }));
  const ext = predictedExtremes({ models, objectives: 2, senses: [], X, fitted: Y, features: features(2), seed: 2 });
  const minObserved = Math.min(...Y.map((y) => y[1]!));
  assert.ok(EXTREME_OPTIMISM > 0);
  assert.ok(ext[1]![1]! < minObserved - 0.05, `f2 extreme ${ext[1]} vs observed min ${minObserved}`);
});

test('extremesReferencePoint: nadir of the extremes plus 10 % of the extent; observed rule where the extent is not positive', () => {
  // Two objectives: the nadir of f1 is f1 at the f2 extreme, and the other way round.
  const points = [[0.2, 0.9], [0.9, 0.3]];
  assert.equal(extremesReferencePoint([[0, 1], [1, 0]], points), [1.1, 1.1]);
  // The ideal is the lower of the predicted and the observed minimum.
  const ref = extremesReferencePoint([[0.5, 2], [1.5, 0.5]], [[0, 3], [2, 0]]);
  assert.ok(Math.abs(ref[0]! - 1.65) < 1e-12 && Math.abs(ref[1]! - 2.2) < 1e-12, `got ${ref}`);
  // Extent 0 in f1 (f1 extreme predicted where the f2 extreme is): acquisitionReferencePoint's f1.
  const flat = extremesReferencePoint([[0.5, 1], [0.5, 0]], [[0.5, 1], [0.6, 0.5]]);
  assert.ok(Math.abs(flat[0]! - (0.6 + 0.01)) < 1e-12 && Math.abs(flat[1]! - 1.1) < 1e-12, `got ${flat}`);
});

test('a flat objective: its own value at its extreme is the mean, the others\' the bounds at the face\'s best point', () => {
  // DTLZ2 in 3 inputs: f2 = 0 on the whole face x0 = 0, where f1 = 1 + g, lowest (1) at x1 = x2 = 0.5.
  const dtlz2 = ([a, b, c]: number[]): number[] => {
    const g = (b! - 0.5) ** 2 + (c! - 0.5) ** 2;
    return [(1 + g) * Math.cos((a! * Math.PI) / 2), (1 + g) * Math.sin((a! * Math.PI) / 2)];
  };
  const X = [...sobol(3, 16, 7), [0, 0, 0], [0, 1, 1], [0, 0.5, 0.2], [1, 0.4, 0.5]];
  const Y = X.map(dtlz2);
  const models = [0, 1].map((k) => fitGP(X, Y.map((y) => y[k]!), { seed: 11 + k }));
  const ext = predictedExtremes({ models, objectives: 2, senses: [], X, fitted: Y, features: features(3), seed: 4 });
  // f2's value at its extreme: its mean, near the true 0 (its bound there, the rule before, was −0.16:
  // a wider extent, so a wider margin, for objectives that cannot go below 0).
  assert.ok(Math.abs(ext[1]![1]!) < 0.1, `f2 extreme ${ext[1]}`);
  // The other objective's value: near the face centre's 1, not a corner's 1 + g (up to 1.5).
  assert.ok(Math.abs(ext[1]![0]! - 1) < 0.15, `f1 at the f2 extreme ${ext[1]} (face centre 1)`);
  assert.ok(Math.abs(ext[0]![1]! - 1) < 0.15, `f2 at the f1 extreme ${ext[0]} (face centre 1)`);
});

test.run();
