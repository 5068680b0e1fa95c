/**
 * The Pruner contract (after Optuna's BasePruner): one method, asked after every intermediate
 * report. It lives with the loop, as the Sampler and executor contracts do, so that the loop
 * depends on nothing below it; the pruners themselves are in src/pruners.
 *
 * The study loop calls `prune(request)` on the main thread each time a running trial reports; it
 * never calls it twice at once. A pruner reads only the request (no clock, no randomness of its
 * own), so the same request gives the same answer: with one worker and a fixed seed a pruned
 * study is reproducible. To stop a trial the loop aborts its `ctx.signal` with a reason that
 * starts with "pruned", and stores it `pruned` with its intermediate values and its last
 * reported metrics.
 *
 * Step 0 holds what is known before any training (the size of a configuration, say): such a
 * metric takes part in every later judgement, but no trial is judged at step 0, so an objective
 * may report it before slow set-up work (the compression trial's shared teacher) without being
 * stopped in the middle of it.
 */
import type { PrunerConfig, Space } from '../space/index.js';
import type { Trial } from './trial.js';

export interface PruneRequest {
  /** The trial that just reported, with every value it has reported so far (step order). */
  readonly trial: Trial;
  /** The step it just reported. */
  readonly step: number;
  /**
   * Every other trial of the study, finished or running, with its intermediate values as known
   * now (running trials' live reports included), in trial-number order.
   */
  readonly others: readonly Trial[];
}

export interface Pruner {
  readonly name: string;
  /**
   * null: let the trial run on; otherwise why it should stop (one line, e.g. "rank 4 of 6 at step
   * 3"). Not called for reports at step 0.
   */
  prune(request: PruneRequest): string | null;
}

export interface PrunerOptions {
  readonly space: Space;
  readonly config: PrunerConfig;
}

export type PrunerFactory = (options: PrunerOptions) => Pruner;

/** Every reason the loop aborts a trial with for pruning starts with this word. */
export const PRUNED_REASON_PREFIX = 'pruned';

/** Whether an abort reason (ctx.signal.reason) is a pruner's stop rather than a timeout or a study stop. */
export function isPrunedReason(reason: unknown): boolean {
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : '';
  return text.startsWith(`${PRUNED_REASON_PREFIX}:`);
}
