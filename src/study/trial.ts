/**
 * A trial is a frozen snapshot: storage hands out snapshots, never live objects, and a finished
 * trial (complete, pruned or failed) never changes.
 */
import type { Params } from '../space/index.js';

/**
 * Every state a trial can be in, in the order they are listed to users (storage, report, CLI all
 * use this one list). `waiting`: queued with its parameters, not started. `pruned`: stopped early
 * by the study's pruner (src/pruners), with what it had reported.
 */
export const TRIAL_STATES = Object.freeze(['waiting', 'running', 'complete', 'pruned', 'failed'] as const);
export type TrialState = (typeof TRIAL_STATES)[number];
export const FINISHED_STATES: readonly TrialState[] = Object.freeze(['complete', 'pruned', 'failed'] as const);
export const isFinished = (state: TrialState): boolean => FINISHED_STATES.includes(state);

/**
 * The budget counts trials that completed, were pruned, or failed by their objective's fault, and
 * the ones running or waiting that will be; not those failed because every attempt was cut short
 * by the orchestrator (a process killed, a run stopped). Storage backends apply the same rule.
 */
export const countsTowardBudget = (trial: Trial): boolean => !trial.interrupted;

/** Metric name → value. Numbers only: objectives' string outputs go to `attrs`. */
export type Metrics = Readonly<Record<string, number>>;
/** Non-numeric facts an objective reports about a trial (the backend used, say). */
export type Attrs = Readonly<Record<string, string>>;

export interface IntermediateValue {
  readonly step: number;
  readonly metrics: Metrics;
}

export interface Trial {
  readonly study: string;
  /** 0-based, dense, in order of creation within the study. */
  readonly number: number;
  readonly state: TrialState;
  readonly params: Params;
  /**
   * Set when complete; when pruned, the last reported value of each metric (partial: only what it
   * reported); null otherwise.
   */
  readonly metrics: Metrics | null;
  readonly attrs: Attrs;
  readonly intermediate: readonly IntermediateValue[];
  /** Why a failed trial failed, or why a pruned one was stopped; null otherwise. */
  readonly error: string | null;
  /** Index of the worker thread that ran it (0-based), null while waiting. */
  readonly worker: number | null;
  /** Runs started so far: 0 while first waiting, 1 for the first run, more after recoveries. */
  readonly attempt: number;
  /** Failed because its last allowed attempt was interrupted (not the objective's fault). */
  readonly interrupted: boolean;
  /** The process holding its lease while running, null otherwise (or when unowned). */
  readonly owner: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export function durationMs(trial: Trial): number | null {
  if (!trial.startedAt) return null;
  const end = trial.finishedAt ? Date.parse(trial.finishedAt) : Date.now();
  return end - Date.parse(trial.startedAt);
}
