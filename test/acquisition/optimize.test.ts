import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { optimizeAcquisition, type AcquisitionFunction } from '../../src/acquisition/index.js';
import { FeatureMap, type ParamSpec } from '../../src/space/index.js';

const unitFloat: ParamSpec = { type: 'float', low: 0, high: 1, log: false };

/** A smooth test acquisition with a known maximum, with an analytic gradient. */
function quadratic(center: readonly number[]): AcquisitionFunction {
  const v = (x: readonly number[]): number => -x.reduce((s, xi, i) => s + (xi - center[i]!) ** 2, 0);
  return {
    evaluate: (X) => X.map(v),
    evaluateWithGradient: (x) => ({ value: v(x), grad: x.map((xi, i) => -2 * (xi - center[i]!)) }),
  };
}

test('finds a continuous interior maximum to high precision, with and without gradients', () => {
  const features = new FeatureMap({ a: unitFloat, b: unitFloat, c: unitFloat });
  const c = [0.123, 0.777, 0.5];
  const withGrad = optimizeAcquisition(quadratic(c), { features, seed: 1 })!;
  withGrad.x.forEach((xi, i) => assert.ok(Math.abs(xi - c[i]!) < 1e-4, `x${i} = ${xi}`));
  const q = quadratic(c);
  const fdOnly = optimizeAcquisition({ evaluate: q.evaluate }, { features, seed: 1 })!;
  fdOnly.x.forEach((xi, i) => assert.ok(Math.abs(xi - c[i]!) < 1e-3, `finite differences: x${i} = ${xi}`));
});

test('maximum on the boundary is reached exactly (projection)', () => {
  const r = optimizeAcquisition(quadratic([-0.5, 0.3]), { features: new FeatureMap({ a: unitFloat, b: unitFloat }), seed: 2 })!;
  assert.is(r.x[0], 0);
});

test('grid and one-hot dimensions come back valid; taken configurations are skipped', () => {
  // An int 0..4 has bin centres 0.1, 0.3, ..., 0.9; a 3-choice categorical is a one-hot block.
  const grid = [0.1, 0.3, 0.5, 0.7, 0.9];
  const features = new FeatureMap({
    n: { type: 'int', low: 0, high: 4, step: 1, log: false },
    kind: { type: 'categorical', choices: ['a', 'b', 'c'] },
    rate: unitFloat,
  });
  assert.equal(features.dims, [{ kind: 'grid', points: grid }, { kind: 'onehot', size: 3 }, { kind: 'continuous' }]);
  // Best: grid value 0.5 (relaxed optimum 0.46), category 2, continuous 0.2.
  const acq: AcquisitionFunction = {
    evaluate: (X) => X.map((x) => -((x[0]! - 0.46) ** 2) + (x[3]! === 1 ? 1 : 0) - (x[4]! - 0.2) ** 2),
  };
  const r = optimizeAcquisition(acq, { features, seed: 3 })!;
  assert.is(r.x[0], 0.5);
  assert.equal(r.x.slice(1, 4), [0, 0, 1]);
  assert.ok(Math.abs(r.x[4]! - 0.2) < 1e-3);
  // Forbid every configuration with grid value 0.5 in category 2: the next best is taken instead.
  const r2 = optimizeAcquisition(acq, { features, seed: 3, isTaken: (x) => x[0] === 0.5 && x[3] === 1 })!;
  assert.ok(!(r2.x[0] === 0.5 && r2.x[3] === 1), `got ${r2.x}`);
  assert.ok(grid.includes(r2.x[0]!));
  // All taken → null.
  assert.is(optimizeAcquisition(acq, { features, seed: 3, isTaken: () => true }), null);
  assert.equal(features.round([0.62, 0.2, 0.7, 0.1, 1.4]), [0.7, 0, 1, 0, 1]);
});

test('anchors: a narrow peak next to an anchor is found through its perturbations, and missed without them', () => {
  // Zero (and flat) everywhere but within 0.004 of x = 0.711: raw Sobol candidates and their
  // refinements miss it; candidates perturbed around the anchor 0.71 land on it.
  const peak = 0.711;
  const acq: AcquisitionFunction = { evaluate: (X) => X.map((x) => (Math.abs(x[0]! - peak) < 0.004 ? Math.exp(-(((x[0]! - peak) / 0.002) ** 2)) : 0)) };
  const features = new FeatureMap({ a: unitFloat });
  const found = optimizeAcquisition(acq, { features, seed: 5, rawSamples: 16, anchors: [[0.71]] })!;
  assert.ok(Math.abs(found.x[0]! - peak) < 1e-3, `found ${found.x[0]}`);
  const missed = optimizeAcquisition(acq, { features, seed: 5, rawSamples: 16 })!;
  assert.ok(missed.value < 0.01, `without anchors the bump is missed (value ${missed.value})`);
  const none = optimizeAcquisition(acq, { features, seed: 5, rawSamples: 16, anchors: [[0.71]], perAnchor: 0 })!;
  assert.ok(none.value < 0.01, 'no perturbations, no find');
});

test('perturbations of a one-hot anchor stay valid blocks and sometimes switch category', () => {
  const features = new FeatureMap({ kind: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] } });
  // Only category d scores; the anchor is category a and the raw design is a single point.
  const acq: AcquisitionFunction = { evaluate: (X) => X.map((x) => (x[3] === 1 ? 1 : 0)) };
  const r = optimizeAcquisition(acq, { features, seed: 2, rawSamples: 1, anchors: [[1, 0, 0, 0]], perAnchor: 32 })!;
  assert.equal(r.x, [0, 0, 0, 1]);
});

test.run();
