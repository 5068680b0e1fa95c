import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/math/index.js';
import { dtlz2, zdt1 } from '../../src/objectives/index.js';
import { hypervolume, hypervolume2d, hypervolume3d, hypervolumeExact, hypervolumeMonteCarlo, wfgLimit } from '../../src/pareto/index.js';

const close = (a: number, b: number, tol: number, what = ''): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} expected ${b} ± ${tol}, got ${a}`);

test('2-D staircase by hand', () => {
  // Rectangles (4-1)(4-3) + (4-2)(3-2) + (4-3)(2-1) = 3 + 2 + 1.
  assert.is(hypervolume2d([[1, 3], [2, 2], [3, 1]], [4, 4]), 6);
  // Dominated, duplicate and outside-the-reference points add nothing.
  assert.is(hypervolume2d([[1, 3], [2, 2], [3, 1], [3, 3], [2, 2], [5, 0], [0, 4]], [4, 4]), 6);
  assert.is(hypervolume2d([], [1, 1]), 0);
});

test('3-D by hand: one box, two overlapping boxes', () => {
  assert.is(hypervolume3d([[0, 0, 0]], [1, 2, 3]), 6);
  // 2·2·1 + 1·1·2 − overlap [1,2]³ = 4 + 2 − 1.
  assert.is(hypervolume3d([[0, 0, 1], [1, 1, 0]], [2, 2, 2]), 5);
  assert.is(hypervolumeExact([[0, 0, 1], [1, 1, 0]], [2, 2, 2]), 5);
});

test('zdt1 analytic front f2 = 1 − √f1: HV approaches 120 + 2/3 from below', () => {
  const n = 2000;
  const pts = Array.from({ length: n + 1 }, (_, i) => zdt1.evaluate([i / n, 0, 0, 0, 0, 0]));
  for (const [f1, f2] of pts) close(f2!, 1 - Math.sqrt(f1!), 1e-12, 'zdt1 front');
  const hv = hypervolume2d(pts, zdt1.refPoint!);
  assert.ok(hv < zdt1.bestKnown, `discrete front must stay below the continuous one, got ${hv}`);
  close(hv, zdt1.bestKnown, 2e-3, 'zdt1 HV');
});

test('dtlz2 quarter circle: HV approaches 1.21 − π/4', () => {
  const n = 4000;
  const pts = Array.from({ length: n + 1 }, (_, i) => dtlz2.evaluate([i / n, 0.5, 0.5, 0.5, 0.5, 0.5]));
  for (const [a, b] of pts) close(a! ** 2 + b! ** 2, 1, 1e-12, 'dtlz2 front on the unit circle');
  const hv = hypervolume2d(pts, dtlz2.refPoint!);
  assert.ok(hv < dtlz2.bestKnown);
  close(hv, dtlz2.bestKnown, 1e-3, 'dtlz2 HV');
});

test('3-D sphere octant: exact slicing vs brute-force Monte Carlo, and vs 1 − π/6', () => {
  const rng = new Rng(11);
  const pts: number[][] = [];
  for (let i = 0; i < 150; i++) {
    const v = [Math.abs(rng.normal()), Math.abs(rng.normal()), Math.abs(rng.normal())];
    const r = Math.hypot(...v);
    pts.push(v.map((x) => x / r));
  }
  const exact = hypervolume3d(pts, [1, 1, 1]);
  const mc = hypervolumeMonteCarlo(pts, [1, 1, 1], 200_000, () => rng.uniform());
  close(exact, mc.value, 4 * mc.standardError + 1e-9, 'slicing vs Monte Carlo');
  // A finite sample of the sphere dominates less than the whole sphere: 1 − π/6 is an upper bound.
  assert.ok(exact < 1 - Math.PI / 6 && exact > 0.3, `octant HV ${exact}`);
  close(hypervolumeExact(pts, [1, 1, 1]), exact, 1e-12, 'exact dispatcher');
});

test('4-D and 5-D WFG vs brute-force Monte Carlo; WFG agrees with slicing in 3-D', () => {
  const rng = new Rng(5);
  for (const m of [4, 5]) {
    const pts = Array.from({ length: 25 }, () => Array.from({ length: m }, () => rng.uniform()));
    const ref = Array.from({ length: m }, () => 1.2);
    const hv = hypervolume(pts, ref);
    assert.is(hv.method, 'exact-wfg');
    const mc = hypervolumeMonteCarlo(pts, ref, 200_000, () => rng.uniform());
    close(hv.value, mc.value, 4 * mc.standardError + 1e-9, `m=${m}`);
  }
  const pts3 = Array.from({ length: 40 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
  // Force the WFG recursion in 3-D by embedding in 4-D with a constant 4th coordinate.
  const as4 = pts3.map((p) => [...p, 0]);
  close(hypervolumeExact(as4, [1, 1, 1, 1]), hypervolume3d(pts3, [1, 1, 1]), 1e-12, 'WFG 4-D embedding');
});

test('beyond the WFG limit: Monte Carlo with a standard error that covers the exact value', () => {
  const rng = new Rng(9);
  const m = 6;
  const pts = Array.from({ length: wfgLimit(m) + 10 }, () => {
    const v = Array.from({ length: m }, () => -Math.log(rng.uniform()));
    const s = v.reduce((a, b) => a + b);
    return v.map((x) => x / s);
  });
  const ref = Array.from({ length: m }, () => 1.1);
  const est = hypervolume(pts, ref);
  assert.is(est.method, 'monte-carlo');
  assert.ok(est.standardError > 0 && est.standardError < 0.01 * est.value);
  // The exact value of a subset is a lower bound; the estimate stays above it (within 4 SE).
  const subset = hypervolumeExact(pts.slice(0, 40), ref);
  assert.ok(est.value > subset - 4 * est.standardError, `${est.value} vs subset ${subset}`);
});

test('hypervolume() reports its method', () => {
  assert.is(hypervolume([[0, 0]], [1, 1]).method, 'exact-2d');
  assert.is(hypervolume([[0, 0, 0]], [1, 1, 1]).method, 'exact-3d');
  assert.is(hypervolume([[0]], [1]).method, 'none');
});

test.run();
