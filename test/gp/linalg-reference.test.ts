/**
 * The GP's hand-written Float64Array linear algebra (src/gp/linalg.ts, kept for speed: see
 * reports/bench/linalg.md) checked against an independent implementation, ml-matrix: Cholesky
 * factor, triangular solves, K⁻¹b, log-determinant, K⁻¹, the rank-k factor update, and the GP's
 * joint posterior covariance. Random SPD matrices and near-singular kernel matrices (duplicate
 * inputs) that only factor with jitter.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CholeskyDecomposition, LuDecomposition, Matrix, inverse } from 'ml-matrix';
import {
  cholesky,
  choleskyExtend,
  cholInverse,
  cholSolve,
  halfLogDet,
  solveLower,
  solveUpperT,
} from '../../src/gp/linalg.js';
import { crossKernel, kernelMatrix } from '../../src/gp/kernel.js';
import { fitGP } from '../../src/gp/index.js';
import { lcg, randomMatrix } from './helpers.js';

const TOL = 1e-9;

/** max |x − y| / max |y|: relative to the reference's scale, so tiny entries do not blow it up. */
function relDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.is(x.length, y.length, 'lengths');
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst / Math.max(scale, 1e-300);
}

function agree(x: ArrayLike<number>, y: ArrayLike<number>, what: string, tol = TOL): void {
  const d = relDiff(x, y);
  assert.ok(d <= tol, `${what}: relative difference ${d.toExponential(2)} > ${tol}`);
}

const flat = (M: Matrix): Float64Array => Float64Array.from(M.to1DArray());
const toMatrix = (A: Float64Array, r: number, c: number): Matrix => Matrix.from1DArray(r, c, Array.from(A));

/** `n × n` SPD matrix G Gᵀ + I (G standard normal), row-major: well conditioned. */
function randomSPD(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  const G = Array.from({ length: n }, () => Array.from({ length: n }, r.normal));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += G[i]![k]! * G[j]![k]!;
      A[i * n + j] = s;
    }
  }
  return A;
}

/**
 * `n × n` Matérn kernel matrix (no noise) of n points in [0,1]^2 where the second half repeats the
 * first: exactly singular in exact arithmetic, so it needs jitter to factor.
 */
function duplicateKernel(n: number, seed: number): Float64Array {
  const half = randomMatrix(n / 2, 2, seed);
  const X = [...half, ...half].map((x) => Float64Array.from(x));
  return kernelMatrix(X, [0.3, 0.3], 1, 0);
}

function addDiagonal(A: Float64Array, n: number, v: number): Float64Array {
  const B = new Float64Array(A);
  for (let i = 0; i < n; i++) B[i * n + i] += v;
  return B;
}

/**
 * Everything linalg.ts computes from one factor, against ml-matrix on the (jittered) matrix. The
 * factor and log det are compared at 1e-9; the solves and K⁻¹ at `solveTol`: two correct solvers
 * on a matrix of condition number κ differ by up to about κ·ε, so for near-singular matrices
 * (κ ≈ 1e8) the forward comparison is loosened to 1e-6 and the 1e-9 check is instead on the
 * normwise backward error ‖K x − b‖ / (‖K‖ ‖x‖), which stability guarantees whatever κ is.
 */
function checkAll(A: Float64Array, n: number, seed: number, label: string, solveTol = TOL): void {
  const tol = TOL;
  const { L, jitter } = cholesky(A, n);
  const Aj = addDiagonal(A, n, jitter);
  const Am = toMatrix(Aj, n, n);
  const ref = new CholeskyDecomposition(Am);
  assert.ok(ref.isPositiveDefinite(), `${label}: ml-matrix must factor A + jitter (${jitter})`);
  agree(L, flat(ref.lowerTriangularMatrix), `${label} Cholesky factor`, tol);

  const r = lcg(seed);
  const b = Float64Array.from({ length: n }, r.normal);
  const bm = Matrix.columnVector(Array.from(b));
  const Lm = ref.lowerTriangularMatrix;
  // Triangular solves against ml-matrix's general solver on the same triangle (LU, independent of ours).
  agree(solveLower(L, n, new Float64Array(b)), flat(new LuDecomposition(Lm).solve(bm)), `${label} L⁻¹b`, solveTol);
  agree(solveUpperT(L, n, new Float64Array(b)), flat(new LuDecomposition(Lm.transpose()).solve(bm)), `${label} L⁻ᵀb`, solveTol);
  const x = cholSolve(L, n, b);
  agree(x, flat(ref.solve(bm)), `${label} K⁻¹b`, solveTol);
  const xm = Matrix.columnVector(Array.from(x));
  const backward = Am.mmul(xm).sub(bm).norm() / (Am.norm() * xm.norm());
  assert.ok(backward <= TOL, `${label} backward error of K⁻¹b: ${backward.toExponential(2)} > ${TOL}`);

  // ½ log det K against ml-matrix's LU determinant (log|det| summed from the LU pivots to avoid overflow).
  const lu = new LuDecomposition(Am);
  const U = lu.upperTriangularMatrix;
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(Math.abs(U.get(i, i)));
  const half = halfLogDet(L, n);
  assert.ok(Math.abs(half - 0.5 * logDet) <= tol * Math.max(1, Math.abs(half)), `${label} ½ log det: ${half} vs ${0.5 * logDet}`);

  agree(cholInverse(L, n), flat(inverse(Am)), `${label} K⁻¹`, solveTol);
}

