/**
 * Matérn-5/2 kernel with automatic relevance determination (one lengthscale per input):
 *   k(x, x') = s² (1 + √5 r + 5r²/3) exp(−√5 r),  r² = Σ_k (x_k − x'_k)² / ℓ_k².
 * Twice differentiable (unlike Matérn-3/2) yet not as over-smooth as the squared exponential,
 * which is why BoTorch and Optuna both default to it for hyperparameter-like objectives.
 */

const SQRT5 = Math.sqrt(5);

/** k(r²)/s² as a function of the squared scaled distance. */
export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** d(k/s²)/d(r²) = −(5/6)(1 + √5 r) exp(−√5 r); finite at r = 0. */
export function matern52DerivR2(r2: number): number {
  const r = Math.sqrt(r2);
  return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** Scaled squared distance between rows a and b (each of length d), with inverse squared lengthscales. */
export function scaledDist2(a: ArrayLike<number>, b: ArrayLike<number>, invL2: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const diff = a[k]! - b[k]!;
    s += diff * diff * invL2[k]!;
  }
  return s;
}

/** `n × m` row-major cross-covariance s²·k(A_i, B_j); A is `n × d`, B is `m × d`. */
export function crossKernel(A: readonly ArrayLike<number>[], B: readonly ArrayLike<number>[], lengthscales: readonly number[], outputScale: number): Float64Array {
  const d = lengthscales.length;
  const invL2 = lengthscales.map((l) => 1 / (l * l));
  const n = A.length;
  const m = B.length;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const a = A[i]!;
    for (let j = 0; j < m; j++) out[i * m + j] = outputScale * matern52(scaledDist2(a, B[j]!, invL2, d));
  }
  return out;
}

/** `n × n` symmetric s²·k(X, X) + noise·I. */
export function kernelMatrix(X: readonly ArrayLike<number>[], lengthscales: readonly number[], outputScale: number, noise: number): Float64Array {
  const d = lengthscales.length;
  const invL2 = lengthscales.map((l) => 1 / (l * l));
  const n = X.length;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    K[i * n + i] = outputScale + noise;
    for (let j = 0; j < i; j++) {
      const v = outputScale * matern52(scaledDist2(X[i]!, X[j]!, invL2, d));
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return K;
}
