/**
 * Parameter importance by out-of-bag permutation on a random forest (Breiman 2001, §10).
 *
 * For each metric: fit a forest to (parameters in the unit cube → metric); for each tree and each
 * parameter, shuffle that parameter's column among the rows the tree did not train on and measure
 * how much the tree's squared error grows. A parameter's importance is the mean growth over trees
 * divided by the metric's variance, so it reads as "share of the variance lost without it"; the
 * spread over trees gives a standard error. Out-of-bag R² says how far to trust the scores: with
 * R² near 0 the forest explains nothing and neither do its importances.
 */
import { mean as ssMean, sampleStandardDeviation, variance } from 'simple-statistics';
import { Rng, deriveSeed } from '../math/index.js';
import { encode, evaluate, type Space } from '../space/index.js';
import type { Trial } from '../study/index.js';
import { fitForest, predictTree, type Forest } from './forest.js';
import { wantsLog } from './scale.js';

/** Trees per forest: enough for stable rankings (the whiskers show what is left), cheap enough to refit after every trial. */
export const IMPORTANCE_TREES = 32;

export const IMPORTANCE_METHOD =
  `Out-of-bag permutation importance on a random forest (${IMPORTANCE_TREES} CART trees, bootstrap rows, half the parameters per split) ` +
  'fitted to the parameters mapped to the unit cube. A score is the mean rise in out-of-bag squared error when that ' +
  "parameter's values are shuffled, as a share of the metric's variance; bars show ±1 standard error over trees. " +
  'Metrics spanning more than two decades are modelled on a log10 scale.';

/** Fewest complete trials for which importance is computed at all. */
export const MIN_IMPORTANCE_TRIALS = 8;

/** Stream id (for deriveSeed) of the column permutations, apart from the forest's own stream. */
const PERMUTATION_STREAM = 1;

export interface ParamImportance {
  readonly param: string;
  /** Mean rise in out-of-bag squared error / variance of the target (can be slightly negative). */
  readonly importance: number;
  readonly stderr: number;
}

export interface ImportanceTarget {
  /** Metric name, or `E` for the balance efficiency. */
  readonly metric: string;
  readonly transform: 'identity' | 'log10';
  /** Rows used (complete trials with a finite value). */
  readonly n: number;
  /** Out-of-bag coefficient of determination of the forest. */
  readonly oobR2: number;
  /** One per parameter, in the space's order. */
  readonly scores: readonly ParamImportance[];
}

export interface ImportanceResult {
  readonly method: string;
  readonly targets: readonly ImportanceTarget[];
  /** Metrics left out and why (too few trials, constant values). */
  readonly skipped: readonly { readonly metric: string; readonly reason: string }[];
}

/**
 * Permutation importance of each of the d features of `X` (n × d) for target `y` (n), from a
 * forest fitted to them. Returns per-feature mean and standard error (d each) and the OOB R².
 */
