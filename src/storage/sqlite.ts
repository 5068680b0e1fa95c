/**
 * SQLite storage: drizzle-orm over better-sqlite3. The default backend (`runs/sweetspot.db`).
 *
 * Every state change is one transaction; the ones that write take the write lock up front
 * (BEGIN IMMEDIATE), so two processes sharing a file never both read the same "next trial
 * number", and a WAL reader is never asked to upgrade a stale snapshot. better-sqlite3 is
 * synchronous: each async method does its work before it returns its promise.
 *
 * Queries are drizzle queries on schema.ts (all but the conditional start's two checks, kept raw as
 * measured); trial state changes (start, claim, lease, report, finish) run in sqlite-trials.ts on
 * statements prepared once in trial-statements.ts.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { NotFoundError, StorageError } from '../errors.js';
import type { Params } from '../space/index.js';
import {
  type ArtifactClaim,
  type Attrs,
  type IntermediateValue,
  type Lease,
  type Recovery,
  type StartLimits,
  type StartRefusal,
  type NewStudy,
  type Storage,
  type StudyRecord,
  type StudySummary,
  type Trial,
  type TrialResult,
  type TrialState,
} from '../study/index.js';
import { studies, studyAttrs, trialIntermediate, trials } from './schema.js';
import { checkIntermediate, checkNewStudy, finishArgs, freezeTrial, newStudyRow, parseIntermediate, parseJson, studyRecord, studySummaries, trialsWithIntermediates } from './snapshot.js';
import { SqliteArtifacts } from './sqlite-artifacts.js';
import { prepareFile } from './sqlite-open.js';
import { SqliteTrialWrites, type StartArgs } from './sqlite-trials.js';
import { drizzleTrialStatements, type TrialStatements } from './trial-statements.js';

export const MEMORY = ':memory:';

export interface SqliteOptions {
  /** Create the file if missing (read-only commands pass false). */
  create?: boolean;
  /** The trial statements; bench:storage passes the raw-SQL ones to measure drizzle's cost beside them. */
  statements?: (db: BetterSQLite3Database, client: Database.Database) => TrialStatements;
}

const p = sql.placeholder;
const EMPTY: Attrs = Object.freeze({});
const EMPTY_LIST: readonly IntermediateValue[] = Object.freeze([]);

export class SqliteStorage implements Storage {
  readonly location: string;
  private readonly client: Database.Database;
  private readonly db: BetterSQLite3Database;
  private closed = false;
  /** Study name → row id; studies are never renamed or deleted, so entries never go stale. */
  private readonly studyIds = new Map<string, number>();

  /** Study reads and changes, trial reads: drizzle queries prepared once. */
  private readonly queries;
  /** Every trial state change (raw SQL, see sqlite-trials.ts). */
  private readonly writes: SqliteTrialWrites;
  /** Study artifacts (sqlite-artifacts.ts). */
  private readonly artifacts: SqliteArtifacts;

