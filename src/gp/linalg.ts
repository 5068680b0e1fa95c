/**
 * Dense linear algebra on row-major Float64Array matrices: the few kernels a GP needs
 * (Cholesky with growing jitter, triangular solves, inverse from a factor). Hand-written rather
 * than through ml-matrix because these loops dominate fitting time, and bench:linalg
 * (reports/bench/linalg.md) measures ml-matrix slower on every one of them (factor + K⁻¹ is
 * needed once per likelihood gradient). ml-matrix stays the
 * independent reference these kernels are tested against (test/gp/linalg-reference.test.ts).
 */
import { GPError } from '../errors.js';

/** A symmetric positive-definite `n × n` matrix could not be factored even with the largest jitter. */
export class CholeskyError extends GPError {
  override readonly name = 'CholeskyError';
}

export interface CholeskyResult {
  /** `n × n` lower-triangular factor, row-major (upper part zero). */
  readonly L: Float64Array;
  /** Jitter that was added to the diagonal to make the factorization succeed (0 if none). */
  readonly jitter: number;
}

/**
 * In-place attempt; returns false if a pivot is not positive. `A` is `n × n`, row-major.
 * Column by column; below the pivot, two rows at a time share the loads of the pivot row, each
 * with two partial sums (1.6× faster than one row and one sum at n = 1,000, which the GP
 * factors whenever its hyperparameters change).
 */
function choleskyInPlace(L: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = L[rj + j]!;
    for (let k = 0; k < j; k++) d -= L[rj + k]! * L[rj + k]!;
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    L[rj + j] = ljj;
    const inv = 1 / ljj;
    let i = j + 1;
    for (; i + 1 < n; i += 2) {
      const ra = i * n;
      const rb = ra + n;
      let a0 = 0;
      let a1 = 0;
      let b0 = 0;
      let b1 = 0;
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const l0 = L[rj + k]!;
        const l1 = L[rj + k + 1]!;
        a0 += L[ra + k]! * l0;
        a1 += L[ra + k + 1]! * l1;
        b0 += L[rb + k]! * l0;
        b1 += L[rb + k + 1]! * l1;
      }
      for (; k < j; k++) {
        const l0 = L[rj + k]!;
        a0 += L[ra + k]! * l0;
        b0 += L[rb + k]! * l0;
      }
      L[ra + j] = (L[ra + j]! - (a0 + a1)) * inv;
      L[rb + j] = (L[rb + j]! - (b0 + b1)) * inv;
    }
    for (; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = 0; k < j; k++) s += L[ri + k]! * L[rj + k]!;
      L[ri + j] = (L[ri + j]! - s) * inv;
    }
    for (let k = j + 1; k < n; k++) L[rj + k] = 0;
  }
  return true;
}

/**
 * Cholesky factor of the symmetric `n × n` matrix `A` (row-major). On failure, retries with jitter
 * 1e-8 · mean(diag), growing tenfold, up to `maxJitter` · mean(diag); kernel matrices of nearly
 * duplicate inputs are singular in floating point even though they are PSD in exact arithmetic.
 */
export function cholesky(A: Float64Array, n: number, maxJitter = 1e-2): CholeskyResult {
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += A[i * n + i]!;
  meanDiag = n > 0 ? Math.max(meanDiag / n, 1e-300) : 1;
  const L = new Float64Array(A);
  if (choleskyInPlace(L, n)) return { L, jitter: 0 };
  for (let rel = 1e-8; rel <= maxJitter * 1.0001; rel *= 10) {
    const jitter = rel * meanDiag;
    L.set(A);
    for (let i = 0; i < n; i++) L[i * n + i] += jitter;
    if (choleskyInPlace(L, n)) return { L, jitter };
  }
  throw new CholeskyError(
    `matrix must be positive definite after adding jitter up to ${maxJitter} × mean diagonal, got failure with n = ${n}, mean diagonal = ${meanDiag}`,
  );
}

/** Solves L x = b in place (L lower-triangular `n × n`). */
export function solveLower(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * b[k]!;
    b[i] = s / L[ri + i]!;
  }
  return b;
}

/** Solves Lᵀ x = b in place (L lower-triangular `n × n`). */
export function solveUpperT(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
  return b;
}

