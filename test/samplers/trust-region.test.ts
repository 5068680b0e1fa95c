import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxedFeatures, optimizeInBox, TRUST_REGION, trustRegionBox, trustRegionLength } from '../../src/samplers/trust-region.js';
import { FeatureMap, parseSpace } from '../../src/space/index.js';

const features = new FeatureMap(
  parseSpace(
    'name: t\nobjective: { builtin: zdt1 }\nparams:\n  a: { type: float, low: 0, high: 1 }\n  b: { type: int, low: 0, high: 4 }\n  c: { type: categorical, choices: [x, y, z] }\nmetrics: { f: minimize }\n',
    't.yaml',
  ).params,
);

test('trust region length: starts at 0.8, doubles after 3 improvements, halves after the given run of failures, restarts below the minimum', () => {
  // Before the local phase (first 2 values) only the best is taken.
  assert.is(trustRegionLength([5, 4], 2, 3), TRUST_REGION.initial);
  assert.is(trustRegionLength([5, 4, 3, 2, 1], 2, 3), 1.6);
  assert.is(trustRegionLength([5, 4, 3, 2, 1, 0, -1, -2], 2, 3), 1.6, 'capped at the largest side');
  assert.is(trustRegionLength([5, 4, 9, 9, 9], 2, 3), 0.4);
  assert.is(trustRegionLength([5, 4, 9, 9], 2, 2), 0.4);
  assert.is(trustRegionLength([5, 4, 3, 9, 9], 2, 3), 0.8, 'a success resets the failure run');
  // A gain below 0.1 % of |best| is a failure.
  assert.is(trustRegionLength([-100, -100.05, -100.09, -100.095], 1, 3), 0.4);
  // 7 halvings go below 0.5^7: the region starts again at its initial side.
  const fails = Array.from({ length: 21 }, () => 9);
  assert.is(trustRegionLength([1, ...fails.slice(0, 18)], 1, 3), 0.8 / 64);
  assert.is(trustRegionLength([1, ...fails], 1, 3), TRUST_REGION.initial);
});

test('trust region box: sides follow the lengthscales over their geometric mean, clipped to [0, 1], one-hot free', () => {
  // features: a (continuous), b (grid), c (one-hot of 3)
  const box = trustRegionBox(features.dims, [0.5, 0.1, 0, 1, 0], [0.5, 2, 9, 9, 9], 0.4);
  // geometric mean of the ordered lengthscales (0.5, 2) is 1: half-sides 0.1 and 0.4.
  assert.ok(Math.abs(box.lower[0]! - 0.4) < 1e-12 && Math.abs(box.upper[0]! - 0.6) < 1e-12, JSON.stringify(box));
  assert.is(box.lower[1], 0);
  assert.ok(Math.abs(box.upper[1]! - 0.5) < 1e-12);
  assert.equal(box.lower.slice(2), [0, 0, 0]);
  assert.equal(box.upper.slice(2), [1, 1, 1]);
});

test('boxed features: local [0, 1] maps onto the box; a grid keeps its points inside (or the nearest one)', () => {
  const box = { lower: [0.4, 0.3, 0, 0, 0], upper: [0.6, 0.8, 1, 1, 1] };
  const { local, toGlobal, toLocal } = boxedFeatures(features, box);
  const grid = local.dims[1]!;
  assert.is(grid.kind, 'grid');
  // b's bin centres 0.1, 0.3, 0.5, 0.7, 0.9: 0.5 and 0.7 lie inside [0.3, 0.8] (0.3 too, at its edge).
  const inside = features.dims[1]!.kind === 'grid' ? features.dims[1]!.points.filter((p) => p >= 0.3 && p <= 0.8) : [];
  assert.is(grid.kind === 'grid' ? grid.points.length : 0, inside.length);
  const x = [0.45, inside[0]!, 0, 0, 1];
  const back = toGlobal(toLocal(x));
  x.forEach((v, j) => assert.ok(Math.abs(back[j]! - v) < 1e-12, `feature ${j}: ${back[j]} vs ${v}`));
  for (const u of [[0, 0, 0], [0.99, 0.99, 0.99], [0.5, 0.5, 0.5]]) {
    const g = toGlobal(local.fromUnit(u));
    assert.ok(g[0]! >= 0.4 - 1e-12 && g[0]! <= 0.6 + 1e-12 && g[1]! >= 0.3 - 1e-12 && g[1]! <= 0.8 + 1e-12, JSON.stringify(g));
    assert.is(g.slice(2).reduce((s, v) => s + v, 0), 1);
  }
  const narrow = boxedFeatures(features, { lower: [0, 0.55, 0, 0, 0], upper: [1, 0.6, 1, 1, 1] }).local.dims[1]!;
  assert.equal(narrow.kind === 'grid' ? narrow.points : null, [0], 'no point inside: the nearest to the box centre (0.5) is kept, at the widened box\'s low edge');
});

test('optimizeInBox: the best point of an acquisition whose peak lies outside the box is on the box edge', () => {
  const box = { lower: [0.2, 0, 0, 0, 0], upper: [0.4, 1, 1, 1, 1] };
  // Peak at a = 0.9, b's centre 0.5, category z.
  const acq = {
    evaluate: (X: readonly (readonly number[])[]) => X.map((x) => -((x[0]! - 0.9) ** 2) - (x[1]! - 0.5) ** 2 + x[4]!),
  };
  const best = optimizeInBox(acq, { features, seed: 1, rawSamples: 64, restarts: 3 }, box)!;
  assert.ok(Math.abs(best.x[0]! - 0.4) < 1e-6, `a should reach the box edge 0.4, got ${best.x[0]}`);
  assert.ok(Math.abs(best.x[1]! - 0.5) < 1e-9, `b should be its 0.5 bin, got ${best.x[1]}`);
  assert.equal(best.x.slice(2), [0, 0, 1]);
  const rejected = optimizeInBox(acq, { features, seed: 1, rawSamples: 64, restarts: 3, isTaken: (x) => x[0]! <= 0.4 + 1e-9 }, box);
  assert.is(rejected, null, 'isTaken sees global features');
});

test.run();
