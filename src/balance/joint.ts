/**
 * S* from a GP of E over every parameter (the "joint" method).
 *
 * Why: the envelope method (balance.ts) fits a curve through the best observed E at each size, and
 * on a noisy objective the best observed points are the lucky ones: noise passes for shape. Here a
 * GP of E over the unit-cube encoding of all parameters (src/space), with a learned noise level, is
 * fitted to the upper part of all usable trials. Its posterior is over the noise-free E of each
 * configuration; S* is the size of the best configuration, so each joint posterior draw of E over
 * the candidate configurations (those tried, and more between and around the best of them, whose
 * size a second GP, of log2 S over the parameters, predicts) gives one draw of S*: the log2 size
 * of that draw's best candidate. The draws are spread over several draws of the GP's
 * hyperparameters (JOINT_HYPER_SAMPLES), not only the fitted ones. Repeated configurations
 * (balance.repeats) are one candidate observed several times, which is exactly what lets the GP
 * tell noise from shape.
 */
import { fitGP, sampleHyperModels, type GPModel } from '../gp/index.js';
import { Rng } from '../math/index.js';
import { standardDeviation } from 'simple-statistics';
import { decode, encode, paramsKey, type Space } from '../space/index.js';
import { meanSquaredSe, type RawPoint } from './points.js';
import { quantile, type LogInterval } from './s-star.js';

/**
 * Trials with E below E_max − JOINT_WINDOW·(E_max − E_min) are left out of the fit. Why: a cliff
 * (chance accuracy below some size) is a step a stationary GP can only follow with a short
 * lengthscale, which then wiggles where S* lives; S* depends only on the good configurations.
 */
export const JOINT_WINDOW = 0.5;

/**
 * Candidates whose posterior mean is more than CANDIDATE_SDS joint standard deviations below the
 * best candidate's mean are not sampled: they never win a draw, and the joint draw is O(m³).
 */
const CANDIDATE_SDS = 5;

/**
 * Dense candidates: the DENSE_TOP best tried configurations (by posterior mean) that can win a
 * draw, ordered by size; between each and the next, the points at 1/4, 1/2 and 3/4 of the way
 * in the unit cube; around each, DENSE_PERTURB points N(0, DENSE_RADIUS²) per coordinate away.
 * Each is snapped to a valid configuration (decode, encode) and its log2 S predicted.
 */
const DENSE_TOP = 24;
const DENSE_PERTURB = 4;
const DENSE_RADIUS = 0.05;

export interface JointFit {
  /** The GP of E over the encoded parameters (X: n × d, d = number of parameters). */
  readonly model: GPModel;
  /** log2 S* from the posterior: median and central 90% interval. */
  readonly log2SStar: LogInterval;
  /** One entry per distinct configuration fitted, in first-trial order. */
  readonly candidates: readonly JointCandidate[];
}

export interface JointCandidate {
  /** The points (trials) of this configuration. */
  readonly points: readonly RawPoint[];
  /** Mean log2 size over the configuration's trials (equal when size is a function of the parameters). */
  readonly log2Size: number;
  /** Posterior mean of E at this configuration. */
  readonly mean: number;
  /** Share of the posterior draws in which this configuration is the best. */
  readonly pBest: number;
}

/** The points the joint GP is fitted to (see JOINT_WINDOW); all of them when fewer than `min` remain. */
export function jointWindow(points: readonly RawPoint[], window = JOINT_WINDOW, min = 5): RawPoint[] {
  const es = points.map((p) => p.e);
  const eMax = Math.max(...es);
  const cut = eMax - window * (eMax - Math.min(...es));
  const kept = points.filter((p) => p.e >= cut);
  return kept.length >= min ? kept : [...points];
}

/**
 * The GP's noise sd is kept at least JOINT_NOISE_FLOOR × sd(E) of the fitted points. Why: on a
 * noiseless objective the GP learns a noise near 0, one candidate then wins every draw and the
 * interval collapses to a point a little off S* (coverage 8/10 on seeds 10–19 without it).
 */
export const JOINT_NOISE_FLOOR = 0.05;

/**
 * The S* draws are spread evenly over this many draws of the GP's hyperparameters from their
 * posterior (src/gp/mcmc.ts) instead of coming from the fitted (MAP) hyperparameters alone. Why:
 * with a dozen trials over several parameters many lengthscale and noise settings fit the data
 * about as well, and one of them alone makes the interval too sure. On the noisy synthetic
 * problem (300 seeds, the objective reporting accuracy_se) coverage of the 90% interval went from
 * 76% to 84% at 14 trials and from 85% to 89% at 20, with the median error within 0.04 log2.
 */
export const JOINT_HYPER_SAMPLES = 8;

/** The variants measured (docs/benchmarks.md); the defaults are what measured best. */
export interface JointOptions {
  /** Default JOINT_WINDOW. */
  readonly window?: number;
  /** Default JOINT_NOISE_FLOOR; 0: the learned noise alone. */
  readonly noiseFloor?: number;
  /**
   * Default true: candidates between neighbouring good configurations and around them besides
   * the configurations tried, so S* is not confined to the sizes tried (false: tried ones only).
   */
  readonly dense?: boolean;
  /** Default JOINT_HYPER_SAMPLES; 0: the fitted θ alone. */
  readonly hyperSamples?: number;
}

