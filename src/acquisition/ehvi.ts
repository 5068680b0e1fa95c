/**
 * Exact expected hypervolume improvement for two minimized objectives with independent Gaussian
 * marginals, by box decomposition of the non-dominated region (vertical stripes between
 * consecutive Pareto points). For a stripe i with f1 ∈ [a_i, b_i) and non-dominated below c_i:
 *
 *   E[ (b_i − max(a_i, Y1))⁺ ] · E[ (c_i − Y2)⁺ ] = (ψ1(b_i) − ψ1(a_i)) · ψ2(c_i),
 *   ψ(c) = E[(c − Y)⁺] = σ h((c − μ)/σ),  h(z) = φ(z) + zΦ(z),
 *
 * and EHVI is the sum over stripes. Computed in log space (log-sum-exp over stripes, log h from
 * gp/normal.ts) so it keeps a useful gradient where EHVI underflows.
 */
import { logH } from '../gp/index.js';
import { nonDominatedPoints } from '../pareto/index.js';
import type { MarginalScore } from './types.js';

/** log(1 − eˣ) for x ≤ 0. */
function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** Stripes of the 2-D non-dominated region: a (−∞ for the first), b, c per stripe. */
export interface Stripes {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
}

/** `front` is `k × 2` (any order, dominated points allowed); ref has length 2. */
export function stripes2d(front: readonly (readonly number[])[], ref: readonly number[]): Stripes {
  const pts = nonDominatedPoints(front.filter((p) => p[0]! < ref[0]! && p[1]! < ref[1]!)).sort((p, q) => p[0]! - q[0]!);
  const k = pts.length;
  const a = new Float64Array(k + 1);
  const b = new Float64Array(k + 1);
  const c = new Float64Array(k + 1);
  a[0] = -Infinity;
  c[0] = ref[1]!;
  for (let i = 0; i <= k; i++) {
    if (i > 0) {
      a[i] = pts[i - 1]![0]!;
      c[i] = pts[i - 1]![1]!;
    }
    b[i] = i < k ? pts[i]![0]! : ref[0]!;
  }
  return { a, b, c };
}

/** log ψ(c) = log E[(c − Y)⁺] for Y ~ N(μ, σ²). */
function logPsi(c: number, mu: number, sd: number): number {
  if (c === -Infinity) return -Infinity;
  return Math.log(sd) + logH((c - mu) / sd);
}

/**
 * log EHVI of a point with marginals N(mu1, sd1²), N(mu2, sd2²) given precomputed stripes. Each
 * stripe's left edge is the previous stripe's right edge, so ψ1 is evaluated once per edge.
 */
export function logEHVI2d(s: Stripes, mu1: number, sd1: number, mu2: number, sd2: number): number {
  const s1 = Math.max(sd1, 1e-12);
  const s2 = Math.max(sd2, 1e-12);
  let max = -Infinity;
  const terms: number[] = [];
  let la = s.a[0] === -Infinity ? -Infinity : logPsi(s.a[0]!, mu1, s1);
  for (let i = 0; i < s.a.length; i++) {
    const lb = logPsi(s.b[i]!, mu1, s1);
    if (i > 0 && s.a[i] !== s.b[i - 1]) la = logPsi(s.a[i]!, mu1, s1);
    const prev = la;
    la = lb;
    if (!(s.b[i]! > s.a[i]!)) continue;
    const diff = prev === -Infinity ? lb : lb + log1mexp(Math.min(prev - lb, -1e-300));
    const t = diff + logPsi(s.c[i]!, mu2, s2);
    if (Number.isNaN(t)) continue;
    terms.push(t);
    if (t > max) max = t;
  }
  if (max === -Infinity) return -1e10;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}

/** Score over the first two models' marginals. */
export function logEHVIScore(front: readonly (readonly number[])[], ref: readonly number[]): MarginalScore {
  const s = stripes2d(front, ref);
  return (mu, sd) => logEHVI2d(s, mu[0]!, sd[0]!, mu[1]!, sd[1]!);
}
