/**
 * The GP grows its factor between hyperparameter refits by appending rows (choleskyExtend) instead
 * of refactoring: the appended factor must equal a fresh factorization of the whole matrix, on
 * well- and ill-conditioned kernel matrices, one row or a block at a time, over many appends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cholesky, choleskyExtend, solveLower, solveLowerMany } from '../../src/gp/linalg.js';
import { crossKernel, kernelMatrix } from '../../src/gp/kernel.js';
import { lcg, randomMatrix } from './helpers.js';

/** Largest |a − b| over the lower triangle, relative to the largest |b|. */
function maxRelDiff(a: Float64Array, b: Float64Array, n: number): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      diff = Math.max(diff, Math.abs(a[i * n + j]! - b[i * n + j]!));
      scale = Math.max(scale, Math.abs(b[i * n + j]!));
    }
  }
  return diff / scale;
}

/** Factor the first `start` rows, append the rest in blocks of `step`, compare with a fresh factor. */
function appendAll(X: Float64Array[], ls: number[], noise: number, start: number, step: number): { appended: Float64Array; fresh: Float64Array; jitter: number } {
  const N = X.length;
  let n = start;
  let { L } = cholesky(kernelMatrix(X.slice(0, n), ls, 1, noise), n);
  while (n < N) {
    const k = Math.min(step, N - n);
    const cross = crossKernel(X.slice(0, n), X.slice(n, n + k), ls, 1);
    const block = kernelMatrix(X.slice(n, n + k), ls, 1, noise);
    L = choleskyExtend(L, n, cross, block, k);
    n += k;
  }
  const fresh = cholesky(kernelMatrix(X, ls, 1, noise), N);
  return { appended: L, fresh: fresh.L, jitter: fresh.jitter };
}

test('appending rows one at a time equals a fresh factorization (well conditioned, 40 appends)', () => {
  const X = randomMatrix(120, 5, 7).map((x) => Float64Array.from(x));
  const { appended, fresh, jitter } = appendAll(X, [0.5, 0.6, 0.7, 0.8, 0.9], 1e-2, 80, 1);
  assert.is(jitter, 0);
  const d = maxRelDiff(appended, fresh, X.length);
  assert.ok(d < 1e-9, `max relative difference ${d}`);
});

test('appending blocks of 7 rows equals a fresh factorization', () => {
  const X = randomMatrix(150, 3, 8).map((x) => Float64Array.from(x));
  const { appended, fresh } = appendAll(X, [0.3, 0.4, 0.5], 1e-3, 31, 7);
  const d = maxRelDiff(appended, fresh, X.length);
  assert.ok(d < 1e-9, `max relative difference ${d}`);
});

test('ill-conditioned: long lengthscales, tiny noise and clustered points still agree to 1e-9', () => {
  // Points in two tight clusters, lengthscale 2 on the unit cube, noise 1e-8: condition number
  // near 1e8 (checked below), yet no jitter is needed, so both factors are of the same matrix.
  const r = lcg(9);
  const X = Array.from({ length: 90 }, (_, i) => Float64Array.from({ length: 2 }, () => (i % 2 ? 0.2 : 0.7) + 0.05 * r.random()));
  const ls = [2, 2];
  const { appended, fresh, jitter } = appendAll(X, ls, 1e-8, 60, 1);
  assert.is(jitter, 0);
  let minDiag = Infinity;
  let maxDiag = 0;
  for (let i = 0; i < X.length; i++) {
    minDiag = Math.min(minDiag, fresh[i * X.length + i]!);
    maxDiag = Math.max(maxDiag, fresh[i * X.length + i]!);
  }
  // (max L_ii / min L_ii)² bounds the condition number from below.
  assert.ok((maxDiag / minDiag) ** 2 > 1e6, `expected an ill-conditioned matrix, got diagonal ratio² ${(maxDiag / minDiag) ** 2}`);
  const d = maxRelDiff(appended, fresh, X.length);
  assert.ok(d < 1e-9, `max relative difference ${d}`);
});

test('solveLowerMany equals one solveLower per right-hand side', () => {
  const n = 37;
  const m = 11;
  const X = randomMatrix(n, 3, 10).map((x) => Float64Array.from(x));
  const { L } = cholesky(kernelMatrix(X, [0.3, 0.4, 0.5], 1, 1e-4), n);
  const B = Float64Array.from(randomMatrix(n, m, 11).flat());
  const many = solveLowerMany(L, n, Float64Array.from(B), m);
  for (let j = 0; j < m; j++) {
    const one = solveLower(L, n, Float64Array.from({ length: n }, (_, i) => B[i * m + j]!));
    for (let i = 0; i < n; i++) assert.ok(Math.abs(one[i]! - many[i * m + j]!) <= 1e-9 * Math.max(1, Math.abs(one[i]!)), `row ${i}, column ${j}: ${many[i * m + j]} vs ${one[i]}`);
  }
});

test.run();