/** Lᵀ as a row-major matrix, so back substitution reads rows (contiguous) instead of columns. */
export function transpose(L: Float64Array, n: number): Float64Array {
  const U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k <= i; k++) U[k * n + i] = L[i * n + k]!;
  return U;
}

/** Solves U x = b in place for upper-triangular U (`n × n`, row-major), e.g. U = Lᵀ from `transpose`. */
export function solveUpper(U: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= U[ri + k]! * b[k]!;
    b[i] = s / U[ri + i]!;
  }
  return b;
}

/** K⁻¹ b from the Cholesky factor of K. */
export function cholSolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b as ArrayLike<number>);
  solveLower(L, n, x);
  solveUpperT(L, n, x);
  return x;
}

/** `n × n` inverse of K = L Lᵀ (full symmetric matrix), via L⁻¹ then L⁻ᵀ L⁻¹. */
export function cholInverse(L: Float64Array, n: number): Float64Array {
  // M = L⁻¹, lower-triangular, computed column by column by forward substitution.
  const M = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    M[j * n + j] = 1 / L[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s -= L[ri + k]! * M[k * n + j]!;
      M[ri + j] = s / L[ri + i]!;
    }
  }
  // K⁻¹[i][j] = Σ_{k ≥ max(i,j)} M[k][i] M[k][j].
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const mki = M[rk + i]!;
      if (mki === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) out[ri + j] += mki * M[rk + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j]!;
  return out;
}

/** Σ log L_ii, i.e. ½ log det K. */
export function halfLogDet(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]!);
  return s;
}

/**
 * Extends the factor of an `n × n` K by `m` new rows/columns in O((n+m)² m) instead of refactoring.
 * `cross` is `n × m` (row-major) k(X_old, X_new); `block` is `m × m` k(X_new, X_new) (+ noise).
 * Returns the `(n+m) × (n+m)` factor, adding jitter to the new block only if it is needed.
 */
export function choleskyExtend(L: Float64Array, n: number, cross: Float64Array, block: Float64Array, m: number): Float64Array {
  const N = n + m;
  const out = new Float64Array(N * N);
  for (let i = 0; i < n; i++) out.set(L.subarray(i * n, i * n + i + 1), i * N);
  // Rows n..N-1, columns 0..n-1: B = (L⁻¹ cross)ᵀ.
  const col = new Float64Array(n);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) col[i] = cross[i * m + j]!;
    solveLower(L, n, col);
    for (let i = 0; i < n; i++) out[(n + j) * N + i] = col[i]!;
  }
  // Schur complement S = block − B Bᵀ, factored with jitter if needed.
  const S = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let s = block[a * m + b]!;
      const ra = (n + a) * N;
      const rb = (n + b) * N;
      for (let k = 0; k < n; k++) s -= out[ra + k]! * out[rb + k]!;
      S[a * m + b] = s;
      S[b * m + a] = s;
    }
  }
  const { L: Ls } = cholesky(S, m, 1);
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) out[(n + a) * N + n + b] = Ls[a * m + b]!;
  return out;
}

/**
 * Solves L V = B in place for m right-hand sides at once: `B` is `n × m` row-major (one column per
 * right-hand side). The inner loop runs along the m columns, contiguous and independent; four rows
 * of L are applied per pass, so each element of the row being solved is loaded and stored once per
 * four multiply-adds rather than once per one (about twice as fast at n = 1,000, bench:bo latency).
 */
export function solveLowerMany(L: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * m;
    const rowL = i * n;
    let k = 0;
    for (; k + 3 < i; k += 4) {
      const l0 = L[rowL + k]!;
      const l1 = L[rowL + k + 1]!;
      const l2 = L[rowL + k + 2]!;
      const l3 = L[rowL + k + 3]!;
      const r0 = k * m;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      for (let j = 0; j < m; j++) B[ri + j] -= l0 * B[r0 + j]! + l1 * B[r1 + j]! + l2 * B[r2 + j]! + l3 * B[r3 + j]!;
    }
    for (; k < i; k++) {
      const l = L[rowL + k]!;
      const rk = k * m;
      for (let j = 0; j < m; j++) B[ri + j] -= l * B[rk + j]!;
    }
    const inv = 1 / L[rowL + i]!;
    for (let j = 0; j < m; j++) B[ri + j] *= inv;
  }
  return B;
}
