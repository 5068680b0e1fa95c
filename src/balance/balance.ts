/**
 * computeBalance: the E(S) surrogate and S*.
 *
 * 1. Points: complete feasible trials with S > 0 and finite E (points.ts).
 * 2. Envelope: the unimodal upper envelope of (log2 S, E) (envelope.ts); the surrogate sees only
 *    these, and only their upper part (`fitWindow`).
 * 3. Surrogate: a GP (src/gp: Matérn-5/2, learned noise) of E over log2 S, its noise kept at
 *    least NOISE_FLOOR × sd(fitted E), NOISE_SCALE × the noise sd estimated from all trials and
 *    the standard error of E the objective measured (points.ts, SE_SUFFIX), as is the joint GP's.
 * 4. S* (method 'joint', the default): from a GP of E over every parameter (joint.ts), each
 *    posterior draw's best candidate configuration giving one draw of log2 S*. Method
 *    'envelope' (before issue 14, and the fallback when the parameters cannot be encoded):
 *    `samples` joint posterior draws of the 1-D curve on an evenly spaced grid spanning the
 *    fitted points' log2 sizes, each draw's argmax one draw of log2 S* (s-star.ts). Neither
 *    extrapolates beyond the sizes tried. The curve (3.) is fitted either way, for the report.
 * 5. expectedE is the posterior mean of E at the median S*; the recommended trial is the envelope
 *    trial nearest the median S* in log2 size (higher E on ties); the knee of the accuracy–size
 *    frontier is reported beside it.
 */
import { standardDeviation } from 'simple-statistics';
import { CholeskyError, fitGP, GPError, type GPModel } from '../gp/index.js';
import { Rng } from '../math/index.js';
import { kneeIndex, toMinimization } from '../pareto/index.js';
import type { Space } from '../space/index.js';
import type { Trial } from '../study/index.js';
import { frontierIndices, qualityMetrics, unimodalEnvelopeIndices } from './envelope.js';
import { estimateNoiseSd } from './noise.js';
import { balanceConfig, balancePoints, meanSquaredSe, type RawPoint } from './points.js';
import { fitJoint, type JointFit, type JointOptions } from './joint.js';
import { replicatedConfigurations } from './repeats.js';
import { linspace, sStarFromDraws } from './s-star.js';
import type { BalanceCurvePoint, BalanceKnee, BalancePoint, BalanceResult, BalanceTrialRef } from './types.js';

/** Fewer usable (complete, feasible) trials than this: no balance result. */
export const MIN_POINTS = 5;
/** Fewer distinct envelope sizes than this: no balance result (a curve needs a shape). */
export const MIN_ENVELOPE_SIZES = 3;
const Z90 = 1.6448536269514722;

/** The part of a fitted model the balance needs (src/gp's GPModel has it). */
export type BalanceModel = Pick<GPModel, 'posterior' | 'samplePosterior'>;

export interface BalanceOptions {
  /** Seed for the posterior draws and the GP's restarts (default 0). */
  readonly seed?: number;
  /** Number of joint posterior draws (default 1000). */
  readonly samples?: number;
  /** Grid points over the fitted envelope points' log2 sizes (default 201). */
  readonly gridSize?: number;
  /**
   * Surrogate fitting: X is `n × 1` (log2 S), y length n (E); minNoiseVariance is the least noise
   * variance the fit should assume ((NOISE_SCALE × estimated noise sd)², or the mean squared
   * standard error the objective measured when larger; E's units). Default:
   * src/gp's fitGP with that floor and NOISE_FLOOR.
   */
  readonly fit?: (X: number[][], y: number[], seed: number, minNoiseVariance?: number) => BalanceModel;
  /**
   * How S* is taken: 'joint' (default): from a GP of E over every parameter (joint.ts);
   * 'envelope': from the 1-D GP of the upper envelope (the curve), as before issue 14.
   */
  readonly method?: BalanceMethod;
  /** Options of the joint fit (joint.ts); for the benchmark's variants. */
  readonly joint?: JointOptions;
}

export const BALANCE_METHODS = ['joint', 'envelope'] as const;
export type BalanceMethod = (typeof BALANCE_METHODS)[number];

export interface BalanceExplanation {
  readonly result: BalanceResult | null;
  /** Why there is no result (null when there is one). */
  readonly reason: string | null;
}

/**
 * The GP's noise standard deviation is kept at least NOISE_FLOOR × the standard deviation of the
 * fitted E values. Why: envelope points are the best of finitely many trials, each a little below
 * the true best at its size (an imperfectly tuned knob). Near S* the curve is so flat that these
 * deficits decide the argmax; a GP that interpolates them exactly is confidently wrong.
 */
