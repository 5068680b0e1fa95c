/**
 * The Storage contract (after Optuna's BaseStorage): a few primitives, grouped by what they touch.
 *
 * Concurrency rule: only the main thread of one process writes through a Storage; workers return
 * results by message. Several processes may share one database (resume, several runners, ask/tell,
 * the PostgreSQL scale-out), so every rule that spans processes is decided by the database inside
 * one transaction per call: numbers, the joint budget, unique parameter sets, who holds a trial.
 * A finished trial is immutable: `finishTrial` on a finished trial throws StorageError.
 *
 * Leases: a running trial belongs to an owner (one per process) until `leaseUntil`. The owner
 * extends its leases with `heartbeat`; once a lease has expired, anyone may `recoverExpired` the
 * trial, which goes back to `waiting` with the same parameters (or fails as `interrupted` after
 * its last allowed attempt). Waiting trials are taken with `claimWaiting` before new proposals.
 * Nothing here depends on a dialect: timestamps are ISO-8601 text compared as text.
 *
 * All methods are async so that a network database fits the same interface; the SQLite
 * implementation completes synchronously inside.
 */
import type { Direction, Params } from '../space/index.js';
import type { Attrs, IntermediateValue, Metrics, Trial, TrialState } from './trial.js';

export interface StudyRecord {
  readonly name: string;
  /** Path of the space file the study was created from (informational). */
  readonly spaceFile: string;
  /** The space file's exact text and its sha256. */
  readonly spaceText: string;
  readonly spaceHash: string;
  readonly directions: Readonly<Record<string, Direction>>;
  readonly seed: number;
  readonly createdAt: string;
  /** Free-form study facts (the backend used, the teacher's accuracy, ...). */
  readonly attrs: Attrs;
}

export interface StudySummary extends StudyRecord {
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly lastActivity: string | null;
}

/** What creating a study takes: its record less what storage fills in. */
export type NewStudy = Omit<StudyRecord, 'createdAt' | 'attrs'>;

export interface TrialResult {
  readonly state: Extract<TrialState, 'complete' | 'pruned' | 'failed'>;
  readonly metrics: Metrics | null;
  readonly attrs?: Attrs;
  readonly error?: string | null;
}

/** Who holds a trial: the process (`owner`, unique per process) and its worker slot. */
export interface Lease {
  readonly owner: string;
  readonly worker: number | null;
  /** How long the lease lasts without a heartbeat. */
  readonly leaseMs: number;
}

/** Limits `tryStartTrial` checks in the same transaction as the insert. */
export interface StartLimits {
  /** Refuse when the study already has this many trials counting toward its budget. */
  readonly budget?: number;
  /** Refuse a parameter set some trial of the study already has. */
  readonly unique?: boolean;
}

export type StartRefusal = { readonly refused: 'budget' | 'duplicate' };

/** What `recoverExpired` and `releaseTrial` did with trials whose runner is gone. */
export interface Recovery {
  /** Back in the queue, same number and parameters. */
  readonly requeued: readonly Trial[];
  /** Failed as interrupted: their last allowed attempt was cut short too. */
  readonly failed: readonly Trial[];
}

/** What `claimArtifact` found: the artifact stored already, another owner's live claim, or the claim now `owner`'s. */
export type ArtifactClaim = 'stored' | 'held' | 'claimed';

export interface Storage {
  // studies
  /** Creates the study; throws StorageError if the name is taken. */
  createStudy(study: NewStudy): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | null>;
  listStudies(): Promise<StudySummary[]>;
  setStudyAttr(name: string, key: string, value: string): Promise<void>;
  /** Removes a study attribute; removing one that is not there does nothing. */
  deleteStudyAttr(name: string, key: string): Promise<void>;
  /** Renames a study; throws NotFoundError for an unknown name, StorageError if `to` is taken. */
  renameStudy(from: string, to: string): Promise<StudyRecord>;
  /** Deletes a study with its attributes, trials and intermediate values; NotFoundError if unknown. */
  deleteStudy(name: string): Promise<void>;

  // trials
  /** Creates a trial in state `running` with the next free number, started now, held by no owner. */
  startTrial(study: string, params: Params, worker: number | null): Promise<Trial>;
  /**
   * Creates a running trial held by `lease` (attempt 1), unless `limits` refuse it; the checks and
   * the insert are one transaction, so processes sharing a study never overshoot its budget or
   * start one parameter set twice.
   */
  tryStartTrial(study: string, params: Params, lease: Lease, limits?: StartLimits): Promise<Trial | StartRefusal>;
  /** Adds a trial in state `waiting` (a queued configuration, attempt 0). */
  enqueueTrial(study: string, params: Params): Promise<Trial>;
  /** Takes the lowest-numbered waiting trial: running, held by `lease`, attempt + 1; null if none waits. */
  claimWaiting(study: string, lease: Lease): Promise<Trial | null>;
  /** Extends every lease `owner` holds in the study to now + `leaseMs`; returns the trial numbers it still holds. */
  heartbeat(study: string, owner: string, leaseMs: number): Promise<number[]>;
  /**
   * Running trials whose lease expired go back to `waiting` (attempt count kept), or fail as
   * interrupted once they have had `maxAttempts` attempts.
   */
  recoverExpired(study: string, maxAttempts: number): Promise<Recovery>;
  /**
   * Gives back a running trial `owner` holds (its run was stopped by the orchestrator, not by the
   * objective): same rule as `recoverExpired`. Throws LeaseLostError if `owner` no longer holds it.
   */
  releaseTrial(study: string, number: number, owner: string, maxAttempts: number): Promise<Recovery>;
  /** Records an intermediate value; ignored (returns false) once the trial has finished, or is no longer `owner`'s. */
  reportIntermediate(study: string, number: number, value: IntermediateValue, owner?: string): Promise<boolean>;
  /**
   * Moves a running or waiting trial to a finished state. Throws StorageError if it already
   * finished; with `owner`, throws LeaseLostError if the trial is no longer held by `owner`
   * (its lease expired and another process recovered it).
   */
  finishTrial(study: string, number: number, result: TrialResult, owner?: string): Promise<Trial>;
  /** Trials in number order, with their intermediate values; `states` filters. */
  getTrials(study: string, states?: readonly TrialState[]): Promise<Trial[]>;
  getTrial(study: string, number: number): Promise<Trial | null>;

  // artifacts: files a study shares between machines (the compression teacher's weights)
  /** The bytes stored under `key` for the study, or null when none are stored yet. */
  getArtifact(study: string, key: string): Promise<Uint8Array | null>;
  /**
   * Asks to be the one process that produces `key` (a lease, as for trials): 'stored' when it is
   * stored already; 'held' while another owner's claim has not expired; else 'claimed', the claim
   * now `owner`'s until now + `leaseMs` (claiming again renews it).
   */
  claimArtifact(study: string, key: string, owner: string, leaseMs: number): Promise<ArtifactClaim>;
  /**
   * Stores `key`'s bytes and ends any claim on it. The first bytes stored win and never change:
   * returns false, storing nothing, when the artifact was stored already.
   */
  putArtifact(study: string, key: string, data: Uint8Array): Promise<boolean>;
  /** Ends `owner`'s claim on `key` without storing (its work failed), so another may claim it now. */
  releaseArtifact(study: string, key: string, owner: string): Promise<void>;

  /**
   * A value that changes when another connection has committed to the database, and stays the
   * same for this connection's own writes: a process re-reads trials only when someone else may
   * have changed them (SQLite: PRAGMA data_version; a server database: a change counter).
   */
  externalVersion(): Promise<number>;

  close(): Promise<void>;
}
