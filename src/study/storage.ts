/**
 * The Storage contract (after Optuna's BaseStorage): a few primitives, grouped by what they touch.
 *
 * Concurrency rule: only the main thread of one process writes through a Storage; workers return
 * results by message. Several processes may share one database (resume, scale-out), so numbers
 * are assigned by the database inside a transaction. A finished trial is immutable:
 * `finishTrial` on a finished trial throws StorageError. All methods are async so that a network
 * database fits the same interface; the SQLite implementation completes synchronously inside.
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
  /** Creates a trial in state `running` with the next free number, started now. */
  startTrial(study: string, params: Params, worker: number | null): Promise<Trial>;
  /** Records an intermediate value; ignored (returns false) once the trial has finished. */
  reportIntermediate(study: string, number: number, value: IntermediateValue): Promise<boolean>;
  /** Moves a running trial to a finished state. Throws StorageError if it already finished. */
  finishTrial(study: string, number: number, result: TrialResult): Promise<Trial>;
  /** Trials in number order, with their intermediate values; `states` filters. */
  getTrials(study: string, states?: readonly TrialState[]): Promise<Trial[]>;
  getTrial(study: string, number: number): Promise<Trial | null>;

  close(): Promise<void>;
}