export const NOISE_FLOOR = 0.1;

/**
 * The GP's noise standard deviation is also kept at least NOISE_SCALE × the observation-noise sd
 * estimated from all trials (noise.ts). Why: on a noisy objective the envelope's lucky draws
 * otherwise pass for shape, S* is pulled toward where the sweep sampled densely and the interval
 * is too narrow. The estimate comes out near half the true σ at 40 trials, hence a factor near 2.
 * Chosen on bench/balance.ts seeds 10–19 among κ = 0, 1, 1.5, 2, 2.5, 3, by the summed median S*
 * error over the three problems (figures in docs/engine.md).
 */
export const NOISE_SCALE = 2;

/** The joint fit (joint.ts), or null when the GP over the parameters cannot be fitted. */
function jointOrNull(space: Space, points: readonly RawPoint[], seed: number, samples: number, options?: JointOptions): JointFit | null {
  try {
    return fitJoint(space, points, seed, samples, options);
  } catch (err) {
    if (err instanceof GPError || err instanceof CholeskyError) return null;
    throw err;
  }
}

/** The estimated noise sd of E, or 0 when the all-trials GP cannot be fitted (then NOISE_FLOOR alone applies). */
function noiseSdOrZero(space: Space, points: readonly RawPoint[], seed: number): number {
  try {
    return estimateNoiseSd(space, points, seed);
  } catch (err) {
    if (err instanceof GPError || err instanceof CholeskyError) return 0;
    throw err;
  }
}

const defaultFit = (X: number[][], y: number[], seed: number, minNoiseVariance = 0): BalanceModel => {
  const model = fitGP(X, y, { seed });
  // Population sd (divide by n), as the floor was tuned with.
  const floor = Math.max((NOISE_FLOOR * standardDeviation(y)) ** 2, minNoiseVariance);
  if (floor > 0 && model.hyper.noise * model.yStd ** 2 < floor) return fitGP(X, y, { seed, noise: floor });
  return model;
};

/** The balance result, or null (see `explainBalance` for why). */
export function computeBalance(space: Space, trials: readonly Trial[], options: BalanceOptions = {}): BalanceResult | null {
  return explainBalance(space, trials, options).result;
}

export function explainBalance(space: Space, trials: readonly Trial[], options: BalanceOptions = {}): BalanceExplanation {
  const config = balanceConfig(space);
  const { points, skipped } = balancePoints(space, trials);
  const why = Object.entries(skipped)
    .map(([reason, n]) => `${n} × ${reason}`)
    .join('; ');
  if (points.length < MIN_POINTS) {
    return none(`balance needs at least ${MIN_POINTS} complete feasible trials with '${config.size}' and a finite efficiency, got ${points.length}${why ? ` (skipped: ${why})` : ''}`);
  }
  const onEnv = new Set(unimodalEnvelopeIndices(points));
  const envelope = points.filter((_, i) => onEnv.has(i)).sort((a, b) => a.log2Size - b.log2Size || a.trial.number - b.trial.number);
  const distinct = new Set(envelope.map((p) => p.log2Size)).size;
  if (distinct < MIN_ENVELOPE_SIZES) {
    return none(`balance needs at least ${MIN_ENVELOPE_SIZES} distinct sizes on the upper envelope, got ${distinct}`);
  }

  const seed = options.seed ?? 0;
  const fit = options.fit ?? defaultFit;
  const fitted = fitWindow(envelope);
  const samples = options.samples ?? 1000;
  // The joint model needs the trials' parameters; when they cannot be encoded (trials told
  // without them, say) S* comes from the envelope curve and `method` says so.
  const joint = (options.method ?? 'joint') === 'joint' ? jointOrNull(space, points, seed, samples, options.joint) : null;
  // The joint GP has learned the noise already: the all-trials estimate would fit the same kind of GP again.
  const noiseSd = joint ? Math.sqrt(joint.model.hyper.noise) * joint.model.yStd : noiseSdOrZero(space, points, seed);
  let model: BalanceModel;
  try {
    model = fit(fitted.map((p) => [p.log2Size]), fitted.map((p) => p.e), seed, Math.max((NOISE_SCALE * noiseSd) ** 2, meanSquaredSe(fitted)));
  } catch (err) {
    return none(`the E(S) surrogate could not be fitted: ${(err as Error).message}`);
  }
  const lo = fitted[0]!.log2Size;
  const hi = fitted.at(-1)!.log2Size;
  const grid = linspace(lo, hi, options.gridSize ?? 201);
  const X = grid.map((g) => [g]);
  const post = model.posterior(X);
  const curve: BalanceCurvePoint[] = grid.map((g, i) => {
    const sd = Math.sqrt(Math.max(0, post.variance[i]!));
    return { log2Size: g, mean: post.mean[i]!, lo: post.mean[i]! - Z90 * sd, hi: post.mean[i]! + Z90 * sd };
  });
  const method = joint ? 'joint' : 'envelope';
  const log2SStar = joint?.log2SStar ?? sStarFromDraws(grid, model.samplePosterior(X, samples, new Rng(seed)));
  const nearest = Math.round(((log2SStar.median - lo) / (hi - lo)) * (grid.length - 1));
  const expectedE = post.mean[Math.min(grid.length - 1, Math.max(0, nearest))]!;

  let rec: RawPoint = envelope[0]!;
  for (const p of envelope) {
    const d = Math.abs(p.log2Size - log2SStar.median);
    const best = Math.abs(rec.log2Size - log2SStar.median);
    if (d < best || (d === best && p.e > rec.e)) rec = p;
  }

  return {
    result: {
      sizeMetric: config.size,
      efficiency: config.efficiency,
      points: points.map((p, i): BalancePoint => ({
        trial: p.trial.number,
        size: p.size,
        log2Size: p.log2Size,
        e: p.e,
        onEnvelope: onEnv.has(i),
        params: p.trial.params,
        metrics: p.trial.metrics!,
      })),
      curve,
      sStar: { median: 2 ** log2SStar.median, lo: 2 ** log2SStar.lo, hi: 2 ** log2SStar.hi },
      log2SStar,
      expectedE,
      recommended: ref(rec),
      knee: knee(space, points),
      nTrials: trials.length,
      method,
      replicated: replicatedConfigurations(space, trials),
    },
    reason: null,
  };
}

