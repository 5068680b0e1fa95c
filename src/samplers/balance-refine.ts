/**
 * Balance refinement: a Sampler wrapper that spends part of the proposals sharpening S*.
 *
 * Rule (documented in docs/engine.md):
 * - Active only when the space has a `balance` block and the frontier is roughly known: at least
 *   max(8, 2·d) complete trials (d = number of parameters) and a balance result exists.
 * - Then every proposal whose trial number n is odd is a refinement; the others go to the inner
 *   sampler, so half of the remaining budget keeps exploring. (Every third trial was measured too
 *   and gave larger S* errors on two of the three synthetic problems: docs/engine.md.)
 * - Refinement j = ⌊n / 2⌋ starts from a point in the unit cube (src/space encode/decode):
 *   - j odd: a walk along the envelope: a log2 size t drawn uniformly in S*'s 90% interval, and
 *     the cube point interpolated linearly between the two envelope trials whose sizes bracket t;
 *   - j even: an envelope trial inside S*'s interval, highest E first, taken in turn (the
 *     recommended trial when none is inside).
 *   Each coordinate then moves by N(0, r²) and is clipped to [0, 1]; categorical and ordinal
 *   parameters move between bins the same way.
 * - The radius shrinks as trials accumulate: r = max(0.01, 0.1 / √(1 + m)),
 *   m = ⌊(complete − threshold) / 2⌋.
 * - A proposal that repeats a finished, running or already-proposed configuration is redrawn (up
 *   to 8 times), then the slot goes to the inner sampler.
 * Deterministic: the draws come from Rng(deriveSeed(seed, STREAM, n)) and the balance fit is a
 * function of the history (src/balance SharedBalance, shared with the live report so that a
 * history is fitted once), so the same seed and history give the same proposals.
 */
import { SharedBalance, type BalanceResult } from '../balance/index.js';
import { deriveSeed, Rng } from '../math/index.js';
import { decode, encode, paramsKey, type Params, type Space } from '../space/index.js';
import type { Sampler, SamplerHistory } from '../study/index.js';

export const REFINE_EVERY = 2;
const STREAM = 0xba1a;
const R0 = 0.1;
const R_MIN = 0.01;
const RETRIES = 8;

/** Complete trials needed before refinement starts: max(8, 2·d). */
export function refinementThreshold(space: Space): number {
  return Math.max(8, 2 * Object.keys(space.params).length);
}

/** Whether trial number `n` is a refinement slot (once the rule is active). */
export const isRefinementSlot = (n: number): boolean => n % REFINE_EVERY === REFINE_EVERY - 1;

/** Radius after `complete` complete trials. */
export function refinementRadius(space: Space, complete: number): number {
  const m = Math.max(0, Math.floor((complete - refinementThreshold(space)) / REFINE_EVERY));
  return Math.max(R_MIN, R0 / Math.sqrt(1 + m));
}

/**
 * The frontier trials to perturb: those inside S*'s 90% interval, highest efficiency first (a
 * perturbation of a good configuration is more often a good one); the recommended trial when
 * none is inside.
 */
export function refinementCentres(result: BalanceResult): Params[] {
  const { lo, hi } = result.log2SStar;
  const inside = result.points
    .filter((p) => p.onEnvelope && p.log2Size >= lo && p.log2Size <= hi)
    .sort((a, b) => b.e - a.e || a.trial - b.trial);
  if (inside.length > 0) return inside.map((p) => p.params);
  return result.recommended ? [result.recommended.params] : [];
}

/** Envelope points by log2 size ascending. */
function frontierByLog2Size(result: BalanceResult): { log2Size: number; params: Params }[] {
  return result.points.filter((p) => p.onEnvelope).sort((a, b) => a.log2Size - b.log2Size || a.trial - b.trial);
}

/**
 * The unit-cube point on the polyline through the frontier configurations (ordered by size) at
 * log2 size `target`: linear between the two frontier trials that bracket it, the end trial
 * outside their range.
 */
export function interpolateFrontier(space: Space, frontier: readonly { log2Size: number; params: Params }[], target: number): number[] {
  let k = 0;
  while (k + 1 < frontier.length && frontier[k + 1]!.log2Size < target) k++;
  const a = frontier[k]!;
  const b = frontier[Math.min(k + 1, frontier.length - 1)]!;
  const ua = encode(space, a.params);
  const ub = encode(space, b.params);
  const span = b.log2Size - a.log2Size;
  const t = span > 0 ? Math.min(1, Math.max(0, (target - a.log2Size) / span)) : 0;
  return ua.map((u, i) => u + t * (ub[i]! - u));
}

/** `balance`: the run's shared fit (one per history; the live report reads the same one). */
export function withBalanceRefinement(inner: Sampler, space: Space, seed: number, balance: SharedBalance = new SharedBalance(space)): Sampler {
  if (!space.balance) return inner;
  return {
    name: `${inner.name}+balance`,
    async propose(k: number, history: SamplerHistory): Promise<Params[]> {
      const complete = history.finished.filter((t) => t.state === 'complete').length;
      const slots = Array.from({ length: k }, (_, i) => history.nextNumber + i);
      let result: BalanceResult | null = null;
      if (complete >= refinementThreshold(space) && slots.some(isRefinementSlot)) {
        result = balance.explain(history.finished).result;
      }
      const centres = result ? refinementCentres(result) : [];
      const seen = new Set([...history.finished, ...history.running].map((t) => paramsKey(space, t.params)));
      const refined = new Map<number, Params>();
      if (result && centres.length > 0) {
        const radius = refinementRadius(space, complete);
        const frontier = frontierByLog2Size(result);
        for (const n of slots) {
          if (!isRefinementSlot(n)) continue;
          const rng = new Rng(deriveSeed(seed, STREAM, n));
          const j = Math.floor(n / REFINE_EVERY);
          // Odd refinements walk along the envelope to a size drawn inside S*'s interval; even
          // ones perturb an envelope trial inside it.
          const base =
            j % 2 === 1
              ? interpolateFrontier(space, frontier, result.log2SStar.lo + rng.uniform() * (result.log2SStar.hi - result.log2SStar.lo))
              : encode(space, centres[Math.floor(j / 2) % centres.length]!);
          for (let attempt = 0; attempt < RETRIES; attempt++) {
            const params = decode(space, base.map((u) => Math.min(1, Math.max(0, u + radius * rng.normal()))));
            const key = paramsKey(space, params);
            if (!seen.has(key)) {
              seen.add(key);
              refined.set(n, params);
              break;
            }
          }
        }
      }
      const fromInner = k - refined.size > 0 ? await inner.propose(k - refined.size, history) : [];
      let j = 0;
      return slots.map((n) => refined.get(n) ?? fromInner[j++]!);
    },
  };
}
