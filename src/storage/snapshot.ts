/**
 * Rows → frozen Trial snapshots, and the checks on values before they are written. Shared by
 * every backend: storage hands out snapshots, never live objects (STYLE.md habit 3).
 */
import { StorageError } from '../errors.js';
import type { StudyRow } from './schema.js';
import type { Direction, Params } from '../space/index.js';
import { FINISHED_STATES, TRIAL_STATES, type Attrs, type IntermediateValue, type Metrics, type NewStudy, type StudyRecord, type StudySummary, type Trial, type TrialResult, type TrialState } from '../study/index.js';
import type { FinishArgs } from './trial-statements.js';

/** The columns a snapshot is built from; JSON columns still as text. */
export interface TrialColumns {
  readonly number: number;
  readonly state: string;
  readonly params: string;
  readonly metrics: string | null;
  readonly error: string | null;
  readonly worker: number | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly attempt: number;
  /** 0 or 1 (SQLite has no boolean). */
  readonly interrupted: number | boolean;
  readonly owner: string | null;
}

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/**
 * A deeply frozen Trial. The shapes are known (flat records of primitives), so freezing each level
 * by hand is deep and cheaper than a generic recursive walk.
 */
export function freezeTrial(
  study: string,
  row: TrialColumns,
  attrs: Attrs,
  intermediate: readonly IntermediateValue[],
): Trial {
  for (const value of intermediate) {
    Object.freeze(value.metrics);
    Object.freeze(value);
  }
  return Object.freeze({
    study,
    number: row.number,
    state: row.state as TrialState,
    params: Object.freeze(parseJson<Params>(row.params)),
    metrics: row.metrics === null ? null : Object.freeze(parseJson<Metrics>(row.metrics)),
    attrs: Object.freeze({ ...attrs }),
    intermediate: Object.freeze(intermediate),
    error: row.error,
    worker: row.worker,
    attempt: row.attempt,
    interrupted: Boolean(row.interrupted),
    owner: row.owner,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  });
}

/** Metrics are stored as JSON, which would silently turn NaN and ±Infinity into null: refuse them. */
export function checkMetrics(metrics: Metrics, where: string): void {
  if (metrics === null || typeof metrics !== 'object') {
    throw new StorageError(`${where}: metrics must be an object of numbers, got ${String(metrics)}`);
  }
  for (const key in metrics) {
    const value = metrics[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new StorageError(`${where}: metric '${key}' must be a finite number, got ${String(value)}`);
    }
  }
}

export function checkAttrs(attrs: Attrs, where: string): void {
  for (const key in attrs) {
    if (typeof attrs[key] !== 'string') {
      throw new StorageError(`${where}: attribute '${key}' must be a string, got ${typeof attrs[key]} ${String(attrs[key])}`);
    }
  }
}

export function parseIntermediate(row: { step: number; metrics: string }): IntermediateValue {
  return { step: row.step, metrics: parseJson<Metrics>(row.metrics) };
}

/** A study row and its attribute rows as a frozen record. */
/** The trial columns every trial statement returns (the row freezeTrial turns into a Trial), by name. */
const SNAPSHOT_COLUMNS = ['id', 'number', 'state', 'params', 'metrics', 'attrs', 'error', 'worker', 'attempt', 'interrupted', 'owner', 'startedAt', 'finishedAt'] as const;
type SnapshotColumn = (typeof SNAPSHOT_COLUMNS)[number];

/** The snapshot columns of either dialect's trials table, as drizzle's select and returning take them. */
export function snapshotColumns<T extends Record<SnapshotColumn, unknown>>(table: T): Pick<T, SnapshotColumn> {
  return Object.fromEntries(SNAPSHOT_COLUMNS.map((c) => [c, table[c]])) as Pick<T, SnapshotColumn>;
}

/** The studies row a new study is inserted as, the same on both backends. */
export function newStudyRow(study: NewStudy, createdAt: string) {
  return {
    name: study.name,
    spaceFile: study.spaceFile,
    spaceText: study.spaceText,
    spaceHash: study.spaceHash,
    directions: JSON.stringify(study.directions),
    seed: study.seed,
    createdAt,
  };
}

