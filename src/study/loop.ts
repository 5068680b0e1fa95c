/**
 * The study loop: keep `executor.slots` trials in flight, tell results as they arrive, ask the
 * sampler for the next ones. Everything that touches storage happens here, on the main thread.
 *
 * Several processes may run one study at once (a resume beside a live run, two runners, ask/tell):
 * each holds its trials under a lease it renews by heartbeat, takes waiting trials (queued or
 * recovered from a process that died) before asking the sampler, and starts new trials through
 * storage's conditional start, which keeps the budget joint and parameter sets unique.
 *
 * Budget: `trials` counts the study's trials that completed, were pruned or failed by their
 * objective's fault (plus those running or waiting), earlier runs and other processes included;
 * a trial cut short by a crash or a stop is re-run (at most `retries` times), not counted twice.
 * Stopping: `stop` (first signal, study timeout) launches nothing more and waits for running
 * trials; `abort` (second signal) also stops them, and they go back to `waiting`.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LeaseLostError, oneLine } from '../errors.js';
import { deriveSeed } from '../math/index.js';
import type { Space } from '../space/index.js';
import type { StudyArtifacts, TrialExecutor } from './executor.js';
import { checkOutput } from './outcome.js';
import type { Pruner } from './pruner.js';
import { StudyPruning } from './pruning.js';
import type { Sampler } from './sampler.js';
import type { Lease, Storage, StudyRecord, TrialResult } from './storage.js';
import { countsTowardBudget, isFinished, type IntermediateValue, type Trial } from './trial.js';

/** How long a trial's lease lasts without a heartbeat, unless the space's budget says otherwise. */
export const DEFAULT_LEASE_MS = 60_000;
/** Re-runs of a trial cut short by the orchestrator (budget.retries). */
export const DEFAULT_RETRIES = 2;
/** Consecutive proposals refused as duplicates before one is allowed (a small discrete space may have no other). */
const MAX_DUPLICATE_PROPOSALS = 3;

/** Owner names of trials handed out by `sweetspot ask` start with this. */
export const ASKED_OWNER_PREFIX = 'ask:';

/** A name for this process's leases: host, pid and a random part (pids are reused). */
export function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

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
  /** This process's lease owner name (default: a new one). */
  readonly owner?: string;
  /** Lease length without a heartbeat; the heartbeat renews it every leaseMs / 4 (at most 5 s). */
  readonly leaseMs?: number;
  /** Re-runs allowed for a trial cut short by the orchestrator (crash, stop). */
  readonly retries?: number;
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
  /** Trials whose runner stopped renewing its lease: requeued with the same params, or failed after their last attempt. */
  | { readonly type: 'recovered'; readonly requeued: readonly Trial[]; readonly failed: readonly Trial[] }
  | { readonly type: 'warning'; readonly message: string };

export interface RunStudySummary {
  /** Every trial of the study, in number order. */
  readonly trials: readonly Trial[];
  /** Trials this run started, re-runs of waiting trials included. */
  readonly launched: number;
  readonly elapsedMs: number;
  /** Busy slot-time over available slot-time during this run (0..1). */
  readonly utilization: number;
  readonly stoppedBy: 'budget' | 'timeout' | 'stop' | 'abort';
}