export function fitJoint(space: Space, points: readonly RawPoint[], seed: number, samples: number, options: JointOptions = {}): JointFit {
  const fitted = jointWindow(points, options.window ?? JOINT_WINDOW);
  const Xf = fitted.map((p) => encode(space, p.trial.params));
  const yf = fitted.map((p) => p.e);
  let model = fitGP(Xf, yf, { seed });
  let floored = false;
  // The noise variance is at least the floor and at least the mean squared standard error the
  // objective measured (points.ts, SE_SUFFIX): measured noise is noise the GP must not explain as shape.
  const floor = Math.max(((options.noiseFloor ?? JOINT_NOISE_FLOOR) * standardDeviation(yf)) ** 2, meanSquaredSe(fitted));
  if (floor > 0 && model.hyper.noise * model.yStd ** 2 < floor) {
    model = fitGP(Xf, yf, { seed, noise: floor, warmStart: model.hyper, restarts: 1 });
    floored = true;
  }
  const groups = new Map<string, RawPoint[]>();
  for (const p of fitted) {
    const key = paramsKey(space, p.trial.params);
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const configs = [...groups.values()];
  let X = configs.map((g) => encode(space, g[0]!.trial.params));
  let log2Of = configs.map((g) => g.reduce((s, p) => s + p.log2Size, 0) / g.length);
  let post = model.posterior(X);
  const winners = (): number[] => {
    let top = 0;
    for (let i = 1; i < X.length; i++) if (post.mean[i]! > post.mean[top]!) top = i;
    const sdTop = Math.sqrt(Math.max(0, post.variance[top]!));
    return X.map((_, i) => i).filter((i) => post.mean[i]! + CANDIDATE_SDS * Math.sqrt(Math.max(0, post.variance[i]!)) >= post.mean[top]! - CANDIDATE_SDS * sdTop);
  };
  if (options.dense ?? true) {
    const top = winners()
      .sort((a, b) => post.mean[b]! - post.mean[a]!)
      .slice(0, DENSE_TOP)
      .sort((a, b) => log2Of[a]! - log2Of[b]!);
    // log2 S of a configuration not tried: a GP of log2 S over the parameters of the fitted
    // trials (size is usually an exact function of the parameters, so this is near interpolation).
    const sizeModel = fitGP(
      Xf,
      fitted.map((p) => p.log2Size),
      { seed, maxFitPoints: 60 },
    );
    const rng = new Rng(seed ^ 0x5eed);
    const extra: number[][] = [];
    const seen = new Set(configs.map((g) => paramsKey(space, g[0]!.trial.params)));
    const add = (u: number[]): void => {
      const params = decode(space, u.map((v) => Math.min(1, Math.max(0, v))));
      const key = paramsKey(space, params);
      if (seen.has(key)) return;
      seen.add(key);
      extra.push(encode(space, params));
    };
    for (let k = 0; k < top.length; k++) {
      const a = X[top[k]!]!;
      if (k + 1 < top.length) {
        const b = X[top[k + 1]!]!;
        for (const t of [0.25, 0.5, 0.75]) add(a.map((v, i) => v + t * (b[i]! - v)));
      }
      for (let r = 0; r < DENSE_PERTURB; r++) add(a.map((v) => v + DENSE_RADIUS * rng.normal()));
    }
    if (extra.length > 0) {
      const sizes = sizeModel.posterior(extra).mean;
      X = [...X, ...extra];
      log2Of = [...log2Of, ...sizes];
      post = model.posterior(X);
    }
  }
  const live = winners();
  const liveX = live.map((i) => X[i]!);
  const hyperSamples = options.hyperSamples ?? JOINT_HYPER_SAMPLES;
  let draws: number[][];
  if (hyperSamples > 0) {
    const models = sampleHyperModels(model, Xf, yf, { count: hyperSamples, seed, fixedNoise: floored });
    const rng = new Rng(seed);
    draws = models.flatMap((m, k) => m.samplePosterior(liveX, Math.floor(((k + 1) * samples) / models.length) - Math.floor((k * samples) / models.length), rng));
  } else draws = model.samplePosterior(liveX, samples, new Rng(seed));
  const wins = new Array<number>(X.length).fill(0);
  const argmaxSizes = draws.map((d) => {
    let best = 0;
    for (let j = 1; j < d.length; j++) if (d[j]! > d[best]!) best = j;
    wins[live[best]!]!++;
    return log2Of[live[best]!]!;
  });
  return {
    model,
    log2SStar: { median: quantile(argmaxSizes, 0.5), lo: quantile(argmaxSizes, 0.05), hi: quantile(argmaxSizes, 0.95) },
    candidates: configs.map((g, i) => ({ points: g, log2Size: log2Of[i]!, mean: post.mean[i]!, pBest: wins[i]! / Math.max(1, draws.length) })),
  };
}
