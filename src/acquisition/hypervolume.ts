/**
 * Hypervolume dominated by a set of points (minimization) up to a reference point, for any number
 * of objectives by slicing along the last objective (HSO). Exponential in m in the worst case but
 * fine for the fronts of a BO run (tens of points, m ≤ 4).
 */
import { paretoFront } from './pareto-front.js';

/** `points` is `n × m`; points not strictly better than `ref` in every objective add nothing. */
export function hypervolume(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const m = ref.length;
  const inside = points.filter((p) => p.every((v, j) => v < ref[j]!));
  if (inside.length === 0) return 0;
  if (m === 1) return ref[0]! - Math.min(...inside.map((p) => p[0]!));
  if (m === 2) {
    const pts = paretoFront(inside).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let hv = 0;
    let bestF2 = ref[1]!;
    for (const [f1, f2] of pts) {
      if (f2! < bestF2) {
        hv += (ref[0]! - f1!) * (bestF2 - f2!);
        bestF2 = f2!;
      }
    }
    return hv;
  }
  const front = paretoFront(inside).sort((a, b) => a[m - 1]! - b[m - 1]!);
  let hv = 0;
  for (let i = 0; i < front.length; i++) {
    const lo = front[i]![m - 1]!;
    const hi = i + 1 < front.length ? front[i + 1]![m - 1]! : ref[m - 1]!;
    if (hi <= lo) continue;
    const slice = front.slice(0, i + 1).map((p) => p.slice(0, m - 1));
    hv += (hi - lo) * hypervolume(slice, ref.slice(0, m - 1));
  }
  return hv;
}

/** Hypervolume improvement of adding y (length m) to `front` (`k × m`). */
export function hypervolumeImprovement(y: readonly number[], front: readonly (readonly number[])[], ref: readonly number[]): number {
  let box = 1;
  for (let j = 0; j < ref.length; j++) {
    const side = ref[j]! - y[j]!;
    if (side <= 0) return 0;
    box *= side;
  }
  // The part of y's box already dominated is the hypervolume of the front clipped to y's box.
  const clipped = front.map((p) => p.map((v, j) => Math.max(v, y[j]!)));
  return box - hypervolume(clipped, ref);
}
