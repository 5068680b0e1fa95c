/**
 * fitGP: standardize, choose hyperparameters by maximizing the log posterior (LML + log prior)
 * with box-constrained L-BFGS from several starts (the previous fit first, then the prior mode,
 * then seeded draws from the prior), and build the exact GP on all the data.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { GPError } from '../errors.js';
import { Rng } from '../math/index.js';
import { type GPHyper, type LengthscaleDensity, packHyper, priorMode, thetaBounds, unpackHyper, lengthscaleMode, lengthscalePrior, NOISE_PRIOR, OUTPUT_SCALE_PRIOR } from './hyper.js';
import { makeFitData, negLogPosterior } from './likelihood.js';
import { minimizeLbfgs } from './lbfgs.js';
import { ExactGP, type GPModel, type InputTransform } from './model.js';

export interface FitOptions {
  /** Hyperparameters of a previous fit on (mostly) the same data: tried first. */
  readonly warmStart?: GPHyper;
  /** Number of optimizer starts (default 2 with a warm start, 3 without). */
  readonly restarts?: number;
  /** Seed for the random starts (default 0). */
  readonly seed?: number;
  /** 'learn' (default) or a fixed noise variance in original output units. */
  readonly noise?: 'learn' | number;
  /**
   * `d × 2` box mapped to the unit cube before modelling. Default: the unit cube itself when all
   * inputs lie in [0, 1], otherwise the data's own min–max box.
   */
  readonly inputBounds?: readonly (readonly [number, number])[];
  /**
   * Hyperparameters are fitted on at most this many points (`fitSubset` says which; the posterior
   * always uses all of them): fitting is O(n³) per step and past a few hundred points the
   * hyperparameters barely move. Default 120.
   */
  readonly maxFitPoints?: number;
  /** L-BFGS iterations per start (default 50 cold, 25 warm); 0 with a warm start skips fitting. */
  readonly maxIter?: number;
  /**
   * When set, every start runs only this many iterations and the best of them alone continues to
   * `maxIter` (default: every start runs `maxIter`). At 1,000 points, all three cold starts of
   * four benchmark problems' objectives reached the same optimum this way with about half the
   * likelihood evaluations (docs/benchmarks.md, bench:bo latency).
   */
  readonly screenIter?: number;
  /**
   * The density the lengthscale prior's MAP is taken over (hyper.ts): 'log-lengthscale' (default;
   * pulls towards exp(loc), ≈ 10 at d = 6) or 'lengthscale' (BoTorch's; towards ≈ 0.5 at d = 6).
   */
  readonly lengthscaleDensity?: LengthscaleDensity;
}

/**
 * Rows (indices into the n points) that the hyperparameters are fitted on: all of them up to
 * `max`, beyond it `max` rows evenly spaced by index. In a study rows are in trial order, so the
 * subset spans the early space-filling design and the later, concentrated search alike. Measured
 * at 1,000 points (hartmann6, d = 6): spending a quarter of the subset on the lowest outputs
 * instead fitted lengthscales to the incumbent's neighbourhood alone (held-out log predictive
 * density −7.8 vs 1.3), so the rule has no preference for the best points.
 */
export function fitSubset(n: number, max: number): number[] {
  if (!(max >= 1)) throw new GPError(`fitGP maxFitPoints must be at least 1, got ${max}`);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

function validate(X: readonly (readonly number[])[], y: readonly number[]): number {
  if (X.length !== y.length) throw new GPError(`fitGP needs one output per input row, got ${X.length} rows and ${y.length} outputs`);
  if (X.length === 0) throw new GPError('fitGP needs at least one observation, got 0');
  const d = X[0]!.length;
  if (d === 0) throw new GPError('fitGP needs inputs with at least one coordinate, got 0');
  X.forEach((x, i) => {
    if (x.length !== d) throw new GPError(`fitGP inputs must all have ${d} coordinates, got ${x.length} in row ${i}`);
    x.forEach((v, k) => {
      if (!Number.isFinite(v)) throw new GPError(`fitGP inputs must be finite, got ${v} at row ${i}, column ${k}`);
    });
  });
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new GPError(`fitGP outputs must be finite, got ${v} at index ${i}`);
  });
  return d;
}

function inputTransformFor(X: readonly (readonly number[])[], d: number, bounds?: readonly (readonly [number, number])[]): InputTransform {
  if (bounds) {
    if (bounds.length !== d) throw new GPError(`fitGP inputBounds must have ${d} rows, got ${bounds.length}`);
    bounds.forEach(([lo, hi], k) => {
      if (!(hi > lo)) throw new GPError(`fitGP inputBounds[${k}] must have high > low, got [${lo}, ${hi}]`);
    });
    return { lower: bounds.map((b) => b[0]), span: bounds.map((b) => b[1] - b[0]) };
  }
  const inCube = X.every((x) => x.every((v) => v >= 0 && v <= 1));
  if (inCube) return { lower: new Array<number>(d).fill(0), span: new Array<number>(d).fill(1) };
  const lower: number[] = [];
  const span: number[] = [];
  for (let k = 0; k < d; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of X) {
      lo = Math.min(lo, x[k]!);
      hi = Math.max(hi, x[k]!);
    }
    lower.push(lo);
    span.push(hi > lo ? hi - lo : 1);
  }
  return { lower, span };
}

