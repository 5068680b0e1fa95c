/**
 * S* from posterior draws: each joint draw of E on a grid of log2 S values has one argmax; the
 * spread of those argmaxes is the posterior of log2 S*. We report the median and the central 90%
 * interval (5th and 95th percentiles, linear interpolation between order statistics).
 */

import { quantile as ssQuantile } from 'simple-statistics';

/**
 * Quantile q ∈ [0, 1] of `values` (type 7: linear between order statistics, R's and numpy's
 * default), from simple-statistics; NaN for no values rather than its throw, so an empty set of
 * draws yields an empty interval instead of an exception.
 */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  if (values.length === 0) return NaN;
  return ssQuantile(values, q);
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