export function permutationImportance(
  forest: Forest,
  X: readonly (readonly number[])[],
  y: readonly number[],
  seed = 1,
): { mean: number[]; stderr: number[]; oobR2: number } {
  const n = X.length;
  const d = forest.dim;
  // A stream of its own: fitForest draws its bootstraps from `new Rng(seed)`.
  const rand = new Rng(deriveSeed(seed, PERMUTATION_STREAM));
  const mu = n > 0 ? ssMean(y) : 0;
  const targetVariance = n > 0 ? variance(y) : 0; // population variance (divide by n)
  const deltas: number[][] = Array.from({ length: d }, () => []);
  const oobSum = new Float64Array(n);
  const oobCount = new Uint32Array(n);
  forest.trees.forEach((tree, t) => {
    const rows: number[] = [];
    forest.outOfBag[t]!.forEach((flag, i) => flag && rows.push(i));
    if (rows.length < 2) return;
    let base = 0;
    for (const i of rows) {
      const p = predictTree(tree, X[i]!);
      oobSum[i] += p;
      oobCount[i]!++;
      base += (y[i]! - p) ** 2;
    }
    base /= rows.length;
    const scratch = new Array<number>(d);
    for (let j = 0; j < d; j++) {
      const column = rows.map((i) => X[i]![j]!);
      rand.shuffle(column);
      let err = 0;
      rows.forEach((i, k) => {
        const x = X[i]!;
        for (let a = 0; a < d; a++) scratch[a] = x[a]!;
        scratch[j] = column[k]!;
        err += (y[i]! - predictTree(tree, scratch)) ** 2;
      });
      deltas[j]!.push(err / rows.length - base);
    }
  });
  const scale = targetVariance > 0 ? targetVariance : 1;
  const mean = deltas.map((ds) => (ds.length ? ssMean(ds) / scale : 0));
  // Standard error over trees: sample sd (divide by count − 1) / √count.
  const stderr = deltas.map((ds) => (ds.length < 2 ? 0 : sampleStandardDeviation(ds) / Math.sqrt(ds.length) / scale));
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    if (oobCount[i] === 0) continue;
    sse += (y[i]! - oobSum[i]! / oobCount[i]!) ** 2;
    sst += (y[i]! - mu) ** 2;
  }
  return { mean, stderr, oobR2: sst > 0 ? 1 - sse / sst : 0 };
}

/**
 * Importance of every parameter for each of the space's metrics and, when an efficiency
 * expression is given (default: the space's balance block), for E. Uses complete trials only.
 */
export function computeImportance(
  space: Space,
  trials: readonly Trial[],
  options: { trees?: number; seed?: number; efficiency?: string | null } = {},
): ImportanceResult {
  const params = Object.keys(space.params);
  const complete = trials.filter((t) => t.state === 'complete' && t.metrics);
  const X = complete.map((t) => encode(space, t.params));
  const targets: ImportanceTarget[] = [];
  const skipped: { metric: string; reason: string }[] = [];
  const names = Object.keys(space.metrics);
  const values = new Map<string, (number | null)[]>();
  for (const m of names) values.set(m, complete.map((t) => t.metrics![m] ?? null));
  const expr = options.efficiency === undefined ? (space.balance?.efficiency ?? null) : options.efficiency;
  if (expr) {
    values.set(
      'E',
      complete.map((t) => {
        try {
          return evaluate(expr, t.metrics!);
        } catch {
          return null; // a trial missing a metric E needs simply has no E
        }
      }),
    );
  }
  let seed = options.seed ?? 7;
  for (const [metric, column] of values) {
    const rows: number[] = [];
    column.forEach((v, i) => v !== null && Number.isFinite(v) && rows.push(i));
    if (rows.length < MIN_IMPORTANCE_TRIALS) {
      skipped.push({ metric, reason: `needs at least ${MIN_IMPORTANCE_TRIALS} complete trials with a finite value, has ${rows.length}` });
      continue;
    }
    let y = rows.map((i) => column[i]!);
    const transform = wantsLog(y) ? 'log10' : 'identity';
    if (transform === 'log10') y = y.map(Math.log10);
    if (Math.max(...y) - Math.min(...y) === 0) {
      skipped.push({ metric, reason: `is constant (${column[rows[0]!]}) over ${rows.length} trials` });
      continue;
    }
    const Xr = rows.map((i) => X[i]!);
    const forest = fitForest(Xr, y, { trees: options.trees ?? IMPORTANCE_TREES, seed: ++seed });
    const { mean, stderr, oobR2 } = permutationImportance(forest, Xr, y, seed);
    targets.push({
      metric,
      transform,
      n: rows.length,
      oobR2,
      scores: params.map((param, j) => ({ param, importance: mean[j]!, stderr: stderr[j]! })),
    });
  }
  return { method: IMPORTANCE_METHOD, targets, skipped };
}
