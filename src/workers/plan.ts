/**
 * The thread policy: how many worker threads a study gets, from the budget and what its
 * objective needs from the pool. A pure function, so that `run`, `resume` and tests share it.
 */
import { plural } from '../format/index.js';
import type { PoolNeeds } from '../objectives/index.js';

export interface WorkerPlan {
  readonly workers: number;
  /** Set when the plan differs from what the budget asked for, saying why. */
  readonly note?: string;
}

/**
 * tfjs-node cannot live in a second worker thread of one process (tfjs issue 8388), so a native
 * backend gets one thread (TensorFlow then uses the cores inside it); other objectives get what
 * the budget asks for.
 */
export function planWorkers(budget: { readonly workers: number }, needs: PoolNeeds): WorkerPlan {
  const limit = needs.maxThreads;
  if (budget.workers <= limit) return { workers: budget.workers };
  const by = needs.limitedBy ?? 'the objective';
  return { workers: limit, note: `${by} supports ${plural(limit, 'worker thread')} per process: running ${limit} instead of ${budget.workers}` };
}