export function studyRecord(row: StudyRow, attrs: readonly { key: string; value: string }[]): StudyRecord {
  return Object.freeze({
    name: row.name,
    spaceFile: row.spaceFile,
    spaceText: row.spaceText,
    spaceHash: row.spaceHash,
    directions: Object.freeze(parseJson<Record<string, Direction>>(row.directions)),
    seed: row.seed,
    createdAt: row.createdAt,
    attrs: Object.freeze(Object.fromEntries(attrs.map((a) => [a.key, a.value]))),
  });
}

/** One row of the per-study, per-state trial counts both backends read for listStudies. */
export interface StateCount {
  readonly studyId: number;
  readonly state: string;
  readonly n: number;
  /** Latest of the trials' start, heartbeat and finish times ('' when none). */
  readonly last: string;
}

/** listStudies' answer from the three reads (studies, attributes, counts by state), the same on both backends. */
export function studySummaries(
  rows: readonly StudyRow[],
  attrs: readonly { studyId: number; key: string; value: string }[],
  counts: readonly StateCount[],
): StudySummary[] {
  return rows.map((row) => {
    const byState = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
    let last = '';
    for (const c of counts) {
      if (c.studyId !== row.id) continue;
      byState[c.state as TrialState] = c.n;
      if (c.last > last) last = c.last;
    }
    const record = studyRecord(row, attrs.filter((a) => a.studyId === row.id));
    return Object.freeze({ ...record, counts: Object.freeze(byState), lastActivity: last || null });
  });
}

/** The checks on a new study before it is written. */
export function checkNewStudy(study: NewStudy): void {
  if (typeof study.name !== 'string' || study.name.trim() === '') {
    throw new StorageError(`study name must be a non-empty string, got ${JSON.stringify(study.name)}`);
  }
  if (!Number.isSafeInteger(study.seed)) {
    throw new StorageError(`study '${study.name}': seed must be an integer, got ${study.seed}`);
  }
  for (const [metric, direction] of Object.entries(study.directions)) {
    if (direction !== 'maximize' && direction !== 'minimize') {
      throw new StorageError(`study '${study.name}': direction of '${metric}' must be maximize or minimize, got ${JSON.stringify(direction)}`);
    }
  }
}

/** Checks an intermediate value before it is written. */
export function checkIntermediate(study: string, number: number, value: IntermediateValue): void {
  if (!Number.isSafeInteger(value.step) || value.step < 0) {
    throw new StorageError(`study '${study}' trial ${number}: intermediate step must be an integer >= 0, got ${value.step}`);
  }
  checkMetrics(value.metrics, `study '${study}' trial ${number} step ${value.step}`);
}

/** Checks a trial's result and turns it into the finishing statement's arguments. */
export function finishArgs(study: string, studyId: number, number: number, result: TrialResult, owner: string | undefined): FinishArgs {
  const where = `study '${study}' trial ${number}`;
  if (!FINISHED_STATES.includes(result.state)) {
    throw new StorageError(`${where}: a trial must finish as ${FINISHED_STATES.join(', ')}, got '${result.state}'`);
  }
  if (result.metrics !== null) checkMetrics(result.metrics, where);
  else if (result.state === 'complete') throw new StorageError(`${where}: a complete trial must have metrics, got null`);
  if (result.attrs) checkAttrs(result.attrs, where);
  return {
    studyId,
    number,
    state: result.state,
    metrics: result.metrics === null ? null : JSON.stringify(result.metrics),
    attrs: result.attrs ? JSON.stringify(result.attrs) : '{}',
    error: result.error ?? null,
    now: new Date().toISOString(),
    owner: owner ?? null,
  };
}

/** Trial rows and all their intermediate rows (ordered by trial, then step) as frozen snapshots. */
export function trialsWithIntermediates(
  study: string,
  rows: readonly (TrialColumns & { id: number; attrs: string })[],
  inter: readonly { trialId: number; step: number; metrics: string }[],
): Trial[] {
  const byTrial = new Map<number, IntermediateValue[]>();
  for (const i of inter) {
    let list = byTrial.get(i.trialId);
    if (!list) byTrial.set(i.trialId, (list = []));
    list.push(parseIntermediate(i));
  }
  return rows.map((row) => freezeTrial(study, row, parseJson<Attrs>(row.attrs), byTrial.get(row.id) ?? []));
}