/** Fits a GP to X (`n × d`) and y (length n). */
export function fitGP(X: readonly (readonly number[])[], y: readonly number[], options: FitOptions = {}): GPModel {
  const d = validate(X, y);
  const n = y.length;
  const yMean = mean(y);
  let yStd = n > 1 ? sampleStandardDeviation(y) : 0;
  // All-equal outputs (or one point): keep unit scale so the prior, not 0/0, decides the spread.
  if (!(yStd > 1e-12 * Math.max(1, Math.abs(yMean)))) yStd = 1;

  const noiseOpt = options.noise ?? 'learn';
  if (noiseOpt !== 'learn' && !(noiseOpt >= 0)) throw new GPError(`fitGP noise must be 'learn' or a variance ≥ 0, got ${noiseOpt}`);
  const fixedNoise = noiseOpt === 'learn' ? null : Math.max(noiseOpt / (yStd * yStd), 1e-10);

  const transform = inputTransformFor(X, d, options.inputBounds);
  const Xs = X.map((x) => Float64Array.from(x, (v, k) => (v - transform.lower[k]!) / transform.span[k]!));
  const ys = Float64Array.from(y, (v) => (v - yMean) / yStd);

  const density = options.lengthscaleDensity ?? 'log-lengthscale';
  const fitIdx = fitSubset(n, options.maxFitPoints ?? 120);
  const data = makeFitData(
    fitIdx.map((i) => Xs[i]!),
    Float64Array.from(fitIdx, (i) => ys[i]!),
    fixedNoise,
    density,
  );

  const { lower, upper } = thetaBounds(d);
  const warm = options.warmStart && options.warmStart.lengthscales.length === d ? packHyper(options.warmStart) : null;
  const restarts = Math.max(1, options.restarts ?? (warm ? 2 : 3));
  const starts: Float64Array[] = [];
  if (warm) starts.push(warm);
  starts.push(priorMode(d, density));
  // The log posterior often has two basins: long lengthscales explaining the data as noise (where
  // the prior mode starts over log ℓ; over ℓ it starts at ≈ 0.5, between the two), and short
  // lengthscales interpolating it. Start once in each.
  const short = priorMode(d, density);
  for (let k = 0; k < d; k++) short[k] = Math.log(0.25);
  short[d + 1] = Math.log(1e-4);
  starts.push(short);
  const rng = new Rng(options.seed ?? 0);
  const normal = (): number => rng.normal();
  const lp = lengthscalePrior(d);
  while (starts.length < restarts) {
    const t = priorMode(d, density);
    for (let k = 0; k < d; k++) t[k] = lengthscaleMode(d, density) + lp.scale * 0.7 * normal();
    t[d] = OUTPUT_SCALE_PRIOR.loc + 0.5 * OUTPUT_SCALE_PRIOR.scale * normal();
    t[d + 1] = NOISE_PRIOR.loc + 0.7 * NOISE_PRIOR.scale * normal();
    starts.push(t);
  }
  starts.length = restarts;

  const maxIter = options.maxIter ?? (warm ? 25 : 50);
  const screen = options.screenIter !== undefined && options.screenIter < maxIter ? Math.max(1, options.screenIter) : maxIter;
  const objective = (t: Float64Array): { value: number; grad: Float64Array } => negLogPosterior(t, data);
  const run = (t0: Float64Array, iterations: number): { x: Float64Array; value: number } =>
    minimizeLbfgs(objective, t0, { lower, upper, maxIter: iterations, gradTol: 1e-4, fTol: 1e-7 });
  let best: { x: Float64Array; value: number } | null = maxIter === 0 && warm ? { x: warm, value: 0 } : null;
  const fitting = best === null;
  for (const t0 of best ? [] : starts) {
    const r = run(t0, screen);
    if (Number.isFinite(r.value) && (!best || r.value < best.value)) best = { x: r.x, value: r.value };
  }
  if (fitting && best && screen < maxIter) {
    const r = run(best.x, maxIter - screen);
    if (Number.isFinite(r.value) && r.value <= best.value) best = { x: r.x, value: r.value };
  }
  const theta = best ? best.x : priorMode(d, density);
  let hyper = unpackHyper(theta, d);
  if (fixedNoise !== null) hyper = Object.freeze({ ...hyper, noise: fixedNoise });
  return new ExactGP(hyper, Xs, ys, yMean, yStd, transform);
}
