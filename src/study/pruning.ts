/**
 * The loop's side of early stopping, kept apart so the loop needs one hook per trial: the
 * intermediate values of running trials as they arrive (storage has them too, but the loop's
 * snapshots of running trials do not), the pruner asked after each report, the trial's signal
 * aborted with a reason that says "pruned", and the aborted outcome turned into a `pruned` result
 * with the trial's intermediate values and the last reported value of each metric.
 */
import type { TrialOutcome } from './executor.js';
import { PRUNED_REASON_PREFIX, type Pruner } from './pruner.js';
import type { TrialResult } from './storage.js';
import type { IntermediateValue, Metrics, Trial } from './trial.js';

export interface TrialWatch {
  /** The signal to run the trial under: the study's abort, or this trial's pruning. */
  readonly signal: AbortSignal | undefined;
  /** Record a report and ask the pruner; aborts `signal` when it says stop. */
  report(step: number, metrics: Metrics): void;
  /** The result to store when the trial was pruned and did not finish anyway; null otherwise. */
  prunedResult(outcome: TrialOutcome): TrialResult | null;
  /** The trial is over: forget its live values. */
  close(): void;
}

export class StudyPruning {
  readonly #pruner: Pruner | undefined;
  readonly #history: () => readonly Trial[];
  /** Live intermediate values of the running trials, by number, in step order. */
  readonly #live = new Map<number, IntermediateValue[]>();

  /** `history`: the loop's current trials (finished ones with their stored intermediate values). */
  constructor(pruner: Pruner | undefined, history: () => readonly Trial[]) {
    this.#pruner = pruner && pruner.name !== 'none' ? pruner : undefined;
    this.#history = history;
  }

  watch(trial: Trial, outer?: AbortSignal): TrialWatch {
    const pruner = this.#pruner;
    if (!pruner) return { signal: outer, report: () => {}, prunedResult: () => null, close: () => {} };
    const live: IntermediateValue[] = [];
    this.#live.set(trial.number, live);
    const controller = new AbortController();
    let reason: string | null = null;
    return {
      signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal,
      report: (step, metrics) => {
        upsert(live, { step, metrics });
        if (reason !== null || outer?.aborted || step === 0) return;
        const others = this.#history()
          .filter((t) => t.number !== trial.number)
          .map((t) => {
            const values = this.#live.get(t.number);
            return values ? { ...t, intermediate: [...values] } : t;
          });
        reason = pruner.prune({ trial: { ...trial, intermediate: [...live] }, step, others });
        if (reason !== null) controller.abort(new Error(`${PRUNED_REASON_PREFIX}: ${reason}`));
      },
      prunedResult: (outcome) => {
        if (reason === null || outcome.ok) return null;
        for (const v of outcome.intermediate) if (!live.some((l) => l.step === v.step)) upsert(live, v);
        const metrics: Record<string, number> = {};
        for (const v of live) Object.assign(metrics, v.metrics);
        return { state: 'pruned', metrics, error: `${PRUNED_REASON_PREFIX}: ${reason}` };
      },
      close: () => this.#live.delete(trial.number),
    };
  }
}

/** Insert in step order; a repeated step replaces the earlier value, as storage does. */
function upsert(values: IntermediateValue[], value: IntermediateValue): void {
  const i = values.findIndex((v) => v.step >= value.step);
  if (i < 0) values.push(value);
  else if (values[i]!.step === value.step) values[i] = value;
  else values.splice(i, 0, value);
}
