/**
 * The executor contract: what the study loop needs from whatever runs its trials (the piscina
 * pool in src/workers, or a test's in-process fake). It lives with the loop so that the loop
 * depends on nothing below it; the pool implements it.
 */
import type { ObjectiveRef, Params } from '../space/index.js';

/** One trial to run: everything a worker needs, as plain data. */
export interface TrialSpec {
  readonly study: string;
  readonly trial: number;
  readonly seed: number;
  readonly params: Params;
  readonly objective: ObjectiveRef;
  readonly workdir: string;
  readonly studyDir: string;
}

/** An intermediate value reported by a running trial. */
export interface ReportedValue {
  readonly step: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * A trial's result. Errors travel as data so that none is swallowed on the way back.
 * `intermediate` repeats every value reported while it ran: reports and the result may travel on
 * channels that are not ordered with each other, so the last reports could otherwise arrive late.
 */
export type TrialOutcome = (
  | { readonly ok: true; readonly output: Readonly<Record<string, number | string>> }
  | { readonly ok: false; readonly error: string; readonly aborted: boolean }
) & {
  readonly seconds: number;
  readonly intermediate: readonly ReportedValue[];
  /** Things the loop should tell the user, e.g. an error an earlier trial left behind in the same thread. */
  readonly warnings?: readonly string[];
};

/**
 * The study's shared artifacts as one trial sees them (Storage's artifact primitives bound to the
 * study and to this trial as the claim's owner): files trained once per study, such as the
 * compression teacher, that machines with no shared disk must share through the database.
 */
export interface StudyArtifacts {
  get(key: string): Promise<Uint8Array | null>;
  /** 'stored', 'held' by another trial, or 'claimed' (now this trial's until now + leaseMs; claim again to renew). */
  claim(key: string, leaseMs: number): Promise<'stored' | 'held' | 'claimed'>;
  /** Stores the bytes (first stored wins: false when they were stored already) and ends the claim. */
  put(key: string, data: Uint8Array): Promise<boolean>;
  release(key: string): Promise<void>;
}

export interface RunHooks {
  /** The study's shared artifacts, passed on to the objective as ctx.artifacts. */
  artifacts?: StudyArtifacts;
  onReport?(step: number, metrics: Readonly<Record<string, number>>): void;
  /** Wall-clock limit for this trial. */
  timeoutMs?: number;
  /** Aborting stops the trial (graceful first, then forcefully). */
  signal?: AbortSignal;
}

/** Runs trials somewhere; the study loop only needs this. */
export interface TrialExecutor {
  /** How many trials can run at once. */
  readonly slots: number;
  run(spec: TrialSpec, hooks?: RunHooks): Promise<TrialOutcome>;
  close(): Promise<void>;
}
