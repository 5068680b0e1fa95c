/**
 * The study loop: keep `executor.slots` trials in flight, tell results as they arrive, ask the
 * sampler for the next ones. Everything that touches storage happens here, on the main thread.
 *
 * Budget: `trials` counts every trial of the study, earlier runs included, so a resumed study
 * continues up to the same budget. Stopping: `stop` (first Ctrl-C, study timeout) launches nothing
 * more and waits for running trials; `abort` (second Ctrl-C) also stops the running ones.
 */
import { join } from 'node:path';
import { oneLine } from '../errors.js';
import { deriveSeed } from '../math/index.js';
import type { Space } from '../space/index.js';
import type { TrialExecutor } from './executor.js';
import { checkOutput } from './outcome.js';
import type { Pruner } from './pruner.js';
import { StudyPruning } from './pruning.js';
import type { Sampler } from './sampler.js';
import type { Storage, StudyRecord, TrialResult } from './storage.js';
import { isFinished, type IntermediateValue, type Trial } from './trial.js';

export interface RunStudyOptions {
  readonly storage: Storage;
  readonly study: StudyRecord;
  readonly space: Space;
  readonly sampler: Sampler;
  /** Asked after every intermediate report whether to stop the trial (default: never). */
  readonly pruner?: Pruner;
  readonly executor: TrialExecutor;
  /** Total trials for the study, earlier ones included. */
  readonly trials: number;
  readonly timeoutMs?: number;
  readonly trialTimeoutMs?: number;
  /** Folder for the study's artifacts (runs/<study>); trial i works in `<dir>/trials/<i>`. */
  readonly studyDir: string;
  readonly stop?: AbortSignal;
  readonly abort?: AbortSignal;
  /**
   * Called as things happen and never awaited by the loop: a `finished` handler that does slow
   * work (the live report) must not hold a freed worker back. Promises it returns are awaited
   * before runStudy returns; a rejection becomes a `warning` event.
   */
  readonly onEvent?: (event: LoopEvent) => void | Promise<void>;
}

export interface LoopProgress {
  readonly done: number;
  readonly total: number;
  readonly running: number;
  readonly failed: number;
  readonly pruned: number;
  readonly elapsedMs: number;
  /** Estimated time to finish the budget, null until a trial of this run has finished. */
  readonly etaMs: number | null;
}

export type LoopEvent =
  | { readonly type: 'started'; readonly trial: Trial; readonly progress: LoopProgress }
  | { readonly type: 'finished'; readonly trial: Trial; readonly progress: LoopProgress; readonly history: readonly Trial[] }
  | { readonly type: 'interrupted'; readonly trials: readonly Trial[] }
  | { readonly type: 'warning'; readonly message: string };

export interface RunStudySummary {
  /** Every trial of the study, in number order. */
  readonly trials: readonly Trial[];
  readonly launched: number;
  readonly elapsedMs: number;
  /** Busy slot-time over available slot-time during this run (0..1). */
  readonly utilization: number;
  readonly stoppedBy: 'budget' | 'timeout' | 'stop' | 'abort';
}

