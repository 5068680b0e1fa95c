/**
 * GP hyperparameters, their priors and their packing into the unconstrained vector θ that the
 * optimizer works on. All values are in *standardized* output units (y − mean)/std and in the
 * model's unit input box, so a fit on new data can warm-start from the previous one.
 *
 * θ = [log ℓ_1 … log ℓ_d, log s², log(noise − NOISE_FLOOR), mean]   (length d + 3)
 *
 * Priors (the negative log prior is added to the negative log marginal likelihood):
 * - log ℓ_k ~ Normal(√2 + ½ log d, √3): the dimension-scaled prior of Hvarfner et al., "Vanilla
 *   Bayesian optimization performs great in high dimensions" (ICML 2024), BoTorch's default since
 *   0.12; it favours smoother models as d grows, which keeps BO from over-exploring.
 *   Which density the MAP maximizes is a choice (`LengthscaleDensity`): over log ℓ (the default;
 *   its mode is the median exp(loc), ≈ 10 at d = 6), or over ℓ as BoTorch does (the log-normal
 *   density, with the Jacobian 1/ℓ: mode exp(loc − scale²), ≈ 0.5 at d = 6). The GP sampler uses
 *   the second: with the first, a dozen points in six dimensions were fitted with most inputs
 *   called irrelevant and the sampler walked the faces of the cube (docs/benchmarks.md,
 *   "Hartmann-6: the lengthscale prior's density"). The balance fits (src/balance) keep the
 *   first; they were not re-measured with the second.
 * - log s² ~ Normal(0, 1.5): outputs are standardized, so the signal variance is near 1.
 * - log(noise − floor) ~ Normal(−6, 2.5): favours near-interpolation of the deterministic or
 *   low-noise objectives we see (benchmarks, seeded training) while leaving noise of 1–10 % of the
 *   variance within two prior standard deviations.
 * - mean ~ Normal(0, 2).
 */

export interface GPHyper {
  /** One per input dimension (length d), in the model's unit input box. */
  readonly lengthscales: readonly number[];
  /** Signal variance s², standardized output units. */
  readonly outputScale: number;
  /** Observation noise variance, standardized output units. */
  readonly noise: number;
  /** Constant mean, standardized output units. */
  readonly mean: number;
}

/** Lower bound on the noise variance (standardized units): keeps K well conditioned. */
export const NOISE_FLOOR = 1e-6;

interface NormalPrior {
  readonly loc: number;
  readonly scale: number;
}

export function lengthscalePrior(d: number): NormalPrior {
  return { loc: Math.SQRT2 + 0.5 * Math.log(d), scale: Math.sqrt(3) };
}
/** The density over which the lengthscale prior is maximized: log ℓ (mode exp(loc)), or ℓ (mode exp(loc − scale²)). */
export type LengthscaleDensity = 'log-lengthscale' | 'lengthscale';

/** log of the lengthscale prior's mode under `density` (θ_k there). */
export function lengthscaleMode(d: number, density: LengthscaleDensity): number {
  const lp = lengthscalePrior(d);
  return density === 'lengthscale' ? lp.loc - lp.scale * lp.scale : lp.loc;
}
export const OUTPUT_SCALE_PRIOR: NormalPrior = { loc: 0, scale: 1.5 };
export const NOISE_PRIOR: NormalPrior = { loc: -6, scale: 2.5 };
export const MEAN_PRIOR: NormalPrior = { loc: 0, scale: 2 };

/** Box on θ (inclusive), index-aligned with the packing above. */
export function thetaBounds(d: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(d + 3);
  const upper = new Float64Array(d + 3);
  for (let k = 0; k < d; k++) {
    lower[k] = Math.log(5e-3);
    upper[k] = Math.log(1e3);
  }
  lower[d] = Math.log(1e-3);
  upper[d] = Math.log(1e2);
  lower[d + 1] = Math.log(1e-9);
  upper[d + 1] = Math.log(2);
  lower[d + 2] = -5;
  upper[d + 2] = 5;
  return { lower, upper };
}

export function packHyper(h: GPHyper): Float64Array {
  const d = h.lengthscales.length;
  const t = new Float64Array(d + 3);
  h.lengthscales.forEach((l, k) => (t[k] = Math.log(l)));
  t[d] = Math.log(h.outputScale);
  t[d + 1] = Math.log(Math.max(h.noise - NOISE_FLOOR, 1e-12));
  t[d + 2] = h.mean;
  return t;
}

export function unpackHyper(t: ArrayLike<number>, d: number): GPHyper {
  const lengthscales: number[] = [];
  for (let k = 0; k < d; k++) lengthscales.push(Math.exp(t[k]!));
  return Object.freeze({
    lengthscales: Object.freeze(lengthscales),
    outputScale: Math.exp(t[d]!),
    noise: NOISE_FLOOR + Math.exp(t[d + 1]!),
    mean: t[d + 2]!,
  }) as GPHyper;
}

/** The prior's mode, a good default starting point. */
export function priorMode(d: number, density: LengthscaleDensity = 'log-lengthscale'): Float64Array {
  const t = new Float64Array(d + 3);
  for (let k = 0; k < d; k++) t[k] = lengthscaleMode(d, density);
  t[d] = OUTPUT_SCALE_PRIOR.loc;
  t[d + 1] = NOISE_PRIOR.loc;
  t[d + 2] = MEAN_PRIOR.loc;
  return t;
}

/** Negative log prior density of θ (up to a constant) and its gradient, added into `grad`. */
export function negLogPrior(t: ArrayLike<number>, d: number, grad: Float64Array, fixedNoise: boolean, density: LengthscaleDensity = 'log-lengthscale'): number {
  const lp = lengthscalePrior(d);
  let v = 0;
  const add = (i: number, p: NormalPrior): void => {
    const z = (t[i]! - p.loc) / p.scale;
    v += 0.5 * z * z;
    grad[i] += z / p.scale;
  };
  for (let k = 0; k < d; k++) add(k, lp);
  // A density over ℓ = exp(θ_k): −log p gains log ℓ = θ_k (the Jacobian).
  if (density === 'lengthscale') {
    for (let k = 0; k < d; k++) {
      v += t[k]!;
      grad[k] += 1;
    }
  }
  add(d, OUTPUT_SCALE_PRIOR);
  if (!fixedNoise) add(d + 1, NOISE_PRIOR);
  add(d + 2, MEAN_PRIOR);
  return v;
}
