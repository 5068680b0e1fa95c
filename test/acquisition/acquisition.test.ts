import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  hypervolumeImprovement,
  logEHVI2d,
  logEHVIScore,
  logExpectedImprovement,
  logMCEHVIScore,
  marginalAcquisition,
  logEIScore,
  withFeasibility,
  chebyshevScalarize,
  simplexWeights,
} from '../../src/acquisition/index.js';
import { hypervolumeExact as hypervolume } from '../../src/pareto/index.js';
import { stripes2d } from '../../src/acquisition/ehvi.js';
import { fitGP, normCdf } from '../../src/gp/index.js';
import { Rng } from '../../src/math/index.js';

test('log EI equals the closed form where it does not underflow, and stays finite where it does', () => {
  const mu = 0.3;
  const sd = 0.5;
  const best = 0.1;
  const z = (best - mu) / sd;
  const ei = (best - mu) * normCdf(z) + sd * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  assert.ok(Math.abs(logExpectedImprovement(mu, sd, best) - Math.log(ei)) < 1e-12);
  const far = logExpectedImprovement(100, 0.1, 0);
  assert.ok(Number.isFinite(far) && far < -4000, `far-away log EI ${far}`);
  assert.ok(logExpectedImprovement(100, 0.1, 0) < logExpectedImprovement(99, 0.1, 0), 'still ordered far away');
});

test('hypervolume matches the 2-D sweep of problems.py and a 3-D hand count', () => {
  const pts = [[1, 5], [2, 3], [4, 1], [3, 4]];
  // problems.py hypervolume_2d by hand: (10-1)(10-5) + (10-2)(5-3) + (10-4)(3-1) = 45 + 16 + 12
  assert.is(hypervolume(pts, [10, 10]), 73);
  assert.is(hypervolume([[0, 0, 0]], [1, 2, 3]), 6);
  // Two unit cubes overlapping in a 0.5-thick slab: 1 + 1 − 0.5.
  assert.ok(Math.abs(hypervolume([[0, 0, 0], [0.5, 0, 0]], [1, 1, 1]) - 1) < 1e-12);
  assert.ok(Math.abs(hypervolume([[0, 0.5, 0], [0.5, 0, 0]], [1, 1, 1]) - 0.75) < 1e-12);
  assert.ok(Math.abs(hypervolumeImprovement([1.5, 2], pts, [10, 10]) - (hypervolume([...pts, [1.5, 2]], [10, 10]) - 73)) < 1e-12);
});

test('exact 2-D EHVI agrees with a Monte-Carlo estimate', () => {
  const front = [[0.2, 0.9], [0.4, 0.5], [0.7, 0.3], [0.9, 0.1]];
  const ref = [1.1, 1.1];
  const st = stripes2d(front, ref);
  const rng = new Rng(3);
  for (const [m1, s1, m2, s2] of [
    [0.5, 0.2, 0.4, 0.1],
    [0.1, 0.05, 0.2, 0.3],
    [0.8, 0.4, 0.8, 0.4],
  ]) {
    const exact = Math.exp(logEHVI2d(st, m1!, s1!, m2!, s2!));
    let sum = 0;
    const N = 40000;
    for (let i = 0; i < N; i++) sum += hypervolumeImprovement([m1! + s1! * rng.normal(), m2! + s2! * rng.normal()], front, ref);
    const mc = sum / N;
    assert.ok(Math.abs(exact - mc) < 0.03 * mc + 1e-4, `EHVI exact ${exact} vs MC ${mc}`);
  }
  // A point far outside still gets a finite, ordered log EHVI.
  const a = logEHVI2d(st, 5, 0.1, 5, 0.1);
  const b = logEHVI2d(st, 4, 0.1, 4, 0.1);
  assert.ok(Number.isFinite(a) && a < b, `far log EHVI ordered: ${a} < ${b}`);
});

test('MC EHVI for 3 objectives converges to the exact 2-D value when the third objective is fixed', () => {
  const front2 = [[0.2, 0.9], [0.4, 0.5], [0.7, 0.3]];
  const ref2 = [1, 1];
  const rng = new Rng(5);
  const base = Array.from({ length: 4000 }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const mc = logMCEHVIScore(front2.map((p) => [...p, 0]), [...ref2, 1], base);
  // Third objective: candidate at 0 with tiny sd, same as the front → only the 2-D part counts.
  const v = Math.exp(mc(Float64Array.from([0.5, 0.4, 0]), Float64Array.from([0.2, 0.1, 1e-9])));
  const exact = Math.exp(logEHVI2d(stripes2d(front2, ref2), 0.5, 0.2, 0.4, 0.1));
  assert.ok(Math.abs(v - exact) < 0.05 * exact, `MC ${v} vs exact ${exact}`);
});

test('acquisition gradient through the GP matches finite differences', () => {
  const rng = new Rng(7);
  const X = Array.from({ length: 15 }, () => [rng.uniform(), rng.uniform()]);
  const m1 = fitGP(X, X.map((x) => (x[0]! - 0.3) ** 2 + x[1]!));
  const m2 = fitGP(X, X.map((x) => 1 - x[0]! + 0.3 * Math.sin(5 * x[1]!)));
  const c = fitGP(X, X.map((x) => 0.6 - x[0]! - x[1]!));
  const front = X.map((x) => [(x[0]! - 0.3) ** 2 + x[1]!, 1 - x[0]! + 0.3 * Math.sin(5 * x[1]!)]);
  const scores = [
    marginalAcquisition([m1], logEIScore(0.05)),
    marginalAcquisition([m1, m2, c], withFeasibility(logEHVIScore(front, [2, 2]), [1], 2)),
  ];
  for (const acq of scores) {
    for (const x of [[0.41, 0.27], [0.9, 0.8]]) {
      const { value, grad } = acq.evaluateWithGradient!(x);
      const direct = acq.evaluate([x])[0]!;
      assert.ok(Math.abs(value - direct) < 1e-7 * Math.max(1, Math.abs(direct)), `value ${value} vs ${direct}`);
      for (let j = 0; j < 2; j++) {
        const h = 1e-6;
        const xp = [...x];
        const xm = [...x];
        xp[j] += h;
        xm[j] -= h;
        const fd = (acq.evaluate([xp])[0]! - acq.evaluate([xm])[0]!) / (2 * h);
        assert.ok(Math.abs(fd - grad[j]!) < 1e-2 * Math.max(1, Math.abs(fd)), `d/dx${j} at ${x}: ${grad[j]} vs ${fd}`);
      }
    }
  }
});

test('ParEGO scalarization: weights on the simplex, Chebyshev order', () => {
  const w = simplexWeights([0.2, 0.5, 0.9]);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12 && w.every((v) => v > 0));
  const s = chebyshevScalarize([[0, 1], [1, 0], [0.5, 0.5], [1, 1]], [0.5, 0.5]);
  assert.ok(s[2]! < s[0]! && s[2]! < s[1]! && s[3]! > s[0]!, `scalarized ${s}`);
});

test.run();