export async function runStudy(o: RunStudyOptions): Promise<RunStudySummary> {
  const t0 = performance.now();
  const name = o.study.name;
  const byNumber = new Map<number, Trial>();
  const handlers = new Set<Promise<void>>();
  const emit = (event: LoopEvent): void => {
    const handled = o.onEvent?.(event);
    if (!handled) return;
    const tracked: Promise<void> = handled
      .catch((err: unknown) => {
        if (event.type !== 'warning') o.onEvent?.({ type: 'warning', message: `${event.type} event handler failed: ${oneLine(err)}` });
      })
      .finally(() => handlers.delete(tracked));
    handlers.add(tracked);
  };
  for (const t of await o.storage.getTrials(name)) byNumber.set(t.number, t);

  // Trials left running by a process that died cannot finish any more.
  const stale = [...byNumber.values()].filter((t) => !isFinished(t.state));
  if (stale.length > 0) {
    const failed: Trial[] = [];
    for (const t of stale) {
      const done = await o.storage.finishTrial(name, t.number, { state: 'failed', metrics: null, error: 'interrupted: the process running it ended before it finished' });
      byNumber.set(done.number, done);
      failed.push(done);
    }
    emit({ type: 'interrupted', trials: failed });
  }

  const inFlight = new Map<number, Promise<void>>();
  const freeSlots = Array.from({ length: o.executor.slots }, (_, i) => o.executor.slots - 1 - i);
  let launched = 0;
  let finishedThisRun = 0;
  let busyMs = 0;
  let stoppedBy: RunStudySummary['stoppedBy'] = 'budget';
  const deadline = o.timeoutMs === undefined ? Infinity : t0 + o.timeoutMs;

  const progress = (): LoopProgress => {
    let done = 0;
    let failed = 0;
    let pruned = 0;
    for (const t of byNumber.values()) {
      if (isFinished(t.state)) done++;
      if (t.state === 'failed') failed++;
      if (t.state === 'pruned') pruned++;
    }
    const elapsedMs = performance.now() - t0;
    const left = Math.max(0, o.trials - done);
    const etaMs = finishedThisRun > 0 ? (elapsedMs / finishedThisRun) * left : null;
    return { done, total: o.trials, running: inFlight.size, failed, pruned, elapsedMs, etaMs };
  };
  const sorted = (): Trial[] => [...byNumber.values()].sort((a, b) => a.number - b.number);
  const pruning = new StudyPruning(o.pruner, sorted);

  const launch = async (trial: Trial, slot: number): Promise<void> => {
    const started = performance.now();
    const store = (value: IntermediateValue): Promise<unknown> =>
      o.storage.reportIntermediate(name, trial.number, value).catch((err: unknown) => {
        emit({ type: 'warning', message: `trial ${trial.number}: intermediate value at step ${value.step} not stored: ${oneLine(err)}` });
      });
    const liveSteps = new Set<number>();
    const watch = pruning.watch(trial, o.abort);
    const outcome = await o.executor.run(
      {
        study: name,
        trial: trial.number,
        seed: deriveSeed(o.study.seed, trial.number),
        params: trial.params,
        objective: o.space.objective,
        workdir: join(o.studyDir, 'trials', String(trial.number)),
        studyDir: o.studyDir,
      },
      {
        onReport: (step, metrics) => {
          liveSteps.add(step);
          void store({ step, metrics });
          watch.report(step, metrics);
        },
        ...(o.trialTimeoutMs === undefined ? {} : { timeoutMs: o.trialTimeoutMs }),
        ...(watch.signal ? { signal: watch.signal } : {}),
      },
    );
    busyMs += performance.now() - started;
    // Live reports may lose the race with the outcome, which repeats them all: store the ones
    // that did not arrive live (before the trial is finished, after which storage ignores them).
    for (const value of outcome.intermediate) if (!liveSteps.has(value.step)) await store(value);
    watch.close();
    let result: TrialResult;
    const pruned = watch.prunedResult(outcome);
    if (pruned) {
      result = pruned;
    } else if (outcome.ok) {
      const checked = checkOutput(o.space, outcome.output);
      result = checked.ok
        ? { state: 'complete', metrics: checked.metrics, attrs: checked.attrs }
        : { state: 'failed', metrics: null, error: checked.error };
    } else {
      result = { state: 'failed', metrics: null, error: outcome.error };
    }
    const done = await o.storage.finishTrial(name, trial.number, result);
    byNumber.set(done.number, done);
    finishedThisRun++;
    freeSlots.push(slot);
    inFlight.delete(trial.number);
    emit({ type: 'finished', trial: done, progress: progress(), history: sorted() });
  };

  for (;;) {
    if (o.abort?.aborted) stoppedBy = 'abort';
    else if (o.stop?.aborted) stoppedBy = 'stop';
    else if (performance.now() >= deadline) stoppedBy = 'timeout';
    const stopping = stoppedBy !== 'budget';
    const remaining = o.trials - byNumber.size;
    const free = o.executor.slots - inFlight.size;
    if (!stopping && remaining > 0 && free > 0) {
      const all = sorted();
      const proposals = await o.sampler.propose(Math.min(free, remaining), {
        finished: all.filter((t) => isFinished(t.state)),
        running: all.filter((t) => !isFinished(t.state)),
        nextNumber: all.length === 0 ? 0 : all[all.length - 1]!.number + 1,
      });
      for (const params of proposals) {
        const slot = freeSlots.pop()!;
        const trial = await o.storage.startTrial(name, params, slot);
        byNumber.set(trial.number, trial);
        launched++;
        inFlight.set(trial.number, launch(trial, slot));
        emit({ type: 'started', trial, progress: progress() });
      }
      if (proposals.length > 0) continue;
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
  }
  while (handlers.size > 0) await Promise.all(handlers);

  const elapsedMs = performance.now() - t0;
  return {
    trials: sorted(),
    launched,
    elapsedMs,
    utilization: elapsedMs > 0 ? Math.min(1, busyMs / (elapsedMs * o.executor.slots)) : 0,
    stoppedBy,
  };
}
