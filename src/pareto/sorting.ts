/**
 * Ranking a set of points, after NSGA-II (Deb et al. 2002): non-dominated sorting into fronts
 * under the constraint-aware dominance of dominance.ts, and crowding distance inside a front as
 * the diversity tie-break. Used where trials must be ordered best-first with several objectives
 * (the successive-halving pruners); pure functions.
 */
import { constrainedDominates, type ConstrainedPoint } from './dominance.js';

/**
 * Front index of each point: 0 for the non-dominated ones, 1 for those dominated only by front 0,
 * and so on. O(n² m).
 */
export function frontIndices(points: readonly ConstrainedPoint[]): number[] {
  const n = points.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (constrainedDominates(points[i]!, points[j]!)) {
        dominating[i]!.push(j);
        dominatedBy[j]!++;
      } else if (constrainedDominates(points[j]!, points[i]!)) {
        dominating[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const front = new Array<number>(n).fill(-1);
  let current = [...Array(n).keys()].filter((i) => dominatedBy[i] === 0);
  for (let f = 0; current.length > 0; f++) {
    const next: number[] = [];
    for (const i of current) {
      front[i] = f;
      for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    current = next;
  }
  return front;
}

/**
 * Crowding distance of each point of one front (`n × m` minimisation vectors): the sum over
 * objectives of the gap between its two neighbours, over that objective's range; the extremes
 * of each objective get Infinity. Fronts of one or two points are all Infinity.
 */
export function crowdingDistances(values: readonly (readonly number[])[]): number[] {
  const n = values.length;
  const out = new Array<number>(n).fill(0);
  if (n === 0) return out;
  const m = values[0]!.length;
  for (let k = 0; k < m; k++) {
    const order = [...Array(n).keys()].sort((a, b) => values[a]![k]! - values[b]![k]! || a - b);
    const lo = values[order[0]!]![k]!;
    const hi = values[order[n - 1]!]![k]!;
    out[order[0]!] = Infinity;
    out[order[n - 1]!] = Infinity;
    if (!(hi > lo)) continue;
    for (let r = 1; r < n - 1; r++) out[order[r]!]! += (values[order[r + 1]!]![k]! - values[order[r - 1]!]![k]!) / (hi - lo);
  }
  return out;
}

export interface RankedPoint {
  /** Position in the input. */
  readonly index: number;
  readonly front: number;
  readonly crowding: number;
}

/**
 * The points best-first: by front, then by crowding distance (larger first), then by input
 * position, so the order is total and deterministic.
 */
export function rankPoints(points: readonly ConstrainedPoint[]): RankedPoint[] {
  const fronts = frontIndices(points);
  const crowding = new Array<number>(points.length).fill(0);
  const members = new Map<number, number[]>();
  fronts.forEach((f, i) => members.set(f, [...(members.get(f) ?? []), i]));
  for (const idx of members.values()) {
    const d = crowdingDistances(idx.map((i) => points[i]!.values));
    idx.forEach((i, r) => (crowding[i] = d[r]!));
  }
  return points
    .map((_, index) => ({ index, front: fronts[index]!, crowding: crowding[index]! }))
    .sort((a, b) => a.front - b.front || (b.crowding === a.crowding ? 0 : b.crowding > a.crowding ? 1 : -1) || a.index - b.index);
}
