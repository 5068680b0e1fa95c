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

/** Columns per panel of the blocked factorization below. */
const PANEL = 4;

/**
 * In-place attempt; returns false if a pivot is not positive. `A` is `n × n`, row-major.
 * Left-looking and blocked by panels of PANEL columns: each row below the panel loads its prefix
 * (the columns left of the panel) once for all four of the panel's dot products, two rows at a
 * time, and is then finished within the panel while it is still in cache. The bulk of the work is
 * those dot products; sharing each row's loads four ways made the factor 1.7× faster at n = 1,000
 * than two rows per column (0.08 vs 0.14 CPU s), which matters because the GP refactors both
 * models whenever its hyperparameters change (bench:bo latency).
 */
function choleskyInPlace(L: Float64Array, n: number): boolean {
  for (let jb = 0; jb < n; jb += PANEL) {
    const je = Math.min(jb + PANEL, n);
    // The panel's own rows: prefix dot products, then the small diagonal block, unblocked.
    for (let i = jb; i < je; i += 2) subtractPrefix(L, n, i, i + 1 < je ? i + 1 : i, jb, je);
    for (let c = jb; c < je; c++) {
      const rc = c * n;
      let d = L[rc + c]!;
      for (let k = jb; k < c; k++) d -= L[rc + k]! * L[rc + k]!;
      if (!(d > 0) || !Number.isFinite(d)) return false;
      L[rc + c] = Math.sqrt(d);
      for (let i = c + 1; i < je; i++) {
        const ri = i * n;
        let s = L[ri + c]!;
        for (let k = jb; k < c; k++) s -= L[ri + k]! * L[rc + k]!;
        L[ri + c] = s / L[rc + c]!;
      }
    }
    // Rows below the panel, two at a time: prefix dot products, then the panel's columns.
    for (let i = je; i < n; i += 2) {
      const i2 = i + 1 < n ? i + 1 : i;
      subtractPrefix(L, n, i, i2, jb, je);
      finishPanelRow(L, n, i, jb, je);
      if (i2 !== i) finishPanelRow(L, n, i2, jb, je);
    }
    for (let r = jb; r < je; r++) L.fill(0, r * n + r + 1, (r + 1) * n);
  }
  return true;
}

/**
 * L[i, c] −= Σ_{k < jb} L[i, k] L[c, k] for the panel's columns c in [jb, je), in rows i and i2
 * (i2 = i for one row; upper-triangle entries of panel rows are updated too, and zeroed later).
 */
function subtractPrefix(L: Float64Array, n: number, i: number, i2: number, jb: number, je: number): void {
  const ra = i * n;
  const rb = i2 * n;
  if (je - jb === 4) {
    const c0 = jb * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let k = 0; k < jb; k++) {
      const x = L[ra + k]!;
      const y = L[rb + k]!;
      const l0 = L[c0 + k]!;
      const l1 = L[c1 + k]!;
      const l2 = L[c2 + k]!;
      const l3 = L[c3 + k]!;
      a0 += x * l0;
      a1 += x * l1;
      a2 += x * l2;
      a3 += x * l3;
      b0 += y * l0;
      b1 += y * l1;
      b2 += y * l2;
      b3 += y * l3;
    }
    L[ra + jb] -= a0;
    L[ra + jb + 1] -= a1;
    L[ra + jb + 2] -= a2;
    L[ra + jb + 3] -= a3;
    if (rb !== ra) {
      L[rb + jb] -= b0;
      L[rb + jb + 1] -= b1;
      L[rb + jb + 2] -= b2;
      L[rb + jb + 3] -= b3;
    }
    return;
  }
  // The last, narrower panel.
  for (const r of rb !== ra ? [ra, rb] : [ra]) {
    for (let c = jb; c < je; c++) {
      const rc = c * n;
      let s = 0;
      for (let k = 0; k < jb; k++) s += L[r + k]! * L[rc + k]!;
      L[r + c] -= s;
    }
  }
}