test('random SPD matrices (n = 1, 5, 7, 30, 80; every remainder of the 4-column panels): factor, solves, log det and inverse match ml-matrix to 1e-9', () => {
  for (const [n, seed] of [
    [1, 3],
    [5, 11],
    [7, 14],
    [30, 12],
    [80, 13],
  ] as const) {
    const A = randomSPD(n, seed);
    assert.is(cholesky(A, n).jitter, 0, 'well-conditioned matrix needs no jitter');
    checkAll(A, n, seed + 100, `SPD n=${n}`);
  }
});

test('near-singular kernel matrices factor only with jitter, and then match ml-matrix on A + jitter·I', () => {
  for (const [n, seed] of [
    [10, 21],
    [40, 22],
    [60, 24],
  ] as const) {
    const A = duplicateKernel(n, seed);
    // Must take the jitter path, or the test would not exercise it.
    const { jitter } = cholesky(A, n);
    assert.ok(jitter > 0, `n=${n}: duplicate inputs should need jitter, got ${jitter}`);
    // Condition number ≈ 1/jitter ≈ 1e8 (measured forward differences 6e-9 – 2e-8, factor 1e-12,
    // backward error 3e-17): see checkAll.
    checkAll(A, n, seed + 200, `near-singular n=${n} (jitter ${jitter.toExponential(0)})`, 1e-6);
  }
});

test('choleskyExtend equals ml-matrix Cholesky of the bordered matrix', () => {
  const n = 25;
  const k = 6;
  const N = n + k;
  const X = randomMatrix(N, 3, 31).map((x) => Float64Array.from(x));
  const full = kernelMatrix(X, [0.4, 0.5, 0.6], 1.3, 1e-3);
  const old = kernelMatrix(X.slice(0, n), [0.4, 0.5, 0.6], 1.3, 1e-3);
  const cross = crossKernel(X.slice(0, n), X.slice(n), [0.4, 0.5, 0.6], 1.3); // n × k
  const block = kernelMatrix(X.slice(n), [0.4, 0.5, 0.6], 1.3, 1e-3);
  const { L, jitter } = cholesky(old, n);
  assert.is(jitter, 0);
  const extended = choleskyExtend(L, n, cross, block, k);
  agree(extended, flat(new CholeskyDecomposition(toMatrix(full, N, N)).lowerTriangularMatrix), 'extended factor');
});

test('GP joint posterior covariance equals Kqq − Kqx K⁻¹ Kxq computed with ml-matrix', () => {
  const r = lcg(41);
  const X = randomMatrix(30, 2, 42);
  const y = X.map(([a, b]) => Math.sin(6 * a!) + b! * b! + 0.05 * r.normal());
  const model = fitGP(X, y, { seed: 3 });
  const Q = randomMatrix(12, 2, 43);
  const { cov } = model.jointPosterior(Q);

  const { lower, span } = model.inputTransform;
  const scale = (x: readonly number[]): Float64Array => Float64Array.from(x, (v, k) => (v - lower[k]!) / span[k]!);
  const Xs = X.map(scale);
  const Qs = Q.map(scale);
  const { lengthscales, outputScale, noise } = model.hyper;
  const K = toMatrix(kernelMatrix(Xs, lengthscales, outputScale, noise), X.length, X.length);
  const Kqx = toMatrix(crossKernel(Qs, Xs, lengthscales, outputScale), Q.length, X.length);
  const Kqq = toMatrix(crossKernel(Qs, Qs, lengthscales, outputScale), Q.length, Q.length);
  const ref = Kqq.sub(Kqx.mmul(inverse(K)).mmul(Kqx.transpose())).mul(model.yStd ** 2);
  agree(Float64Array.from(cov.flat()), flat(ref), 'posterior covariance');
});

test.run();