export async function runStudy(options: RunStudyOptions): Promise<RunStudySummary> {
  const { storage, study, space, sampler, executor } = options;
  const t0 = performance.now();
  const name = study.name;
  const owner = options.owner ?? newOwner();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const beatMs = Math.max(20, Math.min(5000, leaseMs / 4));
  const maxAttempts = 1 + (options.retries ?? DEFAULT_RETRIES);
  const handlers = new Set<Promise<void>>();
  const emit = (event: LoopEvent): void => {
    const handled = options.onEvent?.(event);
    if (!handled) return;
    const tracked: Promise<void> = handled
      .catch((err: unknown) => {
        if (event.type !== 'warning') emit({ type: 'warning', message: `${event.type} event handler failed: ${oneLine(err)}` });
      })
      .finally(() => handlers.delete(tracked));
    handlers.add(tracked);
  };
  const warn = (message: string): void => emit({ type: 'warning', message });

  let byNumber = new Map<number, Trial>();
  let seenVersion: number | null = null;
  /**
   * Every trial of the study as storage has it now: other processes add and finish trials too.
   * Re-read only when another connection wrote since the last look (this one's own writes are
   * already in `byNumber`): a full read per proposal would cost O(trials) each time.
   */
  const refresh = async (): Promise<void> => {
    const version = await storage.externalVersion();
    if (version === seenVersion) return;
    seenVersion = version;
    byNumber = new Map((await storage.getTrials(name)).map((t) => [t.number, t]));
  };
  let lastRecovery = -Infinity;
  const recover = async (): Promise<void> => {
    if (performance.now() - lastRecovery < beatMs) return;
    lastRecovery = performance.now();
    const { requeued, failed } = await storage.recoverExpired(name, maxAttempts);
    for (const t of [...requeued, ...failed]) byNumber.set(t.number, t);
    if (requeued.length + failed.length > 0) emit({ type: 'recovered', requeued, failed });
  };
  await recover();
  await refresh();

  const heartbeat = setInterval(() => {
    storage.heartbeat(name, owner, leaseMs).catch((err: unknown) => warn(`heartbeat not stored: ${oneLine(err)}`));
  }, beatMs);
  heartbeat.unref();

  const inFlight = new Map<number, Promise<void>>();
  const freeSlots = Array.from({ length: executor.slots }, (_, i) => executor.slots - 1 - i);
  let launched = 0;
  let finishedThisRun = 0;
  let busyMs = 0;
  let stoppedBy: RunStudySummary['stoppedBy'] = 'budget';
  const deadline = options.timeoutMs === undefined ? Infinity : t0 + options.timeoutMs;

  const progress = (): LoopProgress => {
    let done = 0;
    let failed = 0;
    let running = 0;
    let pruned = 0;
    for (const t of byNumber.values()) {
      if (isFinished(t.state) && countsTowardBudget(t)) done++;
      if (t.state === 'failed') failed++;
      if (t.state === 'pruned') pruned++;
      if (t.state === 'running') running++;
    }
    const elapsedMs = performance.now() - t0;
    const left = Math.max(0, options.trials - done);
    const etaMs = finishedThisRun > 0 ? (elapsedMs / finishedThisRun) * left : null;
    return { done, total: options.trials, running, failed, pruned, elapsedMs, etaMs };
  };
  const sorted = (): Trial[] => [...byNumber.values()].sort((a, b) => a.number - b.number);
  const pruning = new StudyPruning(options.pruner, sorted);

  /** Stores the outcome; a trial cut short by our own abort goes back to the queue instead. */
  const settle = async (trial: Trial, result: TrialResult | 'release'): Promise<void> => {
    try {
      if (result === 'release') {
        const { requeued, failed } = await storage.releaseTrial(name, trial.number, owner, maxAttempts);
        for (const t of [...requeued, ...failed]) byNumber.set(t.number, t);
      } else {
        const done = await storage.finishTrial(name, trial.number, result, owner);
        byNumber.set(done.number, done);
      }
    } catch (err) {
      if (!(err instanceof LeaseLostError)) throw err;
      warn(`trial ${trial.number}: result dropped: ${oneLine(err)}`);
    }
  };

  const launch = async (trial: Trial, slot: number): Promise<void> => {
    const started = performance.now();
    const store = (value: IntermediateValue): Promise<unknown> =>
      storage.reportIntermediate(name, trial.number, value, owner).catch((err: unknown) => {
        warn(`trial ${trial.number}: intermediate value at step ${value.step} not stored: ${oneLine(err)}`);
      });
    const liveSteps = new Set<number>();
    const watch = pruning.watch(trial, options.abort);
    const outcome = await executor.run(
      {
        study: name,
        trial: trial.number,
        seed: deriveSeed(study.seed, trial.number),
        params: trial.params,
        objective: space.objective,
        workdir: join(options.studyDir, 'trials', String(trial.number)),
        studyDir: options.studyDir,
      },
      {
        onReport: (step, metrics) => {
          liveSteps.add(step);
          void store({ step, metrics });
          watch.report(step, metrics);
        },
        artifacts: studyArtifacts(storage, name, `${owner}/trial-${trial.number}`),
        ...(options.trialTimeoutMs === undefined ? {} : { timeoutMs: options.trialTimeoutMs }),
        ...(watch.signal ? { signal: watch.signal } : {}),
      },
    );
    busyMs += performance.now() - started;
    for (const message of outcome.warnings ?? []) warn(message);
    // Live reports may lose the race with the outcome, which repeats them all: store the ones
    // that did not arrive live (before the trial is finished, after which storage ignores them).
    for (const value of outcome.intermediate) if (!liveSteps.has(value.step)) await store(value);
    watch.close();
    let result: TrialResult | 'release';
    const pruned = watch.prunedResult(outcome);
    if (pruned) {
      result = pruned;
    } else if (outcome.ok) {
      const checked = checkOutput(space, outcome.output);
      result = checked.ok
        ? { state: 'complete', metrics: checked.metrics, attrs: checked.attrs }
        : { state: 'failed', metrics: null, error: checked.error };
    } else if (outcome.aborted && options.abort?.aborted) {
      result = 'release';
    } else {
      result = { state: 'failed', metrics: null, error: outcome.error };
    }
    try {
      await settle(trial, result);
    } finally {
      finishedThisRun++;
      freeSlots.push(slot);
      inFlight.delete(trial.number);
    }
    const done = byNumber.get(trial.number) ?? trial;
    if (isFinished(done.state)) emit({ type: 'finished', trial: done, progress: progress(), history: sorted() });
  };

  const begin = (trial: Trial, slot: number): void => {
    byNumber.set(trial.number, trial);
    launched++;
    inFlight.set(trial.number, launch(trial, slot));
    emit({ type: 'started', trial, progress: progress() });
  };

  let duplicates = 0;
  try {
    for (;;) {
      if (options.abort?.aborted) stoppedBy = 'abort';
      else if (options.stop?.aborted) stoppedBy = 'stop';
      else if (performance.now() >= deadline) stoppedBy = 'timeout';
      const stopping = stoppedBy !== 'budget';
      if (!stopping && freeSlots.length > 0) {
        await recover();
        await refresh();
        // Queued and recovered trials first, whatever the budget says: they are counted in it already.
        while (freeSlots.length > 0 && [...byNumber.values()].some((t) => t.state === 'waiting')) {
          const slot = freeSlots.pop()!;
          const lease: Lease = { owner, worker: slot, leaseMs };
          const claimed = await storage.claimWaiting(name, lease);
          if (!claimed) {
            // Another process took it: look again.
            freeSlots.push(slot);
            seenVersion = null;
            await refresh();
            continue;
          }
          begin(claimed, slot);
        }
        const remaining = options.trials - [...byNumber.values()].filter(countsTowardBudget).length;
        if (freeSlots.length > 0 && remaining > 0) {
          const all = sorted();
          const proposals = await sampler.propose(Math.min(freeSlots.length, remaining), {
            finished: all.filter((t) => isFinished(t.state)),
            running: all.filter((t) => !isFinished(t.state)),
            nextNumber: all.length === 0 ? 0 : all[all.length - 1]!.number + 1,
          });
          let refused = false;
          for (const params of proposals) {
            const slot = freeSlots.pop()!;
            const started = await storage.tryStartTrial(name, params, { owner, worker: slot, leaseMs }, { budget: options.trials, unique: duplicates < MAX_DUPLICATE_PROPOSALS });
            if ('refused' in started) {
              // Another process took the place or the configuration first: ask again with what it did.
              freeSlots.push(slot);
              seenVersion = null;
              // Only a sampler that proposed a configuration it had seen counts toward giving in: a
              // configuration another process started since the last look is a lost race, and the
              // next proposal, made with that trial in the history, will differ.
              if (started.refused === 'duplicate' && alreadyTried(all, params)) duplicates++;
              refused = true;
              break;
            }
            duplicates = 0;
            begin(started, slot);
          }
          // Refused: ask again with what the other process did. Fewer proposals than places: ask for the rest.
          if (refused || (proposals.length > 0 && freeSlots.length > 0 && remaining > proposals.length)) continue;
        }
      }
      if (inFlight.size === 0) {
        if (stopping) break;
        seenVersion = null;
        await refresh();
        // Trials other runners hold (running, or waiting for anyone): wait for them to finish, or
        // for their leases to expire so that this process re-runs them. Trials handed out by
        // `ask` are the asker's to tell, possibly hours later: not waited for.
        const pending = [...byNumber.values()].some((t) => t.state === 'waiting' || (t.state === 'running' && !t.owner?.startsWith(ASKED_OWNER_PREFIX)));
        if (!pending) break;
        await sleep(beatMs, options.stop, options.abort);
        continue;
      }
      // A trial that ends first leaves the nap pending: end it too, or every pass of a sweep of
      // fast trials leaves a timer and two abort listeners behind for up to a heartbeat.
      const napOver = new AbortController();
      try {
        await Promise.race([...inFlight.values(), ...(freeSlots.length > 0 ? [sleep(beatMs, options.stop, options.abort, napOver.signal)] : [])]);
      } finally {
        napOver.abort();
      }
    }
    await Promise.all(inFlight.values());
  } finally {
    clearInterval(heartbeat);
  }
  while (handlers.size > 0) await Promise.all(handlers);
  seenVersion = null;
  await refresh();

  const elapsedMs = performance.now() - t0;
  return {
    trials: sorted(),
    launched,
    elapsedMs,
    utilization: elapsedMs > 0 ? Math.min(1, busyMs / (elapsedMs * executor.slots)) : 0,
    stoppedBy,
  };
}

/** Storage's artifact primitives bound to one study, with `owner` (the loop uses one per trial) holding the claims. */
export function studyArtifacts(storage: Storage, study: string, owner: string): StudyArtifacts {
  return {
    get: (key) => storage.getArtifact(study, key),
    claim: (key, leaseMs) => storage.claimArtifact(study, key, owner, leaseMs),
    put: (key, data) => storage.putArtifact(study, key, data),
    release: (key) => storage.releaseArtifact(study, key, owner),
  };
}

/** Whether some trial of `trials` has exactly `params` (storage compares the stored JSON the same way). */
function alreadyTried(trials: readonly Trial[], params: Readonly<Record<string, unknown>>): boolean {
  const text = JSON.stringify(params);
  return trials.some((t) => JSON.stringify(t.params) === text);
}

/** Resolves after `ms`, or as soon as one of the signals aborts. */
function sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      for (const s of signals) s?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of signals) s?.addEventListener('abort', done, { once: true });
  });
}