  /**
   * Opens the database at `location`, a file path or ':memory:'; a missing file is created only
   * with `create`. Before anything is written, the file must pass SQLite's quick_check and be
   * sweetspot's (or empty): a corrupt file or another program's database is refused untouched
   * (sqlite-open.ts, which also waits out other processes opening the same file).
   */
  constructor(location: string, options: SqliteOptions = {}) {
    this.location = location;
    if (location !== MEMORY && !options.create && !existsSync(location)) {
      throw new StorageError(`no database at ${location}; 'sweetspot run' creates one (or pass --storage PATH)`);
    }
    try {
      this.client = new Database(location);
    } catch (cause) {
      throw new StorageError(`${location}: cannot open SQLite database: ${(cause as Error).message}`, { cause });
    }
    try {
      prepareFile(this.client, location, { wal: location !== MEMORY });
    } catch (cause) {
      this.client.close();
      if (cause instanceof StorageError) throw cause;
      const corrupt = (cause as { code?: string }).code === 'SQLITE_CORRUPT' ? '; nothing was written to it' : '';
      throw new StorageError(`${location}: cannot open SQLite database: ${(cause as Error).message}${corrupt}`, { cause });
    }
    this.db = drizzle({ client: this.client });

    const db = this.db;
    const ofStudy = eq(trials.studyId, p('studyId'));
    this.queries = {
      studyId: db.select({ id: studies.id }).from(studies).where(eq(studies.name, p('name'))).prepare(),
      study: db.select().from(studies).where(eq(studies.name, p('name'))).prepare(),
      studyAttrs: db.select({ key: studyAttrs.key, value: studyAttrs.value }).from(studyAttrs).where(eq(studyAttrs.studyId, p('studyId'))).prepare(),
      setStudyAttr: db
        .insert(studyAttrs)
        .values({ studyId: p('studyId'), key: p('key'), value: p('value') })
        .onConflictDoUpdate({ target: [studyAttrs.studyId, studyAttrs.key], set: { value: sql`excluded.value` } })
        .prepare(),
      deleteStudyAttr: db.delete(studyAttrs).where(and(eq(studyAttrs.studyId, p('studyId')), eq(studyAttrs.key, p('key')))).prepare(),
      /** All of a study's trials and their intermediates (the unfiltered getTrials, which the loop calls). */
      trials: db.select().from(trials).where(ofStudy).orderBy(asc(trials.number)).prepare(),
      intermediates: db
        .select({ trialId: trialIntermediate.trialId, step: trialIntermediate.step, metrics: trialIntermediate.metrics })
        .from(trialIntermediate)
        .innerJoin(trials, eq(trials.id, trialIntermediate.trialId))
        .where(ofStudy)
        .orderBy(asc(trialIntermediate.trialId), asc(trialIntermediate.step))
        .prepare(),
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

    this.writes = new SqliteTrialWrites(this.client, (options.statements ?? drizzleTrialStatements)(this.db, this.client));
    this.artifacts = new SqliteArtifacts(this.client, this.db);
  }

  // ---- studies ----

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    this.checkOpen();
    checkNewStudy(study);
    const createdAt = new Date().toISOString();
    const write = this.client.transaction(() => {
      if (this.queries.studyId.get({ name: study.name })) {
        throw new StorageError(`study name must be unique, '${study.name}' already exists in ${this.location}`);
      }
      this.db
        .insert(studies)
        .values(newStudyRow(study, createdAt))
        .run();
    });
    write.immediate();
    return (await this.getStudy(study.name))!;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    this.checkOpen();
    const row = this.queries.study.get({ name });
    if (!row) return null;
    return studyRecord(row, this.queries.studyAttrs.all({ studyId: row.id }));
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
    return studySummaries(rows, attrs, counts);
  }

  async setStudyAttr(name: string, key: string, value: string): Promise<void> {
    this.checkOpen();
    if (typeof value !== 'string') throw new StorageError(`study attribute '${key}' must be a string, got ${typeof value}`);
    const studyId = this.studyId(name);
    this.queries.setStudyAttr.run({ studyId, key, value });
  }

  async deleteStudyAttr(name: string, key: string): Promise<void> {
    this.checkOpen();
    const studyId = this.studyId(name);
    this.queries.deleteStudyAttr.run({ studyId, key });
  }

