/**
 * Acquisition optimization over a mixed feature space (after BoTorch's optimize_acqf and Optuna's
 * optim_mixed): score many scrambled-Sobol raw candidates plus perturbations of the caller's
 * anchors (the incumbents), refine the best few with box-constrained L-BFGS on the continuous
 * relaxation, round to valid values, and return the best rounded point the caller does not reject.
 *
 * Feature dimensions (src/space/features.ts):
 * - continuous: one coordinate in [0, 1];
 * - grid: one coordinate restricted to sorted `points` (integers and ordinals: their bin centres in
 *   the unit cube). Relaxed to [first, last] during refinement, rounded to a point after;
 * - onehot: `size` coordinates, exactly one of them 1 (unordered categoricals). Held fixed during
 *   gradient refinement — a one-hot relaxation has no meaningful interior — and explored through
 *   the raw candidates and anchor perturbations instead.
 */
import { minimizeLbfgs } from '../gp/index.js';
import { Rng, sobol } from '../math/index.js';
import type { FeatureDim } from '../space/index.js';
import type { AcquisitionFunction } from './types.js';

/**
 * The features being optimized over: their dimensions, and how a unit-cube point and a relaxed
 * vector become valid features. src/space's FeatureMap is the one implementation (only src/space
 * knows how a coordinate becomes a value).
 */
export interface FeatureSpace {
  readonly dims: readonly FeatureDim[];
  /** Number of features (`p`). */
  readonly width: number;
  /** One unit-cube point (one coordinate per dim) → valid features. */
  fromUnit(u: readonly number[]): number[];
  /** Relaxed features → valid features (grid → a grid point, one-hot → one block hot). */
  round(x: readonly number[]): number[];
}

export interface OptimizeOptions {
  readonly features: FeatureSpace;
  readonly seed: number;
  /** Raw Sobol candidates (default 512). */
  readonly rawSamples?: number;
  /** Raw candidates refined by L-BFGS (default 5). */
  readonly restarts?: number;
  /** L-BFGS iterations per refinement (default 30). */
  readonly maxIter?: number;
  /** Evaluations per L-BFGS refinement, line-search trials included (default unlimited). */
  readonly maxEvaluations?: number;
  /** Feature vectors (`a × p`) to perturb around, best first (e.g. the Pareto set). */
  readonly anchors?: readonly (readonly number[])[];
  /** Candidates per anchor (default 16, half at radius 0.02, half at 0.1). */
  readonly perAnchor?: number;
  /** Rejects a rounded candidate (a finished, running or already proposed configuration). */
  readonly isTaken?: (x: readonly number[]) => boolean;
}

export interface OptimizeResult {
  /** Rounded feature vector (length p). */
  readonly x: number[];
  readonly value: number;
}

function perturb(features: FeatureSpace, x: readonly number[], radius: number, rng: Rng): number[] {
  const out = [...x];
  let p = 0;
  const flip = 1 / Math.max(1, features.dims.length);
  for (const d of features.dims) {
    if (d.kind === 'onehot') {
      if (rng.uniform() < flip) {
        const hot = Math.floor(rng.uniform() * d.size);
        for (let c = 0; c < d.size; c++) out[p + c] = c === hot ? 1 : 0;
      }
      p += d.size;
    } else {
      out[p] = Math.min(1, Math.max(0, x[p]! + radius * rng.normal()));
      p++;
    }
  }
  return features.round(out);
}

/** Maximizes `acq`; returns null only when every candidate is rejected by `isTaken`. */
export function optimizeAcquisition(acq: AcquisitionFunction, options: OptimizeOptions): OptimizeResult | null {
  const { features } = options;
  const dims = features.dims;
  const rng = new Rng(options.seed);
  const raw = options.rawSamples ?? 512;
  const cands: number[][] = sobol(dims.length, raw, options.seed).map((u) => features.fromUnit(u));
  const perAnchor = options.perAnchor ?? 16;
  for (const a of options.anchors ?? []) {
    for (let i = 0; i < perAnchor; i++) cands.push(perturb(features, a, i % 2 === 0 ? 0.02 : 0.1, rng));
  }
  const values = acq.evaluate(cands);
  const order = values.map((_, i) => i).sort((i, j) => values[j]! - values[i]!);

  // Box for refinement: continuous [0, 1], grid [first, last], onehot fixed at the start's value.
  const p = features.width;
  const pool: { x: number[]; value: number }[] = order.map((i) => ({ x: cands[i]!, value: values[i]! }));
  const restarts = Math.min(options.restarts ?? 5, order.length);
  const seen = new Set<string>();
  let started = 0;
  for (const i of order) {
    if (started >= restarts) break;
    const x0 = cands[i]!;
    const key = x0.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    started++;
    const lower = new Float64Array(p);
    const upper = new Float64Array(p);
    let q = 0;
    for (const d of dims) {
      if (d.kind === 'continuous') {
        lower[q] = 0;
        upper[q++] = 1;
      } else if (d.kind === 'grid') {
        lower[q] = d.points[0]!;
        upper[q++] = d.points[d.points.length - 1]!;
      } else {
        for (let c = 0; c < d.size; c++, q++) lower[q] = upper[q] = x0[q]!;
      }
    }
    const f = (x: Float64Array): { value: number; grad: Float64Array } => {
      const xs = Array.from(x);
      if (acq.evaluateWithGradient) {
        const r = acq.evaluateWithGradient(xs);
        return { value: -r.value, grad: Float64Array.from(r.grad, (g) => -g) };
      }
      // Forward differences, all p + 1 points in one call (a batch acquisition shares its setup).
      const pts: number[][] = [xs];
      const moved: number[] = [];
      for (let j = 0; j < p; j++) {
        if (lower[j] === upper[j]) continue;
        const h = 1e-6;
        const xh = [...xs];
        xh[j] = xs[j]! + h <= upper[j]! ? xs[j]! + h : xs[j]! - h;
        pts.push(xh);
        moved.push(j);
      }
      const vals = acq.evaluate(pts);
      const v0 = vals[0]!;
      const grad = new Float64Array(p);
      moved.forEach((j, t) => (grad[j] = -(vals[t + 1]! - v0) / (pts[t + 1]![j]! - xs[j]!)));
      return { value: -v0, grad };
    };
    const r = minimizeLbfgs(f, x0, { lower, upper, maxIter: options.maxIter ?? 30, gradTol: 1e-7, fTol: 1e-10, maxEvaluations: options.maxEvaluations ?? Infinity });
    if (!Number.isFinite(r.value)) continue;
    const xr = features.round(Array.from(r.x));
    pool.push({ x: xr, value: acq.evaluate([xr])[0]! });
  }
  pool.sort((a, b) => b.value - a.value);
  for (const c of pool) if (!options.isTaken?.(c.x)) return { x: c.x, value: c.value };
  return null;
}
