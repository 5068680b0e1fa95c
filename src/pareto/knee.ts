/**
 * Knee of a two-objective front: the front point farthest from the straight line (chord) between
 * the front's two extremes, measured after each axis is normalised to [0, 1] over the front, on
 * the side of the chord toward the ideal point. Axes flagged `log` are taken as log2 first (model
 * size spans decades; a knee in linear size would sit at the smallest models whatever the shape).
 * Fewer than 3 points, or no point strictly beyond the chord, gives no knee.
 */

export interface KneeInput {
  /** n × 2 minimisation vectors (maximised objectives already negated). */
  readonly points: readonly (readonly [number, number])[];
  /** Per axis: take log2 before normalising (values must be > 0; otherwise the axis stays linear). */
  readonly log: readonly [boolean, boolean];
}

/** Index of the knee point in `points`, and its normalised distance to the chord; null when none. */
export function kneeIndex(input: KneeInput): { index: number; distance: number } | null {
  const pts = input.points;
  if (pts.length < 3) return null;
  const axes = [0, 1].map((a) => {
    // A maximised axis arrives negated; log applies to the magnitude, keeping the order.
    const raw = pts.map((p) => p[a]!);
    const useLog = input.log[a] && (raw.every((v) => v > 0) || raw.every((v) => v < 0));
    const vals = useLog ? raw.map((v) => Math.sign(v) * Math.log2(Math.abs(v))) : raw;
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    return vals.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
  });
  const xs = axes[0]!;
  const ys = axes[1]!;
  // Extremes: best on axis 0 and best on axis 1.
  let a = 0;
  let b = 0;
  for (let i = 1; i < pts.length; i++) {
    if (xs[i]! < xs[a]! || (xs[i] === xs[a] && ys[i]! < ys[a]!)) a = i;
    if (ys[i]! < ys[b]! || (ys[i] === ys[b] && xs[i]! < xs[b]!)) b = i;
  }
  const dx = xs[b]! - xs[a]!;
  const dy = ys[b]! - ys[a]!;
  const len = Math.hypot(dx, dy);
  if (len === 0) return null;
  let best: { index: number; distance: number } | null = null;
  for (let i = 0; i < pts.length; i++) {
    if (i === a || i === b) continue;
    // Signed distance; positive on the side of the ideal corner (0, 0).
    const cross = (dx * (ys[i]! - ys[a]!) - dy * (xs[i]! - xs[a]!)) / len;
    const idealSide = Math.sign(dx * (0 - ys[a]!) - dy * (0 - xs[a]!));
    const d = cross * (idealSide === 0 ? -1 : idealSide);
    if (d > 1e-12 && (best === null || d > best.distance)) best = { index: i, distance: d };
  }
  return best;
}
