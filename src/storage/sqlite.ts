/**
 * SQLite storage: drizzle-orm over better-sqlite3. The default backend (`runs/sweetspot.db`).
 *
 * Every state change is one transaction; the ones that write take the write lock up front
 * (BEGIN IMMEDIATE), so two processes sharing a file never both read the same "next trial
 * number", and a WAL reader is never asked to upgrade a stale snapshot. better-sqlite3 is
 * synchronous: each async method does its work before it returns its promise.
 *
 * The hot paths of the study loop (startTrial, reportIntermediate, finishTrial) run on statements
 * prepared once in the constructor, one or two statements each; the rest are drizzle queries.
 */
import Database from 'better-sqlite3';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { NotFoundError, StorageError } from '../errors.js';
import type { Direction, Params } from '../space/index.js';
import {
  FINISHED_STATES,
  TRIAL_STATES,
  type Attrs,
  type IntermediateValue,
  type Metrics,
  type NewStudy,
  type Storage,
  type StudyRecord,
  type StudySummary,
  type Trial,
  type TrialResult,
  type TrialState,
} from '../study/index.js';
import { migrate } from './migrations.js';
import { studies, studyAttrs, trialIntermediate, trials, type StudyRow } from './schema.js';
import { checkAttrs, checkMetrics, freezeTrial, parseJson, type TrialColumns } from './snapshot.js';

export const MEMORY = ':memory:';

const p = sql.placeholder;
const EMPTY: Attrs = Object.freeze({});
const EMPTY_LIST: readonly IntermediateValue[] = Object.freeze([]);

interface HotStart {
  studyId: number;
  params: string;
  worker: number | null;
  now: string;
}
interface HotFinish {
  studyId: number;
  number: number;
  state: string;
  metrics: string | null;
  attrs: string;
  error: string | null;
  now: string;
}

export class SqliteStorage implements Storage {
  readonly location: string;
  private readonly client: Database.Database;
  private readonly db: BetterSQLite3Database;
  private closed = false;
  /** Study name → row id; studies are never renamed or deleted, so entries never go stale. */
  private readonly studyIds = new Map<string, number>();

  private readonly q;
  private readonly txStart;
  private readonly txFinish;
  private readonly txReport;

