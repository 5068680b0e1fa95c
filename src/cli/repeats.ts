/**
 * `balance.repeats` during `run` and `resume`: after each finished trial, enqueue the re-runs of
 * the recommended configuration once the budget is nearly spent (src/balance plannedRepeats says
 * when and what). The waiting queue runs them before any new proposal, each under a new trial
 * number and therefore a new objective seed, and they are counted in the budget.
 */
import { plannedRepeats, type SharedBalance } from '../balance/index.js';
import { plural } from '../format/index.js';
import type { Space } from '../space/index.js';
import type { Storage, StudyRecord, Trial } from '../study/index.js';

/** The study artifact that marks the repeats as planned: one process per study enqueues them. */
export const REPEATS_ARTIFACT = 'balance-repeats';

/** Returns the handler for each finished trial's history; `note` prints one line. */
export function repeatScheduler(storage: Storage, study: StudyRecord, space: Space, budget: number, balance: SharedBalance, note: (line: string) => void): (history: readonly Trial[]) => Promise<void> {
  return async (history) => {
    const plan = plannedRepeats(space, history, budget, () => balance.explain(history).result);
    if (!plan) return;
    // Several processes (`run` and `resume` on other machines) may see the same history at once:
    // the first to store the plan as a study artifact enqueues it, the others see `false` and
    // leave it. (A process killed between the two writes loses the repeats, never doubles them.)
    const planned = new TextEncoder().encode(JSON.stringify({ of: plan.of, count: plan.params.length }));
    if (!(await storage.putArtifact(study.name, REPEATS_ARTIFACT, planned))) return;
    // All issued before any await (SQLite writes them at once): the loop's next proposal then
    // finds the budget full, is refused, and the loop re-reads and runs the waiting repeats.
    await Promise.all(plan.params.map((params) => storage.enqueueTrial(study.name, params)));
    note(`re-running trial ${plan.of}'s configuration ${plural(plan.params.length, 'time')} with new seeds (balance.repeats)`);
  };
}
