/**
 * Which rows the hyperparameters are fitted on past `maxFitPoints` (fit.ts `fitSubset`), and the
 * screened multi-start (`screenIter`) that cold fits at large n use.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitGP, GPError } from '../../src/gp/index.js';
import { fitSubset } from '../../src/gp/fit.js';
import { packHyper } from '../../src/gp/hyper.js';
import { makeFitData, negLogPosterior } from '../../src/gp/likelihood.js';
import { lcg, randomMatrix } from './helpers.js';

const f = (x: readonly number[]): number => Math.sin(5 * x[0]!) + Math.cos(3 * x[1]!) * x[2]! + 0.3 * x[3]!;

test('up to the bound every row is used, in order', () => {
  assert.equal(fitSubset(1, 120), [0]);
  assert.equal(fitSubset(50, 120), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(fitSubset(120, 120), Array.from({ length: 120 }, (_, i) => i));
});

test('past the bound: exactly the bound, distinct increasing rows spread evenly from the first to the last trials, the same on every call', () => {
  for (const [n, max] of [
    [121, 120],
    [1000, 120],
    [1107, 120],
    [300, 7],
  ] as const) {
    const rows = fitSubset(n, max);
    assert.is(rows.length, max, `n=${n}: size`);
    assert.equal(fitSubset(n, max), rows, `n=${n}: deterministic`);
    assert.is(rows[0], 0, `n=${n}: starts at the first trial`);
    assert.ok(rows[max - 1]! >= n - Math.ceil(n / max), `n=${n}: reaches the last trials, got ${rows[max - 1]}`);
    for (let i = 1; i < max; i++) {
      const gap = rows[i]! - rows[i - 1]!;
      assert.ok(gap >= 1 && gap <= Math.ceil(n / max), `n=${n}: gap ${gap} at ${i}`);
    }
  }
});

test('fitGP fits hyperparameters on the subset only: swapping two outputs outside it changes nothing, inside it does', () => {
  const n = 40;
  const max = 10;
  const X = randomMatrix(n, 4, 7);
  const y = X.map(f);
  const rows = fitSubset(n, max);
  const outside = X.map((_, i) => i).filter((i) => !rows.includes(i));
  const swapped = (a: number, b: number): number[] => y.map((v, i) => (i === a ? y[b]! : i === b ? y[a]! : v));
  const fit = (ys: readonly number[]): unknown => fitGP(X, ys, { seed: 3, maxFitPoints: max }).hyper;
  const base = fit(y);
  // A swap keeps the outputs' mean and spread (the standardization), so only the rows the fit sees
  // can change the hyperparameters.
  assert.equal(fit(swapped(outside[0]!, outside[5]!)), base);
  assert.not.equal(fit(swapped(rows[1]!, rows[6]!)), base);
});

test('maxFitPoints below 1 is refused with the option named', () => {
  assert.throws(() => fitGP([[0], [1]], [0, 1], { maxFitPoints: 0 }), (e: unknown) => e instanceof GPError && /maxFitPoints/.test((e as Error).message));
});

test('screened starts: the best start continues, reaching the full multi-start optimum; screening alone stops short of it', () => {
  const X = randomMatrix(150, 4, 11);
  const r = lcg(12);
  const y = X.map((x) => f(x) + 0.01 * r.normal());
  const value = (hyper: Parameters<typeof packHyper>[0]): number => {
    // The log posterior on the rows the fit saw, in standardized units (as fitGP standardizes).
    const rows = fitSubset(150, 120);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / (y.length - 1));
    const data = makeFitData(
      rows.map((i) => X[i]!),
      Float64Array.from(rows, (i) => (y[i]! - mean) / sd),
      null,
    );
    return negLogPosterior(packHyper(hyper), data).value;
  };
  const full = value(fitGP(X, y, { seed: 2, restarts: 3 }).hyper);
  const screened = value(fitGP(X, y, { seed: 2, restarts: 3, screenIter: 10 }).hyper);
  const screenOnly = value(fitGP(X, y, { seed: 2, restarts: 3, maxIter: 10 }).hyper);
  assert.ok(screened <= full + 1e-3 * Math.abs(full), `screened ${screened} vs full ${full}`);
  assert.ok(screenOnly > screened + 1e-2, `ten iterations alone ${screenOnly} should stop short of ${screened}`);
});

test.run();
