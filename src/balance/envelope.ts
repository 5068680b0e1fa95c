/**
 * Which trials the E(S) surrogate is fitted to, and the accuracy–size frontier for the knee.
 *
 * The surrogate uses the unimodal upper envelope of (log2 S, E) (`unimodalEnvelopeIndices`):
 * E(S) is meant as "the best efficiency achievable at size S", so a regression through every
 * trial would average good configurations with bad ones (a badly tuned knob, say) and put S*
 * where the sampler happened to spend its trials. Why this envelope rather than the accuracy–size
 * Pareto frontier: on the frontier a trial survives only if it beats every smaller trial in
 * accuracy. Where accuracy still rises fast (left of S*) nearly every trial survives, bad knobs
 * included; on the plateau (right of S*) only the best ones do. The frontier is therefore
 * depressed left of S* and S* comes out biased toward larger models (measured on the synthetic
 * problems: docs/engine.md). The envelope in E selects equally hard on both sides of the peak.
 *
 * The knee is still taken on the accuracy–size frontier (`frontierIndices`): size minimised
 * against every declared metric E reads besides S, with its declared direction; (S, E) when E
 * reads none.
 */
import { nonDominatedIndices, toMinimization, type ObjectiveSpec } from '../pareto/index.js';
import { expressionNames, parseExpression, type BalanceConfig, type Space } from '../space/index.js';
import type { RawPoint } from './points.js';

/** The declared metrics E reads besides S, with their directions (the frontier's quality axes). */
export function qualityMetrics(space: Space, config: BalanceConfig): ObjectiveSpec[] {
  return expressionNames(parseExpression(config.efficiency))
    .filter((n) => n !== config.size && Object.prototype.hasOwnProperty.call(space.metrics, n))
    .map((name) => ({ name, direction: space.metrics[name]! }));
}

/** Indices into `points` of the accuracy–size frontier, in the order of `points`. */
export function frontierIndices(space: Space, config: BalanceConfig, points: readonly RawPoint[]): number[] {
  const quality = qualityMetrics(space, config);
  const objectives: ObjectiveSpec[] = [{ name: '__size', direction: 'minimize' }, ...(quality.length ? quality : [{ name: '__e', direction: 'maximize' as const }])];
  const vectors = points.map((p) => {
    const values = [p.size, ...(quality.length ? quality.map((q) => p.trial.metrics![q.name]!) : [p.e])];
    return { values: toMinimization(objectives, values), violation: 0 };
  });
  return nonDominatedIndices(vectors);
}

/**
 * Indices into `points` of the unimodal upper envelope in (log2 S, E): a point is on it when it
 * has the highest E among the points of its size, and either no smaller point has a higher E (a
 * record from the left) or no larger point does (a record from the right). Equivalently, the
 * points touching the smallest unimodal curve that lies above every point.
 */
export function unimodalEnvelopeIndices(points: readonly RawPoint[]): number[] {
  const bestAtSize = new Map<number, number>();
  for (const p of points) bestAtSize.set(p.log2Size, Math.max(bestAtSize.get(p.log2Size) ?? -Infinity, p.e));
  const order = points
    .map((_, i) => i)
    .filter((i) => points[i]!.e >= bestAtSize.get(points[i]!.log2Size)!)
    .sort((a, b) => points[a]!.log2Size - points[b]!.log2Size || a - b);
  const keep = new Set<number>();
  const sweep = (idx: readonly number[]): void => {
    let best = -Infinity;
    let k = 0;
    while (k < idx.length) {
      // Points of one size compare with strictly smaller (or larger) sizes only.
      let end = k;
      while (end < idx.length && points[idx[end]!]!.log2Size === points[idx[k]!]!.log2Size) end++;
      for (let j = k; j < end; j++) if (points[idx[j]!]!.e > best) keep.add(idx[j]!);
      for (let j = k; j < end; j++) best = Math.max(best, points[idx[j]!]!.e);
      k = end;
    }
  };
  sweep(order);
  sweep([...order].reverse());
  return [...keep].sort((a, b) => a - b);
}