  /** Opens (creating if needed) the database at `location`, a file path or ':memory:'. */
  constructor(location: string) {
    this.location = location;
    try {
      this.client = new Database(location);
    } catch (cause) {
      throw new StorageError(`${location}: cannot open SQLite database: ${(cause as Error).message}`, { cause });
    }
    try {
      // WAL lets readers (status, report) run beside the writing loop; an in-memory db has no journal file.
      if (location !== MEMORY) this.client.pragma('journal_mode = WAL');
      this.client.pragma('busy_timeout = 5000');
      this.client.pragma('foreign_keys = ON');
      // Safe with WAL: a power cut may lose the last commits, never corrupt the file.
      this.client.pragma('synchronous = NORMAL');
      migrate(this.client, location);
    } catch (cause) {
      this.client.close();
      if (cause instanceof StorageError) throw cause;
      throw new StorageError(`${location}: cannot open SQLite database: ${(cause as Error).message}`, { cause });
    }
    this.db = drizzle({ client: this.client });

    const db = this.db;
    this.q = {
      studyId: db.select({ id: studies.id }).from(studies).where(eq(studies.name, p('name'))).prepare(),
      trial: db
        .select()
        .from(trials)
        .where(and(eq(trials.studyId, p('studyId')), eq(trials.number, p('number'))))
        .prepare(),
      intermediatesOf: db
        .select({ step: trialIntermediate.step, metrics: trialIntermediate.metrics })
        .from(trialIntermediate)
        .where(eq(trialIntermediate.trialId, p('trialId')))
        .orderBy(asc(trialIntermediate.step))
        .prepare(),
    };

    // The three hot statements are plain SQL on better-sqlite3: each does its check and its write
    // in one statement (INSERT…SELECT, UPDATE…WHERE state…RETURNING), which drizzle's builder
    // cannot express, and every statement saved is a B-tree walk saved per trial.
    const c = this.client;
    const hot = {
      /** Next dense number and the insert in one statement, under the write lock of BEGIN IMMEDIATE. */
      insertTrial: c.prepare<HotStart, { number: number }>(
        `INSERT INTO trials (study_id, number, state, params, attrs, worker, heartbeat, started_at)
         SELECT @studyId, coalesce(max(number) + 1, 0), 'running', @params, '{}', @worker, @now, @now
         FROM trials WHERE study_id = @studyId
         RETURNING number`,
      ),
      /** Finishes only an unfinished trial; no row back means missing or already finished. */
      finish: c.prepare<HotFinish, TrialColumns & { id: number; attrs: string }>(
        `UPDATE trials SET state = @state, metrics = @metrics, attrs = json_patch(attrs, @attrs), error = @error,
           finished_at = @now
         WHERE study_id = @studyId AND number = @number AND state IN ('waiting', 'running')
         RETURNING id, number, state, params, metrics, attrs, error, worker,
           started_at AS startedAt, finished_at AS finishedAt`,
      ),
      intermediatesOf: c.prepare<[number], { step: number; metrics: string }>(
        'SELECT step, metrics FROM trial_intermediate WHERE trial_id = ? ORDER BY step',
      ),
      /** A running trial's heartbeat; no row back means not running (or missing). */
      beat: c.prepare<{ studyId: number; number: number; now: string }, { id: number }>(
        `UPDATE trials SET heartbeat = @now
         WHERE study_id = @studyId AND number = @number AND state = 'running'
         RETURNING id`,
      ),
      upsertIntermediate: c.prepare<{ trialId: number; step: number; metrics: string }>(
        `INSERT INTO trial_intermediate (trial_id, step, metrics) VALUES (@trialId, @step, @metrics)
         ON CONFLICT (trial_id, step) DO UPDATE SET metrics = excluded.metrics`,
      ),
      state: c.prepare<[number, number], { state: string }>('SELECT state FROM trials WHERE study_id = ? AND number = ?'),
    };

    /** Why a trial could not be changed: it does not exist, or it already finished. */
    const refuse = (study: string, studyId: number, number: number): { state: string } => {
      const row = hot.state.get(studyId, number);
      if (!row) throw new NotFoundError(`study '${study}' has no trial ${number}`);
      return row;
    };
    this.txStart = c.transaction((args: HotStart) => hot.insertTrial.get(args)!.number);
    this.txFinish = c.transaction((study: string, args: HotFinish) => {
      const row = hot.finish.get(args);
      if (!row) {
        const { state } = refuse(study, args.studyId, args.number);
        throw new StorageError(
          `study '${study}' trial ${args.number}: a finished trial is immutable, it is already ${state}`,
        );
      }
      const intermediate = hot.intermediatesOf.all(row.id).map(parseIntermediate);
      return freezeTrial(study, row, parseJson<Attrs>(row.attrs), intermediate);
    });
    this.txReport = c.transaction((study: string, studyId: number, number: number, step: number, metrics: string, now: string) => {
      const row = hot.beat.get({ studyId, number, now });
      if (!row) {
        refuse(study, studyId, number);
        return false;
      }
      hot.upsertIntermediate.run({ trialId: row.id, step, metrics });
      return true;
    });
  }

