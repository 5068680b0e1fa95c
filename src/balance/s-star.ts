/**
 * S* from posterior draws: each joint draw of E on a grid of log2 S values has one argmax; the
 * spread of those argmaxes is the posterior of log2 S*. We report the median and the central 90%
 * interval (5th and 95th percentiles, linear interpolation between order statistics).
 */

/** Quantile q ∈ [0, 1] of `values` (type 7: linear between order statistics). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** `grid`: length m (log2 S); `draws`: count × m joint draws of E. Returns one argmax per draw. */
export function argmaxPerDraw(grid: readonly number[], draws: readonly (readonly number[])[]): number[] {
  return draws.map((d) => {
    let best = 0;
    for (let i = 1; i < d.length; i++) if (d[i]! > d[best]!) best = i;
    return grid[best]!;
  });
}

export interface LogInterval {
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
}

/** Median and central 90% interval of log2 S* from posterior draws on `grid`. */
export function sStarFromDraws(grid: readonly number[], draws: readonly (readonly number[])[]): LogInterval {
  const arg = argmaxPerDraw(grid, draws);
  return { median: quantile(arg, 0.5), lo: quantile(arg, 0.05), hi: quantile(arg, 0.95) };
}

/** `m` evenly spaced values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, m: number): number[] {
  if (m === 1) return [(lo + hi) / 2];
  return Array.from({ length: m }, (_, i) => lo + ((hi - lo) * i) / (m - 1));
}
