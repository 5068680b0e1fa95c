import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { argmaxPerDraw, linspace, quantile, sStarFromDraws } from '../../src/balance/index.js';

test('quantile: type 7 interpolation', () => {
  assert.is(quantile([3, 1, 2], 0.5), 2);
  assert.is(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.is(quantile([0, 10], 0.05), 0.5);
  assert.is(quantile([5], 0.95), 5);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  // Input order is left alone (simple-statistics selects on a copy).
  const xs = [9, 1, 5, 3];
  assert.is(quantile(xs, 0.25), 2.5);
  assert.equal(xs, [9, 1, 5, 3]);
});

test('quantile: q outside [0, 1] is rejected with the value', () => {
  assert.throws(() => quantile([1, 2], 1.5), /\[0, 1\], got 1\.5/);
  assert.throws(() => quantile([1, 2], NaN), /got NaN/);
});

test('argmax per draw on the grid', () => {
  const grid = [1, 2, 3];
  assert.equal(argmaxPerDraw(grid, [[0, 1, 0], [5, 0, 0], [0, 0, 9]]), [2, 1, 3]);
});

test('S* interval from draws whose argmax is known: parabolas with peaks uniform on [9, 11]', () => {
  const grid = linspace(5, 15, 1001); // step 0.01
  const n = 2001;
  const peaks = Array.from({ length: n }, (_, k) => 9 + (2 * k) / (n - 1));
  const draws = peaks.map((mu) => grid.map((s) => -((s - mu) ** 2) + 0.3));
  const r = sStarFromDraws(grid, draws);
  // Uniform on [9, 11]: median 10, 5th percentile 9.1, 95th 10.9 (to the grid step).
  assert.ok(Math.abs(r.median - 10) <= 0.01, `median ${r.median}`);
  assert.ok(Math.abs(r.lo - 9.1) <= 0.011, `lo ${r.lo}`);
  assert.ok(Math.abs(r.hi - 10.9) <= 0.011, `hi ${r.hi}`);
});

test('linspace', () => {
  assert.equal(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(linspace(2, 4, 1), [3]);
});

test.run();
