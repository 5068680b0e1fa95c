/**
 * Trust region for the GP sampler's late local steps (after TuRBO, Eriksson et al. 2019): a box
 * around the incumbent whose side follows the GP's lengthscales, doubled after a run of
 * improvements and halved after a run of failures. Late in the budget a global acquisition keeps
 * spreading samples over a basin it has already found; maximizing the same acquisition inside
 * this box converges on the incumbent's basin instead (hartmann6: see docs/benchmarks.md).
 *
 * The box's state is replayed from the history on every call (no state kept between proposals),
 * so a resumed study proposes as an uninterrupted one would. The acquisition is optimized in the
 * box's own unit coordinates: `boxedFeatures` maps the box onto [0, 1] per feature, so the shared
 * optimizer (src/acquisition) runs unchanged.
 */
import { optimizeAcquisition, type AcquisitionFunction, type FeatureSpace, type OptimizeOptions, type OptimizeResult } from '../acquisition/index.js';
import type { FeatureDim } from '../space/index.js';

/** TuRBO's side lengths in the unit cube: initial, smallest (then the box starts again) and largest. */
export const TRUST_REGION = { initial: 0.8, min: 0.5 ** 7, max: 1.6, successes: 3 } as const;

/** Improvements smaller than this fraction of |best| (or absolute, near 0) are failures. */
const MIN_GAIN = 1e-3;

/**
 * The side length after replaying `values` (minimized objective of the finished trials in trial
 * order; the first `before` of them precede the local phase and only set the starting best).
 * `failures`: consecutive failures that halve the side.
 */
export function trustRegionLength(values: readonly number[], before: number, failures: number): number {
  let best = Infinity;
  for (const v of values.slice(0, before)) best = Math.min(best, v);
  let length: number = TRUST_REGION.initial;
  let succ = 0;
  let fail = 0;
  for (const v of values.slice(before)) {
    if (v < best - MIN_GAIN * Math.max(1, Math.abs(best))) {
      succ++;
      fail = 0;
    } else {
      fail++;
      succ = 0;
    }
    best = Math.min(best, v);
    if (succ >= TRUST_REGION.successes) {
      length = Math.min(2 * length, TRUST_REGION.max);
      succ = 0;
    } else if (fail >= failures) {
      length /= 2;
      fail = 0;
      if (length < TRUST_REGION.min) length = TRUST_REGION.initial;
    }
  }
  return length;
}

/**
 * The box around `center` (length p, features): half-width per feature `length / 2` times the
 * feature's lengthscale over their geometric mean (TuRBO's weighting), clipped to [0, 1].
 * One-hot features are not restricted.
 */
export function trustRegionBox(
  dims: readonly FeatureDim[],
  center: readonly number[],
  lengthscales: readonly number[],
  length: number,
): { readonly lower: number[]; readonly upper: number[] } {
  const ordered: number[] = [];
  let p = 0;
  for (const d of dims) {
    if (d.kind === 'onehot') p += d.size;
    else ordered.push(p++);
  }
  const logMean = ordered.reduce((s, j) => s + Math.log(lengthscales[j]!), 0) / Math.max(1, ordered.length);
  const lower = center.map(() => 0);
  const upper = center.map(() => 1);
  for (const j of ordered) {
    const half = (length / 2) * Math.exp(Math.log(lengthscales[j]!) - logMean);
    lower[j] = Math.max(0, center[j]! - half);
    upper[j] = Math.min(1, center[j]! + half);
  }
  return { lower, upper };
}

/**
 * `features` seen through a box: each continuous or grid feature's [lower, upper] becomes [0, 1]
 * (a grid keeps its points inside the box, or the one nearest the centre of the box when none is).
 * `toGlobal` / `toLocal` map feature vectors between the two.
 */
