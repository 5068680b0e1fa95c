/**
 * Dominance on minimisation vectors (every objective turned into "smaller is better" by
 * `toMinimization`), and constraint-aware dominance after Deb (2000): a feasible point dominates
 * an infeasible one; two infeasible points compare by total violation alone; two feasible points
 * by Pareto dominance.
 */
import type { ObjectiveSpec } from './types.js';

/** Metric values in objective order → minimisation vector (maximised objectives negated). */
export function toMinimization(objectives: readonly ObjectiveSpec[], values: readonly number[]): number[] {
  return objectives.map((o, i) => (o.direction === 'maximize' ? -values[i]! : values[i]!));
}

/** Pareto dominance for minimisation: a ≤ b everywhere and a < b somewhere. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) strictly = true;
  }
  return strictly;
}

export interface ConstrainedPoint {
  /** Minimisation vector, length m. */
  readonly values: readonly number[];
  /** Total constraint violation, 0 when feasible. */
  readonly violation: number;
}

export function constrainedDominates(a: ConstrainedPoint, b: ConstrainedPoint): boolean {
  const af = a.violation === 0;
  const bf = b.violation === 0;
  if (af && bf) return dominates(a.values, b.values);
  if (af !== bf) return af;
  return a.violation < b.violation;
}

/** Indices of the points no other point dominates (O(n² m); fronts here have at most thousands of points). */
export function nonDominatedIndices(points: readonly ConstrainedPoint[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < points.length; i++) {
    let dominated = false;
    for (let j = 0; j < points.length && !dominated; j++) {
      if (j !== i && constrainedDominates(points[j]!, points[i]!)) dominated = true;
    }
    if (!dominated) out.push(i);
  }
  return out;
}

/** Unconstrained non-dominated subset of minimisation vectors (duplicates are all kept). */
export function paretoFilter(points: readonly (readonly number[])[]): number[] {
  return nonDominatedIndices(points.map((values) => ({ values, violation: 0 })));
}

/** The rows equal to no earlier row, copied (first occurrence kept, order preserved). */
function distinctRows(points: readonly (readonly number[])[]): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  for (const p of points) {
    const key = p.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([...p]);
  }
  return out;
}

/**
 * The non-dominated rows of `points` (`n × m` minimisation vectors), each distinct row once and in
 * input order: the front that hypervolume and EHVI computations work on.
 */
export function nonDominatedPoints(points: readonly (readonly number[])[]): number[][] {
  return distinctRows(paretoFilter(points).map((i) => points[i]!));
}