/** Row i (below the panel, prefix already subtracted): its entries in the panel's columns. */
function finishPanelRow(L: Float64Array, n: number, i: number, jb: number, je: number): void {
  const ri = i * n;
  for (let c = jb; c < je; c++) {
    const rc = c * n;
    let s = L[ri + c]!;
    for (let k = jb; k < c; k++) s -= L[ri + k]! * L[rc + k]!;
    L[ri + c] = s / L[rc + c]!;
  }
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

/**
 * Solves L x = b in place (L lower-triangular `n × n`). Four partial sums per row: one sum is a
 * chain of dependent adds, and at n = 1,000 (a GP's gradient for the acquisition) four made the
 * solve 1.4× faster.
 */
export function solveLower(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s0 = b[i]!;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let k = 0;
    for (; k + 3 < i; k += 4) {
      s0 -= L[ri + k]! * b[k]!;
      s1 -= L[ri + k + 1]! * b[k + 1]!;
      s2 -= L[ri + k + 2]! * b[k + 2]!;
      s3 -= L[ri + k + 3]! * b[k + 3]!;
    }
    for (; k < i; k++) s0 -= L[ri + k]! * b[k]!;
    b[i] = (s0 + s1 + (s2 + s3)) / L[ri + i]!;
  }
  return b;
}

/**
 * Solves Lᵀ x = b in place (L lower-triangular `n × n`). Row k of L is column k of Lᵀ: once x_k
 * is known it is subtracted from the earlier entries along that row, contiguous in memory, two
 * rows per pass (1.6× faster at n = 1,000 than back substitution on a transposed copy, which
 * also had to be built for every new model).
 */
export function solveUpperT(L: Float64Array, n: number, b: Float64Array): Float64Array {
  let k = n - 1;
  for (; k >= 1; k -= 2) {
    const rk = k * n;
    const rj = rk - n;
    const xk = b[k]! / L[rk + k]!;
    const xj = (b[k - 1]! - L[rk + k - 1]! * xk) / L[rj + k - 1]!;
    b[k] = xk;
    b[k - 1] = xj;
    for (let i = 0; i < k - 1; i++) b[i] -= L[rk + i]! * xk + L[rj + i]! * xj;
  }
  if (k === 0) b[0] = b[0]! / L[0]!;
  return b;
}

/** K⁻¹ b from the Cholesky factor of K. */
export function cholSolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b as ArrayLike<number>);
  solveLower(L, n, x);
  solveUpperT(L, n, x);
  return x;
}

/**
 * `n × n` inverse of K = L Lᵀ (full symmetric matrix), via M = L⁻¹ then K⁻¹ = Mᵀ M. Both steps
 * run along rows (M row by row, as combinations of the earlier rows; the product as rank-two
 * updates by pairs of rows of M): the likelihood gradient needs K⁻¹ on every evaluation of a
 * hyperparameter fit, and the column-wise version was 1.4–1.7× slower at n = 120.
 */
export function cholInverse(L: Float64Array, n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    // Row i of M: (e_i − Σ_{k<i} L[i][k] M[k]) / L[i][i]; row k of M is zero past column k.
    let k = 0;
    for (; k + 1 < i; k += 2) {
      const l0 = L[ri + k]!;
      const l1 = L[ri + k + 1]!;
      const r0 = k * n;
      const r1 = r0 + n;
      for (let j = 0; j <= k; j++) M[ri + j] -= l0 * M[r0 + j]! + l1 * M[r1 + j]!;
      M[ri + k + 1] -= l1 * M[r1 + k + 1]!;
    }
    for (; k < i; k++) {
      const l = L[ri + k]!;
      const rk = k * n;
      for (let j = 0; j <= k; j++) M[ri + j] -= l * M[rk + j]!;
    }
    const inv = 1 / L[ri + i]!;
    for (let j = 0; j < i; j++) M[ri + j] *= inv;
    M[ri + i] = inv;
  }
  // Lower triangle of K⁻¹: out[i][j] = Σ_{k ≥ i} M[k][i] M[k][j], j ≤ i.
  const out = new Float64Array(n * n);
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const r0 = k * n;
    const r1 = r0 + n;
    for (let i = 0; i <= k; i++) {
      const a = M[r0 + i]!;
      const b = M[r1 + i]!;
      const ri = i * n;
      for (let j = 0; j <= i; j++) out[ri + j] += a * M[r0 + j]! + b * M[r1 + j]!;
    }
    const b = M[r1 + k + 1]!;
    const ri = (k + 1) * n;
    for (let j = 0; j <= k + 1; j++) out[ri + j] += b * M[r1 + j]!;
  }
  if (k < n) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const a = M[rk + i]!;
      const ri = i * n;
      for (let j = 0; j <= i; j++) out[ri + j] += a * M[rk + j]!;
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