  async renameStudy(from: string, to: string): Promise<StudyRecord> {
    this.checkOpen();
    if (typeof to !== 'string' || to.trim() === '') throw new StorageError(`study name must be a non-empty string, got ${JSON.stringify(to)}`);
    const studyId = this.studyId(from);
    const write = this.client.transaction(() => {
      if (this.queries.studyId.get({ name: to })) throw new StorageError(`study name must be unique, '${to}' already exists in ${this.location}`);
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
    const args = this.startArgs(study, params, { owner: null, worker, leaseMs: 0 });
    return runningSnapshot(study, this.writes.start(args), params, args);
  }

  async tryStartTrial(study: string, params: Params, lease: Lease, limits: StartLimits = {}): Promise<Trial | StartRefusal> {
    this.checkOpen();
    const args = this.startArgs(study, params, lease);
    const number = this.writes.tryStart(args, limits);
    return typeof number === 'number' ? runningSnapshot(study, number, params, args) : number;
  }

  async enqueueTrial(study: string, params: Params): Promise<Trial> {
    this.checkOpen();
    const number = this.writes.enqueue(this.studyId(study), JSON.stringify(params));
    return (await this.getTrial(study, number))!;
  }

  async claimWaiting(study: string, lease: Lease): Promise<Trial | null> {
    this.checkOpen();
    return this.writes.claim(study, this.studyId(study), lease, new Date());
  }

  async heartbeat(study: string, owner: string, leaseMs: number): Promise<number[]> {
    this.checkOpen();
    return this.writes.heartbeat(this.studyId(study), owner, new Date(), leaseMs);
  }

  async recoverExpired(study: string, maxAttempts: number): Promise<Recovery> {
    this.checkOpen();
    return this.writes.recover(study, this.studyId(study), maxAttempts, new Date());
  }

  async releaseTrial(study: string, number: number, owner: string, maxAttempts: number): Promise<Recovery> {
    this.checkOpen();
    return this.writes.release(study, this.studyId(study), number, owner, maxAttempts, new Date());
  }

  async reportIntermediate(study: string, number: number, value: IntermediateValue, owner?: string): Promise<boolean> {
    this.checkOpen();
    checkIntermediate(study, number, value);
    const studyId = this.studyId(study);
    return this.writes.report(study, studyId, number, value.step, JSON.stringify(value.metrics), new Date().toISOString(), owner ?? null);
  }

  async finishTrial(study: string, number: number, result: TrialResult, owner?: string): Promise<Trial> {
    this.checkOpen();
    const studyId = this.studyId(study);
    return this.writes.finish(study, finishArgs(study, studyId, number, result, owner));
  }

  async getTrials(study: string, states?: readonly TrialState[]): Promise<Trial[]> {
    this.checkOpen();
    const studyId = this.studyId(study);
    if (states && states.length === 0) return [];
    // Two queries whatever the number of trials: the trials, then all their intermediates, in one snapshot.
    // A state filter has a variable number of values, so that query is built per call.
    const read = this.client.transaction(() => {
      if (!states) return { rows: this.queries.trials.all({ studyId }), inter: this.queries.intermediates.all({ studyId }) };
      const filter = and(eq(trials.studyId, studyId), inArray(trials.state, [...states]));
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
    return trialsWithIntermediates(study, rows, inter);
  }

  async getTrial(study: string, number: number): Promise<Trial | null> {
    this.checkOpen();
    const studyId = this.studyId(study);
    const read = this.client.transaction(() => {
      const row = this.queries.trial.get({ studyId, number });
      return row ? { row, inter: this.queries.intermediatesOf.all({ trialId: row.id }) } : null;
    });
    const found = read.deferred();
    if (!found) return null;
    return freezeTrial(study, found.row, parseJson<Attrs>(found.row.attrs), found.inter.map(parseIntermediate));
  }

  // ---- artifacts ----

  async getArtifact(study: string, key: string): Promise<Uint8Array | null> {
    this.checkOpen();
    return this.artifacts.get(this.studyId(study), key);
  }

  async claimArtifact(study: string, key: string, owner: string, leaseMs: number): Promise<ArtifactClaim> {
    this.checkOpen();
    return this.artifacts.claim(this.studyId(study), key, owner, new Date(), leaseMs);
  }

  async putArtifact(study: string, key: string, data: Uint8Array): Promise<boolean> {
    this.checkOpen();
    return this.artifacts.put(this.studyId(study), key, data, new Date());
  }

  async releaseArtifact(study: string, key: string, owner: string): Promise<void> {
    this.checkOpen();
    this.artifacts.release(this.studyId(study), key, owner);
  }

  async externalVersion(): Promise<number> {
    this.checkOpen();
    return this.client.pragma('data_version', { simple: true }) as number;
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

  private startArgs(study: string, params: Params, lease: { owner: string | null; worker: number | null; leaseMs: number }): StartArgs {
    const now = new Date();
    return {
      studyId: this.studyId(study),
      params: JSON.stringify(params),
      worker: lease.worker,
      owner: lease.owner,
      now: now.toISOString(),
      leaseUntil: lease.owner === null ? null : new Date(now.getTime() + lease.leaseMs).toISOString(),
    };
  }

  private studyId(name: string): number {
    const cached = this.studyIds.get(name);
    if (cached !== undefined) return cached;
    const row = this.queries.studyId.get({ name });
    if (!row) throw new NotFoundError(`no study named '${name}' in ${this.location}`);
    this.studyIds.set(name, row.id);
    return row.id;
  }
}

function runningSnapshot(study: string, number: number, params: Params, args: StartArgs): Trial {
  return Object.freeze({
    study,
    number,
    state: 'running',
    params: Object.freeze({ ...params }),
    metrics: null,
    attrs: EMPTY,
    intermediate: EMPTY_LIST,
    error: null,
    worker: args.worker,
    attempt: 1,
    interrupted: false,
    owner: args.owner,
    startedAt: args.now,
    finishedAt: null,
  });
}
