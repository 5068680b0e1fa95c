/**
 * Hyperparameter uncertainty: draws of θ from the posterior p(θ | y) ∝ p(y | θ) p(θ) that fitGP
 * maximizes, by coordinate-wise slice sampling (Neal, "Slice sampling", Ann. Stat. 2003: stepping
 * out, then shrinkage), started at the fitted model's θ and kept inside thetaBounds.
 *
 * Why: a GP fitted by MAP to a dozen points in five dimensions is one of many lengthscale and noise
 * settings the data allow. Quantities derived from a single fit (the balance's S* interval) then
 * show the posterior of f under those settings only, and are too sure. Averaging over θ draws is
 * what BoTorch's fully Bayesian models do (with NUTS); slice sampling needs no step size to tune
 * and only the log posterior, which likelihood.ts already computes.
 */
import { GPError } from '../errors.js';
import { Rng } from '../math/index.js';
import { fitSubset } from './fit.js';
import { CholeskyError } from './linalg.js';
import { negLogPrior, packHyper, thetaBounds, unpackHyper, type GPHyper } from './hyper.js';
import { ExactGP, type GPModel } from './model.js';

export interface HyperSampleOptions {
  /** Models returned (θ draws), default 8. */
  readonly count?: number;
  /** Sweeps (one slice step per coordinate) discarded first, default 20. */
  readonly burn?: number;
  /** Sweeps between kept draws, default 3. */
  readonly thin?: number;
  /** Seed of the sampler (default 0). */
  readonly seed?: number;
  /** The noise variance stays the fitted model's (e.g. a floor was imposed on it), default false. */
  readonly fixedNoise?: boolean;
  /**
   * θ is sampled on at most this many of the points (fitSubset's rule; the models use all of
   * them), default 60: each step costs a Cholesky of that size. fitGP's hyperparameters barely
   * move past a few hundred points; the θ posterior narrows further, so fewer points make the
   * draws a little wider, not wrong.
   */
  readonly maxPoints?: number;
}

/**
 * `count` GPs on the data `model` was fitted to (X: n × d, y: length n, original units), each with
 * hyperparameters drawn from their posterior under the priors of hyper.ts, with `model`'s input
 * transform and output standardization. The lengthscale prior's density is hyper.ts's default.
 */
export function sampleHyperModels(model: GPModel, X: readonly (readonly number[])[], y: readonly number[], options: HyperSampleOptions = {}): GPModel[] {
  const n = y.length;
  if (X.length !== n || n === 0) throw new GPError(`sampleHyperModels needs one output per input row, got ${X.length} rows and ${n} outputs`);
  const d = model.dim;
  const { lower, span } = model.inputTransform;
  const Xs = X.map((x) => Float64Array.from(x, (v, k) => (v - lower[k]!) / span[k]!));
  const ys = Float64Array.from(y, (v) => (v - model.yMean) / model.yStd);
  const fixedNoise = options.fixedNoise ? model.hyper.noise : null;
  const hyperOf = (t: ArrayLike<number>): GPHyper => {
    const h = unpackHyper(t, d);
    return fixedNoise === null ? h : Object.freeze({ ...h, noise: fixedNoise });
  };
  const rows = fitSubset(n, options.maxPoints ?? 60);
  const Xfit = rows.map((i) => Xs[i]!);
  const yfit = Float64Array.from(rows, (i) => ys[i]!);
  const bounds = thetaBounds(d);
  const scratch = new Float64Array(d + 3);
  // log p(y | θ) + log p(θ) up to a constant, by value only: an ExactGP's marginal likelihood
  // (one Cholesky) costs a third of the fit's value-and-gradient.
  const logPost = (t: Float64Array): number => {
    try {
      const v = new ExactGP(hyperOf(t), Xfit, yfit, 0, 1, model.inputTransform).logMarginalLikelihood - negLogPrior(t, d, scratch, fixedNoise !== null);
      return Number.isFinite(v) ? v : -Infinity;
    } catch (err) {
      if (err instanceof CholeskyError) return -Infinity; // a θ the data rule out
      throw err;
    }
  };
  const rng = new Rng(options.seed ?? 0);
  const theta = packHyper(model.hyper);
  for (let k = 0; k < theta.length; k++) theta[k] = Math.min(bounds.upper[k]!, Math.max(bounds.lower[k]!, theta[k]!));
  const coords = Array.from({ length: d + 3 }, (_, k) => k).filter((k) => !(fixedNoise !== null && k === d + 1));
  let current = logPost(theta);
  if (!Number.isFinite(current)) return [model];
  // Initial bracket widths: a unit in log lengthscale, scale and noise, half a unit in the mean.
  const width = (k: number): number => (k === d + 2 ? 0.5 : 1);
  const sweep = (): void => {
    for (const k of coords) {
      const x0 = theta[k]!;
      const level = current + Math.log(rng.uniform() || Number.MIN_VALUE);
      const at = (v: number): number => {
        theta[k] = v;
        return logPost(theta);
      };
      const w = width(k);
      let left = x0 - w * rng.uniform();
      let right = left + w;
      for (let steps = 0; steps < 8 && left > bounds.lower[k]! && at(left) > level; steps++) left -= w;
      for (let steps = 0; steps < 8 && right < bounds.upper[k]! && at(right) > level; steps++) right += w;
      left = Math.max(left, bounds.lower[k]!);
      right = Math.min(right, bounds.upper[k]!);
      for (let tries = 0; ; tries++) {
        const v = left + (right - left) * rng.uniform();
        const lp = at(v);
        if (lp > level) {
          current = lp;
          break;
        }
        if (tries >= 30) {
          theta[k] = x0;
          break;
        }
        if (v < x0) left = v;
        else right = v;
      }
    }
  };
  const count = options.count ?? 8;
  const thin = Math.max(1, options.thin ?? 3);
  for (let s = 0; s < (options.burn ?? 20); s++) sweep();
  const models: GPModel[] = [];
  for (let c = 0; c < count; c++) {
    for (let s = 0; s < thin; s++) sweep();
    models.push(new ExactGP(hyperOf(theta), Xs, ys, model.yMean, model.yStd, model.inputTransform));
  }
  return models;
}
