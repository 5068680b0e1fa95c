/**
 * Repeats of the recommended configuration (`balance.repeats` in the space file).
 *
 * Why: one trial's E is one draw of a noisy objective (one training seed, a finite test set). Late
 * in the budget the recommended configuration is run again with new seeds (a new trial number is
 * a new objective seed), so the report can say E as mean ± sd, and the E model (joint.ts) sees one
 * configuration observed several times, which is what tells noise from shape.
 *
 * A repeat is a trial whose parameters equal those of an earlier trial: trial N's repeats are the
 * later trials with N's parameters. Nothing else marks them, so a configuration a user enqueues
 * twice counts the same way, and the relation survives every storage backend unchanged.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { paramsKey, type Params, type Space } from '../space/index.js';
import { countsTowardBudget, type Trial } from '../study/index.js';
import { balancePoints } from './points.js';
import type { BalanceResult, Replicated } from './types.js';

/** `balance.repeats` of the space (0 without a balance block). */
export function repeatsWanted(space: Space): number {
  return space.balance?.repeats ?? 0;
}

/**
 * The configurations run more than once among the usable (complete, feasible) trials, each
 * with E and every declared metric as mean ± sample sd, first trial first.
 */
export function replicatedConfigurations(space: Space, trials: readonly Trial[]): Replicated[] {
  const { points } = balancePoints(space, trials);
  const groups = new Map<string, typeof points>();
  for (const p of points) {
    const key = paramsKey(space, p.trial.params);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: Replicated[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const stat = (xs: number[]) => ({ mean: mean(xs), sd: sampleStandardDeviation(xs) });
    const metrics: Record<string, { mean: number; sd: number }> = {};
    for (const name of Object.keys(space.metrics)) {
      const xs = g.map((p) => p.trial.metrics![name]).filter((v): v is number => typeof v === 'number');
      if (xs.length === g.length) metrics[name] = stat(xs);
    }
    out.push({ trial: g[0]!.trial.number, trials: g.map((p) => p.trial.number), params: g[0]!.trial.params, e: stat(g.map((p) => p.e)), metrics });
  }
  return out;
}

/**
 * What to enqueue now, given the trials so far (every state) and the trial budget: copies of the
 * recommended trial's parameters once the trials counted in the budget reach budget − repeats,
 * as many as the budget still holds, at most `balance.repeats`; nothing when the study already
 * holds a repeat of any configuration (repeats are planned once) or there is no recommendation.
 * `balance` computes the fit; it is called only when repeats are due.
 */
export function plannedRepeats(space: Space, trials: readonly Trial[], budget: number, balance: () => BalanceResult | null): { of: number; params: Params[] } | null {
  const wanted = repeatsWanted(space);
  if (wanted <= 0) return null;
  const counted = trials.filter(countsTowardBudget).length;
  if (counted < budget - wanted || counted >= budget) return null;
  const keys = new Set<string>();
  for (const t of trials) {
    const key = paramsKey(space, t.params);
    if (keys.has(key)) return null;
    keys.add(key);
  }
  // Only now the fit (shared with the sampler and the report, so usually already made).
  const rec = balance()?.recommended;
  if (!rec) return null;
  return { of: rec.trial, params: Array.from({ length: Math.min(wanted, budget - counted) }, () => rec.params) };
}