  // ---- studies ----

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    this.checkOpen();
    checkNewStudy(study);
    const createdAt = new Date().toISOString();
    const write = this.client.transaction(() => {
      if (this.q.studyId.get({ name: study.name })) {
        throw new StorageError(`study name must be unique, '${study.name}' already exists in ${this.location}`);
      }
      this.db
        .insert(studies)
        .values({
          name: study.name,
          spaceFile: study.spaceFile,
          spaceText: study.spaceText,
          spaceHash: study.spaceHash,
          directions: JSON.stringify(study.directions),
          seed: study.seed,
          createdAt,
        })
        .run();
    });
    write.immediate();
    return (await this.getStudy(study.name))!;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    this.checkOpen();
    const row = this.db.select().from(studies).where(eq(studies.name, name)).get();
    if (!row) return null;
    const attrs = this.db
      .select({ key: studyAttrs.key, value: studyAttrs.value })
      .from(studyAttrs)
      .where(eq(studyAttrs.studyId, row.id))
      .all();
    return studyRecord(row, attrs);
  }

  async listStudies(): Promise<StudySummary[]> {
    this.checkOpen();
    // Three queries for all studies together: rows, attributes, per-state counts and activity.
    const read = this.client.transaction(() => {
      const rows = this.db.select().from(studies).orderBy(asc(studies.id)).all();
      const attrs = this.db.select().from(studyAttrs).all();
      const counts = this.db
        .select({ studyId: trials.studyId, state: trials.state, n: sql<number>`count(*)`, last: sql<string>`max(max(coalesce(${trials.finishedAt}, ''), coalesce(${trials.heartbeat}, ''), coalesce(${trials.startedAt}, '')))` })
        .from(trials)
        .groupBy(trials.studyId, trials.state)
        .all();
      return { rows, attrs, counts };
    });
    const { rows, attrs, counts } = read.deferred();
    return rows.map((row) => {
      const mine = counts.filter((c) => c.studyId === row.id);
      const byState = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
      let last = '';
      for (const c of mine) {
        byState[c.state as TrialState] = c.n;
        if (c.last > last) last = c.last;
      }
      const record = studyRecord(row, attrs.filter((a) => a.studyId === row.id));
      return Object.freeze({ ...record, counts: Object.freeze(byState), lastActivity: last || null });
    });
  }

  async setStudyAttr(name: string, key: string, value: string): Promise<void> {
    this.checkOpen();
    if (typeof value !== 'string') throw new StorageError(`study attribute '${key}' must be a string, got ${typeof value}`);
    const studyId = this.studyId(name);
    this.db
      .insert(studyAttrs)
      .values({ studyId, key, value })
      .onConflictDoUpdate({ target: [studyAttrs.studyId, studyAttrs.key], set: { value } })
      .run();
  }

  async deleteStudyAttr(name: string, key: string): Promise<void> {
    this.checkOpen();
    const studyId = this.studyId(name);
    this.db.delete(studyAttrs).where(and(eq(studyAttrs.studyId, studyId), eq(studyAttrs.key, key))).run();
  }

  async renameStudy(from: string, to: string): Promise<StudyRecord> {
    this.checkOpen();
    if (typeof to !== 'string' || to.trim() === '') throw new StorageError(`study name must be a non-empty string, got ${JSON.stringify(to)}`);
    const studyId = this.studyId(from);
    const write = this.client.transaction(() => {
      if (this.q.studyId.get({ name: to })) throw new StorageError(`study name must be unique, '${to}' already exists in ${this.location}`);
      this.db.update(studies).set({ name: to }).where(eq(studies.id, studyId)).run();
    });
    write.immediate();
    this.studyIds.delete(from);
    return (await this.getStudy(to))!;
  }

  async deleteStudy(name: string): Promise<void> {
    this.checkOpen();
    const studyId = this.studyId(name);
    // foreign_keys is on: attributes, trials and their intermediate values go with the study.
    this.db.delete(studies).where(eq(studies.id, studyId)).run();
    this.studyIds.delete(name);
  }

  // ---- trials ----

  async startTrial(study: string, params: Params, worker: number | null): Promise<Trial> {
    this.checkOpen();
    const studyId = this.studyId(study);
    const now = new Date().toISOString();
    const number = this.txStart.immediate({ studyId, params: JSON.stringify(params), worker, now });
    return Object.freeze({
      study,
      number,
      state: 'running',
      params: Object.freeze({ ...params }),
      metrics: null,
      attrs: EMPTY,
      intermediate: EMPTY_LIST,
      error: null,
      worker,
      startedAt: now,
      finishedAt: null,
    });
  }

  async reportIntermediate(study: string, number: number, value: IntermediateValue): Promise<boolean> {
    this.checkOpen();
    if (!Number.isSafeInteger(value.step) || value.step < 0) {
      throw new StorageError(`study '${study}' trial ${number}: intermediate step must be an integer >= 0, got ${value.step}`);
    }
    checkMetrics(value.metrics, `study '${study}' trial ${number} step ${value.step}`);
    const studyId = this.studyId(study);
    return this.txReport.immediate(study, studyId, number, value.step, JSON.stringify(value.metrics), new Date().toISOString());
  }

  async finishTrial(study: string, number: number, result: TrialResult): Promise<Trial> {
    this.checkOpen();
    const where = `study '${study}' trial ${number}`;
    if (!FINISHED_STATES.includes(result.state)) {
      throw new StorageError(`${where}: a trial must finish as ${FINISHED_STATES.join(', ')}, got '${result.state}'`);
    }
    if (result.metrics !== null) checkMetrics(result.metrics, where);
    else if (result.state === 'complete') throw new StorageError(`${where}: a complete trial must have metrics, got null`);
    if (result.attrs) checkAttrs(result.attrs, where);
    const studyId = this.studyId(study);
    return this.txFinish.immediate(study, {
      studyId,
      number,
      state: result.state,
      metrics: result.metrics === null ? null : JSON.stringify(result.metrics),
      attrs: result.attrs ? JSON.stringify(result.attrs) : '{}',
      error: result.error ?? null,
      now: new Date().toISOString(),
    });
  }

  async getTrials(study: string, states?: readonly TrialState[]): Promise<Trial[]> {
    this.checkOpen();
    const studyId = this.studyId(study);
    const filter = states
      ? and(eq(trials.studyId, studyId), inArray(trials.state, [...states]))
      : eq(trials.studyId, studyId);
    if (states && states.length === 0) return [];
    // Two queries whatever the number of trials: the trials, then all their intermediates, in one snapshot.
    const read = this.client.transaction(() => {
      const rows = this.db.select().from(trials).where(filter).orderBy(asc(trials.number)).all();
      const inter = this.db
        .select({ trialId: trialIntermediate.trialId, step: trialIntermediate.step, metrics: trialIntermediate.metrics })
        .from(trialIntermediate)
        .innerJoin(trials, eq(trials.id, trialIntermediate.trialId))
        .where(filter)
        .orderBy(asc(trialIntermediate.trialId), asc(trialIntermediate.step))
        .all();
      return { rows, inter };
    });
    const { rows, inter } = read.deferred();
    const byTrial = new Map<number, IntermediateValue[]>();
    for (const i of inter) {
      let list = byTrial.get(i.trialId);
      if (!list) byTrial.set(i.trialId, (list = []));
      list.push(parseIntermediate(i));
    }
    return rows.map((row) => freezeTrial(study, row, parseJson<Attrs>(row.attrs), byTrial.get(row.id) ?? []));
  }

  async getTrial(study: string, number: number): Promise<Trial | null> {
    this.checkOpen();
    const studyId = this.studyId(study);
    const read = this.client.transaction(() => {
      const row = this.q.trial.get({ studyId, number });
      return row ? { row, inter: this.q.intermediatesOf.all({ trialId: row.id }) } : null;
    });
    const found = read.deferred();
    if (!found) return null;
    return freezeTrial(study, found.row, parseJson<Attrs>(found.row.attrs), found.inter.map(parseIntermediate));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  // ---- helpers ----

  private checkOpen(): void {
    if (this.closed) throw new StorageError(`${this.location}: storage is closed`);
  }

  private studyId(name: string): number {
    const cached = this.studyIds.get(name);
    if (cached !== undefined) return cached;
    const row = this.q.studyId.get({ name });
    if (!row) throw new NotFoundError(`no study named '${name}' in ${this.location}`);
    this.studyIds.set(name, row.id);
    return row.id;
  }
}

function parseIntermediate(row: { step: number; metrics: string }): IntermediateValue {
  return { step: row.step, metrics: parseJson<Metrics>(row.metrics) };
}

function studyRecord(row: StudyRow, attrs: readonly { key: string; value: string }[]): StudyRecord {
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

function checkNewStudy(study: NewStudy): void {
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

