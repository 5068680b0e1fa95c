/**
 * The hypervolume reference point: the study's (fixed once chosen, for the front and the report's
 * hypervolume history) and the GP sampler's EHVI's when none is given (`acquisitionReferencePoint`,
 * moving with the observations).
 *
 * `inferReferencePoint`: the nadir of the non-dominated points plus 10 % of their range per
 * objective (BoTorch's infer_reference_point), or 10 % of max(1, |nadir|) when the range is 0.
 *
 * The study's point is chosen once, in this order:
 * 1. `given`: the caller's (e.g. the CLI's);
 * 2. `problem`: a declared point (metric → value) passed in by the composition side, e.g. a
 *    built-in benchmark's from src/objectives, used when it covers every objective and all are
 *    minimized (this room does not know the benchmark table);
 * 3. `nadir+10%`: inferred from the first `REFERENCE_TRIALS` complete feasible trials. Taking it
 *    from the first trials only keeps it fixed once they exist, so the hypervolume history of a
 *    study never moves under later trials.
 */
import { nonDominatedPoints, toMinimization } from './dominance.js';
import type { ObjectiveSpec, ReferencePoint } from './types.js';

export const REFERENCE_TRIALS = 10;

/** `points`: minimized objective vectors, n × m (n ≥ 1). Returns the minimized reference point (length m). */
export function inferReferencePoint(points: readonly (readonly number[])[]): number[] {
  const front = nonDominatedPoints(points);
  const m = points[0]!.length;
  return Array.from({ length: m }, (_, j) => {
    const col = front.map((y) => y[j]!);
    const hi = Math.max(...col);
    const lo = Math.min(...col);
    const range = hi - lo > 0 ? hi - lo : Math.max(1, Math.abs(hi));
    return hi + 0.1 * range;
  });
}

/**
 * The observed-front reference point: the GP sampler's EHVI used it when the user gave none
 * before `extremesReferencePoint` (which falls back on it per objective), recomputed at every
 * proposal. `points`: minimized objective vectors of the feasible observations, n × m (n ≥ 1).
 * Returns the nadir of their non-dominated points plus 10 % of each objective's range over *all*
 * the points (10 % of max(1, |nadir|) when that range is 0).
 *
 * BoTorch's rule (`inferReferencePoint`, 10 % of the front's own range) collapses when the front
 * is narrow: a point beyond the reference in one objective gains no hypervolume, so the front never
 * widens (the shipped zdt1 space reached hv ratio 0.917 with every front point at f1 < 0.004).
 * Taking the margin from the observed range keeps room to widen the front; taking the nadir from
 * the front, not from the worst observations, keeps the pressure towards the front that a tight
 * reference point gives (docs/benchmarks.md, "no reference point", has the variants measured).
 */
export function acquisitionReferencePoint(points: readonly (readonly number[])[]): number[] {
  const front = nonDominatedPoints(points);
  const m = points[0]!.length;
  return Array.from({ length: m }, (_, j) => {
    const nadir = Math.max(...front.map((y) => y[j]!));
    const col = points.map((y) => y[j]!);
    const range = Math.max(...col) - Math.min(...col);
    return nadir + 0.1 * (range > 0 ? range : Math.max(1, Math.abs(nadir)));
  });
}

/**
 * The reference point from a model's predicted extremes. `extremes`: m × m, row j the predicted
 * objective vector (minimized) where objective j is at its predicted minimum; `points`: the
 * fitted objective vectors of the feasible observations, n × m (n ≥ 1).
 *
 * The predicted front's nadir (per objective, the worst value among the other objectives'
 * extremes) plus 10 % of the front's extent (nadir − ideal, the ideal being the lower of the
 * predicted minimum and the observed one): on the true front of ZDT1, ZDT2 and DTLZ2 this is their
 * benchmark point (1.1, 1.1) for the first two, relative to the front, and exactly DTLZ2's. Where
 * the extent is not positive (a model that has not separated the objectives yet), the observed
 * rule `acquisitionReferencePoint` is used for that objective.
 */
export function extremesReferencePoint(extremes: readonly (readonly number[])[], points: readonly (readonly number[])[]): number[] {
  const m = points[0]!.length;
  const observed = acquisitionReferencePoint(points);
  return Array.from({ length: m }, (_, k) => {
    const others = extremes.filter((_, j) => j !== k).map((y) => y[k]!);
    const nadir = Math.max(...others);
    const ideal = Math.min(extremes[k]![k]!, ...points.map((y) => y[k]!));
    const extent = nadir - ideal;
    return extent > 0 && Number.isFinite(extent) ? nadir + 0.1 * extent : observed[k]!;
  });
}

/** A declared point (metric → value) in objective order, or null when it does not apply. */
export function declaredReferencePoint(
  objectives: readonly ObjectiveSpec[],
  declared: Readonly<Record<string, number>> | undefined,
): number[] | null {
  if (!declared) return null;
  const out: number[] = [];
  for (const o of objectives) {
    const v = declared[o.name];
    if (v === undefined || o.direction !== 'minimize') return null;
    out.push(v);
  }
  return out;
}

/**
 * `early`: metric vectors (objective order, own directions) of the complete feasible trials in
 * trial order, n × m. Returns the point in the objectives' own units, or null with none of them.
 */
export function chooseReferencePoint(
  objectives: readonly ObjectiveSpec[],
  early: readonly (readonly number[])[],
  options: { readonly given?: readonly number[]; readonly declared?: Readonly<Record<string, number>> } = {},
): ReferencePoint | null {
  if (options.given) return { point: [...options.given], source: 'given' };
  const problem = declaredReferencePoint(objectives, options.declared);
  if (problem) return { point: problem, source: 'problem' };
  const first = early.slice(0, REFERENCE_TRIALS);
  if (first.length === 0) return null;
  const ref = inferReferencePoint(first.map((v) => toMinimization(objectives, v)));
  // toMinimization negates maximized objectives; negating again returns to their own units.
  return { point: toMinimization(objectives, ref), source: 'nadir+10%' };
}
