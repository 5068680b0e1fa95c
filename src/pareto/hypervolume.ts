/**
 * Hypervolume of a set of minimisation vectors with respect to a reference point r: the Lebesgue
 * measure of the region dominated by the set and bounded by r. Points that do not strictly
 * dominate r (p_i < r_i for every i) add nothing and are dropped first.
 *
 * - m = 2: exact sweep. Sort by the first objective; each point adds the rectangle between it, the
 *   previous best second objective and r. O(n log n).
 * - m = 3: exact slicing along the third objective. Sort by f3; between consecutive f3 values (the
 *   last slab ends at r3) the dominated cross-section is the 2-D hypervolume of the points seen so
 *   far, so HV = Σ_i hv2d(p_1..p_i) · (f3_{i+1} − f3_i). O(n² log n), exact.
 * - m ≥ 4: exact WFG (While, Bradstreet & Barone, IEEE TEC 2012): HV(S) = Σ_k exclusive
 *   contribution of p_k, where exclusive(p_k) = box(p_k) − HV(nondominated(limit(S after k, p_k)))
 *   and limit takes the componentwise worse of each later point and p_k. Exponential in m at
 *   worst; above `wfgLimit(m)` points the Monte Carlo estimate is used instead (see
 *   `hypervolume`), with its standard error reported.
 */
import { Rng } from '../math/index.js';
import { nonDominatedPoints } from './dominance.js';
import type { HypervolumeValue } from './types.js';

/**
 * Largest front (after filtering) that gets exact WFG for m objectives; bigger ones get a Monte
 * Carlo estimate. WFG's cost grows steeply with m, and these limits keep an exact computation
 * under about a second on 2 cores (timings in docs/benchmarks.md, "Measurements behind constants").
 */
export function wfgLimit(m: number): number {
  return m <= 4 ? 200 : m === 5 ? 120 : 50;
}
/** Monte Carlo samples used beyond wfgLimit(m). */
export const MC_SAMPLES = 200_000;

function strictlyInside(points: readonly (readonly number[])[], ref: readonly number[]): number[][] {
  return points.filter((p) => p.every((v, i) => v < ref[i]!)).map((p) => [...p]);
}

/** Exact 2-D hypervolume. `points`: n × 2 minimisation vectors; `ref`: length 2. */
export function hypervolume2d(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const pts = strictlyInside(points, ref).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let area = 0;
  let prevY = ref[1]!;
  for (const p of pts) {
    if (p[1]! < prevY) {
      area += (ref[0]! - p[0]!) * (prevY - p[1]!);
      prevY = p[1]!;
    }
  }
  return area;
}

/** Exact 3-D hypervolume by slicing along the third objective. `points`: n × 3. */
export function hypervolume3d(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const pts = strictlyInside(points, ref).sort((a, b) => a[2]! - b[2]!);
  const ref2 = [ref[0]!, ref[1]!];
  let volume = 0;
  const seen: number[][] = [];
  for (let i = 0; i < pts.length; i++) {
    seen.push([pts[i]![0]!, pts[i]![1]!]);
    const top = i + 1 < pts.length ? pts[i + 1]![2]! : ref[2]!;
    const height = top - pts[i]![2]!;
    if (height > 0) volume += hypervolume2d(seen, ref2) * height;
  }
  return volume;
}

function box(p: readonly number[], ref: readonly number[]): number {
  let v = 1;
  for (let i = 0; i < p.length; i++) v *= ref[i]! - p[i]!;
  return v;
}

function wfg(pts: number[][], ref: readonly number[]): number {
  const m = ref.length;
  if (pts.length === 0) return 0;
  if (pts.length === 1) return box(pts[0]!, ref);
  if (m === 2) return hypervolume2d(pts, ref);
  if (m === 3) return hypervolume3d(pts, ref);
  // Sorting by the last objective, worst first, keeps the limit sets small (as WFG does).
  const sorted = [...pts].sort((a, b) => b[m - 1]! - a[m - 1]!);
  let total = 0;
  for (let k = 0; k < sorted.length; k++) {
    const p = sorted[k]!;
    const limited: number[][] = [];
    for (let j = k + 1; j < sorted.length; j++) limited.push(sorted[j]!.map((v, i) => Math.max(v, p[i]!)));
    total += box(p, ref) - wfg(nonDominatedPoints(limited), ref);
  }
  return total;
}

/** Exact hypervolume for any m (2-D sweep, 3-D slicing, WFG beyond; m = 1: ref − min). `points`: n × m. */
export function hypervolumeExact(points: readonly (readonly number[])[], ref: readonly number[]): number {
  // The 2-D sweep takes dominated points as they are. The 3-D slicing is O(n² log n) in the points
  // it is given, so it (like WFG) gets the front: clipped fronts in EHVI are mostly dominated.
  if (ref.length === 2) return hypervolume2d(points, ref);
  const front = nonDominatedPoints(strictlyInside(points, ref));
  return ref.length === 3 ? hypervolume3d(front, ref) : wfg(front, ref);
}

/**
 * Monte Carlo estimate: draw N points uniformly in the box [ideal, ref] and count those dominated
 * by the set. HV ≈ vol · k/N with standard error vol · √(p(1−p)/N), p = k/N. `random` returns
 * uniforms in [0, 1) (pass a seeded generator for reproducible estimates).
 */
export function hypervolumeMonteCarlo(
  points: readonly (readonly number[])[],
  ref: readonly number[],
  samples: number,
  random: () => number,
): { value: number; standardError: number } {
  const pts = strictlyInside(points, ref);
  if (pts.length === 0) return { value: 0, standardError: 0 };
  const m = ref.length;
  const ideal = ref.map((_, i) => Math.min(...pts.map((p) => p[i]!)));
  const vol = box(ideal, ref);
  const x = new Array<number>(m);
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < m; i++) x[i] = ideal[i]! + random() * (ref[i]! - ideal[i]!);
    if (pts.some((p) => p.every((v, i) => v <= x[i]!))) hits++;
  }
  const p = hits / samples;
  return { value: vol * p, standardError: vol * Math.sqrt((p * (1 - p)) / samples) };
}

/** The hypervolume with the method used: exact for m ≤ 3 and for WFG-sized fronts, else Monte Carlo. */
export function hypervolume(points: readonly (readonly number[])[], ref: readonly number[]): HypervolumeValue {
  const m = ref.length;
  if (m < 2) return { value: 0, method: 'none', standardError: 0 };
  if (m === 2) return { value: hypervolume2d(points, ref), method: 'exact-2d', standardError: 0 };
  if (m === 3) return { value: hypervolume3d(points, ref), method: 'exact-3d', standardError: 0 };
  const nd = nonDominatedPoints(strictlyInside(points, ref));
  if (nd.length <= wfgLimit(m)) return { value: wfg(nd, ref), method: 'exact-wfg', standardError: 0 };
  const mc = hypervolumeMonteCarlo(nd, ref, MC_SAMPLES, ((rng) => () => rng.uniform())(new Rng(nd.length * 7919 + m)));
  return { value: mc.value, method: 'monte-carlo', standardError: mc.standardError };
}