/**
 * The envelope points the surrogate is fitted to: the run of envelope points (by size) from the
 * first to the last with E ≥ E_max − WINDOW·(E_max − E_min), extended by the next envelope point
 * beyond an end when the best point sits at that end (so the peak is bracketed when the data
 * allow). Why: a stationary GP fitted through a steep rise at small sizes (a cliff, or the fast
 * early gains of a saturating curve) learns a short lengthscale and then wiggles in the flat
 * region where S* lives, and S* depends only on the upper part. At least MIN_ENVELOPE_SIZES
 * distinct sizes are kept by widening outward.
 */
export const WINDOW = 0.25;

export function fitWindow(envelope: readonly RawPoint[]): RawPoint[] {
  const es = envelope.map((p) => p.e);
  const eMax = Math.max(...es);
  const cut = eMax - WINDOW * (eMax - Math.min(...es));
  const best = es.indexOf(eMax);
  let first = envelope.findIndex((p) => p.e >= cut);
  let last = envelope.length - 1 - [...envelope].reverse().findIndex((p) => p.e >= cut);
  if (best === first) first = Math.max(0, first - 1);
  if (best === last) last = Math.min(envelope.length - 1, last + 1);
  const sizes = (): number => new Set(envelope.slice(first, last + 1).map((p) => p.log2Size)).size;
  while (sizes() < MIN_ENVELOPE_SIZES && (first > 0 || last < envelope.length - 1)) {
    if (first > 0) first--;
    if (last < envelope.length - 1) last++;
  }
  return envelope.slice(first, last + 1);
}

function none(reason: string): BalanceExplanation {
  return { result: null, reason };
}

function ref(p: RawPoint): BalanceTrialRef {
  return { trial: p.trial.number, params: p.trial.params, metrics: p.trial.metrics! };
}

function knee(space: Space, points: readonly RawPoint[]): BalanceKnee | null {
  const config = balanceConfig(space);
  const quality = qualityMetrics(space, config);
  const q = quality.length === 1 ? quality[0]! : null;
  // The accuracy–size frontier (size against the quality metric E reads), by size.
  const frontier = frontierIndices(space, config, points)
    .map((i) => points[i]!)
    .sort((a, b) => a.log2Size - b.log2Size || a.trial.number - b.trial.number);
  const pts = frontier.map((p): [number, number] => {
    const v = q ? toMinimization([q], [p.trial.metrics![q.name]!])[0]! : -p.e;
    return [p.size, v];
  });
  const k = kneeIndex({ points: pts, log: [true, false] });
  if (!k) return null;
  const p = frontier[k.index]!;
  return { ...ref(p), size: p.size };
}