export function boxedFeatures(
  features: FeatureSpace,
  box: { readonly lower: readonly number[]; readonly upper: readonly number[] },
): { readonly local: FeatureSpace; toGlobal(x: readonly number[]): number[]; toLocal(x: readonly number[]): number[] } {
  const lower = [...box.lower];
  const upper = [...box.upper];
  // Grid points kept per feature; a grid with none inside keeps its nearest and the box grows to it.
  const kept = new Map<number, number[]>();
  let p = 0;
  for (const d of features.dims) {
    if (d.kind === 'onehot') {
      p += d.size;
      continue;
    }
    const j = p++;
    if (d.kind !== 'grid') continue;
    const inside = d.points.filter((v) => v >= lower[j]! && v <= upper[j]!);
    const mid = (lower[j]! + upper[j]!) / 2;
    const points = inside.length > 0 ? inside : [d.points.reduce((a, b) => (Math.abs(b - mid) < Math.abs(a - mid) ? b : a))];
    lower[j] = Math.min(lower[j]!, ...points);
    upper[j] = Math.max(upper[j]!, ...points);
    kept.set(j, points);
  }
  const span = lower.map((lo, j) => upper[j]! - lo);
  const toLocal = (x: readonly number[]): number[] => x.map((v, j) => (span[j]! > 0 ? Math.min(1, Math.max(0, (v - lower[j]!) / span[j]!)) : 0));
  const toGlobal = (x: readonly number[]): number[] => x.map((v, j) => lower[j]! + v * span[j]!);
  p = 0;
  const dims: FeatureDim[] = features.dims.map((d) => {
    if (d.kind === 'onehot') {
      p += d.size;
      return d;
    }
    const j = p++;
    if (d.kind === 'continuous') return d;
    return { kind: 'grid', points: kept.get(j)!.map((v) => (span[j]! > 0 ? (v - lower[j]!) / span[j]! : 0)) };
  });
  const local: FeatureSpace = {
    dims,
    width: features.width,
    fromUnit(u) {
      const x: number[] = [];
      dims.forEach((d, i) => {
        const v = Math.min(1, Math.max(0, u[i]!));
        if (d.kind === 'continuous') x.push(v);
        else if (d.kind === 'grid') x.push(d.points[Math.min(d.points.length - 1, Math.floor(v * d.points.length))]!);
        else {
          const hot = Math.min(d.size - 1, Math.floor(v * d.size));
          for (let c = 0; c < d.size; c++) x.push(c === hot ? 1 : 0);
        }
      });
      return x;
    },
    round(x) {
      const out: number[] = [];
      let q = 0;
      for (const d of dims) {
        if (d.kind === 'continuous') out.push(Math.min(1, Math.max(0, x[q++]!)));
        else if (d.kind === 'grid') {
          const v = x[q++]!;
          out.push(d.points.reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a)));
        } else {
          let hot = 0;
          for (let c = 1; c < d.size; c++) if (x[q + c]! > x[q + hot]!) hot = c;
          for (let c = 0; c < d.size; c++) out.push(c === hot ? 1 : 0);
          q += d.size;
        }
      }
      return out;
    },
  };
  return { local, toGlobal, toLocal };
}

/** Maximizes `acq` inside the box: the shared optimizer on the box's unit coordinates; returns global features. */
export function optimizeInBox(
  acq: AcquisitionFunction,
  options: OptimizeOptions,
  box: { readonly lower: readonly number[]; readonly upper: readonly number[] },
): OptimizeResult | null {
  const { local, toGlobal, toLocal } = boxedFeatures(options.features, box);
  // d(global)/d(local) per feature: the (possibly widened) box's side.
  const origin = toGlobal(box.lower.map(() => 0));
  const span = toGlobal(box.lower.map(() => 1)).map((v, j) => v - origin[j]!);
  const inner: AcquisitionFunction = {
    evaluate: (X) => acq.evaluate(X.map(toGlobal)),
    ...(acq.evaluateWithGradient
      ? {
          evaluateWithGradient: (x: readonly number[]) => {
            const r = acq.evaluateWithGradient!(toGlobal(x));
            return { value: r.value, grad: r.grad.map((g, j) => g * span[j]!) };
          },
        }
      : {}),
  };
  const isTaken = options.isTaken;
  const best = optimizeAcquisition(inner, {
    ...options,
    features: local,
    anchors: (options.anchors ?? []).map(toLocal),
    ...(isTaken ? { isTaken: (x: readonly number[]) => isTaken(toGlobal(x)) } : {}),
  });
  return best ? { x: toGlobal(best.x), value: best.value } : null;
}
