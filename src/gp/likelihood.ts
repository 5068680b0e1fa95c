/**
 * The objective the hyperparameter fit minimizes: negative log marginal likelihood of the
 * standardized outputs plus the negative log prior, with its analytic gradient in θ (see hyper.ts):
 *
 *   −log p(y | θ) = ½ (y − m)ᵀ K⁻¹ (y − m) + ½ log|K| + (n/2) log 2π
 *   ∂/∂θ_p        = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ_p),  α = K⁻¹ (y − m);   ∂/∂m = −1ᵀα
 *
 * One evaluation costs one Cholesky and one inverse (O(n³)) plus O(n² d) for the gradient.
 */
import { matern52, matern52DerivR2 } from './kernel.js';
import { cholesky, cholInverse, cholSolve, halfLogDet } from './linalg.js';
import { NOISE_FLOOR, negLogPrior, type LengthscaleDensity } from './hyper.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** Pairwise squared differences, precomputed once per fit: for pair p = (i, j), j < i, `d` values. */
export interface FitData {
  readonly n: number;
  readonly d: number;
  /** Standardized outputs, length n. */
  readonly y: Float64Array;
  /** `P × d` with P = n(n−1)/2, pairs in order (1,0), (2,0), (2,1), (3,0), … */
  readonly diff2: Float64Array;
  /** Fixed noise variance (standardized units), or null when it is learned. */
  readonly fixedNoise: number | null;
  /** Which density the lengthscale prior is taken over (hyper.ts). */
  readonly lengthscaleDensity: LengthscaleDensity;
}

export function makeFitData(X: readonly ArrayLike<number>[], y: Float64Array, fixedNoise: number | null, lengthscaleDensity: LengthscaleDensity = 'log-lengthscale'): FitData {
  const n = X.length;
  const d = n > 0 ? X[0]!.length : 0;
  const diff2 = new Float64Array(((n * (n - 1)) / 2) * d);
  let p = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      for (let k = 0; k < d; k++) {
        const t = X[i]![k]! - X[j]![k]!;
        diff2[p++] = t * t;
      }
    }
  }
  return { n, d, y, diff2, fixedNoise, lengthscaleDensity };
}

/** Negative log posterior of θ (without constants of the prior) and its gradient (same length as θ). */
export function negLogPosterior(theta: ArrayLike<number>, data: FitData): { value: number; grad: Float64Array } {
  const { n, d, y, diff2 } = data;
  const invL2 = new Float64Array(d);
  for (let k = 0; k < d; k++) invL2[k] = Math.exp(-2 * theta[k]!);
  const s2 = Math.exp(theta[d]!);
  const noiseFree = data.fixedNoise === null ? Math.exp(theta[d + 1]!) : 0;
  const noise = data.fixedNoise ?? NOISE_FLOOR + noiseFree;
  const mean = theta[d + 2]!;

  const P = (n * (n - 1)) / 2;
  const kf = new Float64Array(P);
  const g = new Float64Array(P);
  const K = new Float64Array(n * n);
  let p = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      const off = p * d;
      for (let k = 0; k < d; k++) r2 += diff2[off + k]! * invL2[k]!;
      const v = s2 * matern52(r2);
      kf[p] = v;
      g[p] = -2 * s2 * matern52DerivR2(r2);
      K[i * n + j] = v;
      K[j * n + i] = v;
      p++;
    }
  }
  for (let i = 0; i < n; i++) K[i * n + i] = s2 + noise;

  const grad = new Float64Array(d + 3);
  const { L } = cholesky(K, n, 1e-1);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = y[i]! - mean;
  const alpha = cholSolve(L, n, r);
  let quad = 0;
  for (let i = 0; i < n; i++) quad += r[i]! * alpha[i]!;
  let value = 0.5 * quad + halfLogDet(L, n) + 0.5 * n * LOG_2PI;

  const Kinv = cholInverse(L, n);
  // W = ααᵀ − K⁻¹; gradient of the *negative* LML is −½ Σ_ij W_ij ∂K_ij.
  let diagW = 0;
  for (let i = 0; i < n; i++) diagW += alpha[i]! * alpha[i]! - Kinv[i * n + i]!;
  let gs2 = 0.5 * diagW * s2;
  p = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const w = alpha[i]! * alpha[j]! - Kinv[i * n + j]!;
      gs2 += w * kf[p]!;
      const wg = w * g[p]!;
      const off = p * d;
      for (let k = 0; k < d; k++) grad[k] -= wg * diff2[off + k]! * invL2[k]!;
      p++;
    }
  }
  grad[d] = -gs2;
  if (data.fixedNoise === null) grad[d + 1] = -0.5 * diagW * noiseFree;
  let sumAlpha = 0;
  for (let i = 0; i < n; i++) sumAlpha += alpha[i]!;
  grad[d + 2] = -sumAlpha;

  value += negLogPrior(theta, d, grad, data.fixedNoise !== null, data.lengthscaleDensity);
  return { value, grad };
}
