/**
 * PostgreSQL storage: drizzle-orm over node-postgres (`pg`), for studies shared by many machines
 * (`--storage postgres://user:password@host:5432/db`). Same contract as SQLite's; what differs is how
 * the rules that span processes are decided, since writers are now concurrent:
 *
 * - Trial numbers, the joint budget and the duplicate-parameter check: every transaction that adds
 *   a trial first locks the study's row (SELECT … FOR UPDATE), then reads max(number) and the budget
 *   count and inserts; under READ COMMITTED each statement after the lock sees every earlier
 *   committer's trial. Chosen over SERIALIZABLE with retries: adding a trial is a few ms, the lock
 *   is per study, and nothing has to be retried (the unique (study, number) index stays as a guard).
 * - Queued trials are claimed with UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED): two
 *   machines claiming at once take different trials without waiting for each other.
 * - Recovery of expired leases locks the rows it recovers (SKIP LOCKED: another process is at it).
 *
 * A small pool per process (POOL_SIZE connections): the loop, its heartbeat and the live report.
 * Trial state changes are in postgres-trials.ts, study artifacts in postgres-artifacts.ts.
 */
import pg from 'pg';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { NotFoundError, StorageError, SweetspotError } from '../errors.js';
import type { Params } from '../space/index.js';
import {
  type ArtifactClaim,
  type IntermediateValue,
  type Lease,
  type NewStudy,
  type Recovery,
  type StartLimits,
  type StartRefusal,
  type Storage,
  type StudyRecord,
  type StudySummary,
  type Trial,
  type TrialResult,
  type TrialState,
} from '../study/index.js';
import { redactLocation, urlPassword } from './location.js';
import { migratePostgres } from './pg-migrate.js';
import { studies, studyAttrs, trialIntermediate, trials } from './pg-schema.js';
import { PostgresArtifacts } from './postgres-artifacts.js';
import { PostgresTrialWrites } from './postgres-trials.js';
import { checkIntermediate, checkNewStudy, finishArgs, newStudyRow, studyRecord, studySummaries, trialsWithIntermediates } from './snapshot.js';

/**
 * Connections each process opens at most: one for the loop's transaction, one for what runs beside
 * it (heartbeat, live report, the change counter). A study of N worker processes uses N × POOL_SIZE.
 */
export const POOL_SIZE = 2;

export interface PostgresOptions {
  /** Create the tables in an empty database (`run`); read-only commands pass false. */
  create?: boolean;
}

export class PostgresStorage implements Storage {
  /** The URL with its password masked: what messages show. */
  readonly location: string;
  private readonly studyIds = new Map<string, number>();
  private closed = false;
  /** Last value of the change sequence this process accounted for, and the count of others' writes seen. */
  private seenChange = 0;
  private externalChanges = 0;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly db: NodePgDatabase,
    location: string,
    private readonly writes: PostgresTrialWrites,
    private readonly artifacts: PostgresArtifacts,
    private readonly scrub: (message: string) => string,
  ) {
    this.location = location;
  }

  /**
   * Connects to `url`, checks that the server answers with these credentials, and migrates the
   * schema. Errors name the redacted URL and the cause, never the password.
   */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
    const location = redactLocation(url);
    const password = urlPassword(url);
    const scrub = (message: string): string => (password ? message.split(password).join('***') : message);
    const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: 10_000, application_name: 'sweetspot' });
    // An idle connection the server drops (restart, network) emits here; the next query reports the cause.
    pool.on('error', () => undefined);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      await pool.end().catch(() => undefined);
      throw new StorageError(`--storage ${location}: cannot connect to PostgreSQL: ${scrub(describe(cause))}`, { cause: scrubbed(cause, scrub) });
    }
    try {
      await migratePostgres(client, location, { create: options.create ?? false });
    } catch (cause) {
      client.release();
      await pool.end().catch(() => undefined);
      if (cause instanceof StorageError) throw new StorageError(scrub(cause.message));
      throw new StorageError(`--storage ${location}: cannot prepare the database: ${scrub(describe(cause))}`, { cause: scrubbed(cause, scrub) });
    }
    client.release();
    const db = drizzle({ client: pool });
    const storage = new PostgresStorage(pool, db, location, new PostgresTrialWrites(db), new PostgresArtifacts(db), scrub);
    storage.seenChange = await storage.currentChange();
    return storage;
  }

  // ---- studies ----

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    this.checkOpen();
    checkNewStudy(study);
    const rows = await this.write(() =>
      this.db
        .insert(studies)
        .values(newStudyRow(study, new Date().toISOString()))
        .onConflictDoNothing({ target: studies.name })
        .returning({ id: studies.id }),
    );
    if (rows.length === 0) throw new StorageError(`study name must be unique, '${study.name}' already exists in ${this.location}`);
    return (await this.getStudy(study.name))!;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    this.checkOpen();
    return this.read(async () => {
      const [row] = await this.db.select().from(studies).where(eq(studies.name, name));
      if (!row) return null;
      const attrs = await this.db.select({ key: studyAttrs.key, value: studyAttrs.value }).from(studyAttrs).where(eq(studyAttrs.studyId, row.id));
      return studyRecord(row, attrs);
    });
  }

  async listStudies(): Promise<StudySummary[]> {
    this.checkOpen();
    const { rows, attrs, counts } = await this.read(() =>
      this.db.transaction(
        async (tx) => {
          const rows = await tx.select().from(studies).orderBy(asc(studies.id));
          const attrs = await tx.select().from(studyAttrs);
          const counts = await tx
            .select({
              studyId: trials.studyId,
              state: trials.state,
              n: sql<number>`count(*)::int`,
              last: sql<string>`max(greatest(coalesce(${trials.finishedAt}, ''), coalesce(${trials.heartbeat}, ''), coalesce(${trials.startedAt}, '')))`,
            })
            .from(trials)
            .groupBy(trials.studyId, trials.state);
          return { rows, attrs, counts };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      ),
    );
    return studySummaries(rows, attrs, counts);
  }

  async setStudyAttr(name: string, key: string, value: string): Promise<void> {
    this.checkOpen();
    if (typeof value !== 'string') throw new StorageError(`study attribute '${key}' must be a string, got ${typeof value}`);
    const studyId = await this.studyId(name);
    await this.write(() =>
      this.db
        .insert(studyAttrs)
        .values({ studyId, key, value })
        .onConflictDoUpdate({ target: [studyAttrs.studyId, studyAttrs.key], set: { value: sql`excluded.value` } }),
    );
  }

  async deleteStudyAttr(name: string, key: string): Promise<void> {
    this.checkOpen();
    const studyId = await this.studyId(name);
    await this.write(() => this.db.delete(studyAttrs).where(and(eq(studyAttrs.studyId, studyId), eq(studyAttrs.key, key))));
  }

  async renameStudy(from: string, to: string): Promise<StudyRecord> {
    this.checkOpen();
    if (typeof to !== 'string' || to.trim() === '') throw new StorageError(`study name must be a non-empty string, got ${JSON.stringify(to)}`);
    const studyId = await this.studyId(from);
    try {
      await this.write(() => this.db.update(studies).set({ name: to }).where(eq(studies.id, studyId)));
    } catch (err) {
      if ((err as { code?: string }).code === '23505' || /unique/i.test(String((err as Error).message))) {
        throw new StorageError(`study name must be unique, '${to}' already exists in ${this.location}`);
      }
      throw err;
    }
    this.studyIds.delete(from);
    return (await this.getStudy(to))!;
  }

  async deleteStudy(name: string): Promise<void> {
    this.checkOpen();
    const studyId = await this.studyId(name);
    // ON DELETE CASCADE: attributes, trials and their intermediate values go with the study.
    await this.write(() => this.db.delete(studies).where(eq(studies.id, studyId)));
    this.studyIds.delete(name);
  }

  // ---- trials ----

  async startTrial(study: string, params: Params, worker: number | null): Promise<Trial> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    const result = await this.write(() => this.writes.start(study, studyId, JSON.stringify(params), { owner: null, worker, leaseMs: 0 }, {}));
    return result as Trial;
  }

  async tryStartTrial(study: string, params: Params, lease: Lease, limits: StartLimits = {}): Promise<Trial | StartRefusal> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.write(() => this.writes.start(study, studyId, JSON.stringify(params), lease, limits));
  }

  async enqueueTrial(study: string, params: Params): Promise<Trial> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.write(() => this.writes.enqueue(study, studyId, JSON.stringify(params)));
  }

  async claimWaiting(study: string, lease: Lease): Promise<Trial | null> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.write(() => this.writes.claim(study, studyId, lease, new Date()), (trial) => trial !== null);
  }

  async heartbeat(study: string, owner: string, leaseMs: number): Promise<number[]> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    // No change number: a lease's end is in no snapshot, so other processes need not re-read for it.
    return this.read(() => this.writes.heartbeat(studyId, owner, new Date(), leaseMs));
  }

  async recoverExpired(study: string, maxAttempts: number): Promise<Recovery> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.write(() => this.writes.recover(study, studyId, maxAttempts, new Date()), (r) => r.requeued.length + r.failed.length > 0);
  }

  async releaseTrial(study: string, number: number, owner: string, maxAttempts: number): Promise<Recovery> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.write(() => this.writes.release(study, studyId, number, owner, maxAttempts, new Date()));
  }

  async reportIntermediate(study: string, number: number, value: IntermediateValue, owner?: string): Promise<boolean> {
    this.checkOpen();
    checkIntermediate(study, number, value);
    const studyId = await this.studyId(study);
    return this.write(() => this.writes.report(study, studyId, number, value.step, JSON.stringify(value.metrics), new Date().toISOString(), owner ?? null));
  }

  async finishTrial(study: string, number: number, result: TrialResult, owner?: string): Promise<Trial> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.write(() =>
      this.writes.finish(study, finishArgs(study, studyId, number, result, owner)),
    );
  }

  async getTrials(study: string, states?: readonly TrialState[]): Promise<Trial[]> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    if (states && states.length === 0) return [];
    const filter = states ? and(eq(trials.studyId, studyId), inArray(trials.state, [...states])) : eq(trials.studyId, studyId);
    // Two queries whatever the number of trials, in one snapshot: the trials, then all their intermediates.
    const { rows, inter } = await this.read(() =>
      this.db.transaction(
        async (tx) => {
          const rows = await tx.select().from(trials).where(filter).orderBy(asc(trials.number));
          const inter = await tx
            .select({ trialId: trialIntermediate.trialId, step: trialIntermediate.step, metrics: trialIntermediate.metrics })
            .from(trialIntermediate)
            .innerJoin(trials, eq(trials.id, trialIntermediate.trialId))
            .where(filter)
            .orderBy(asc(trialIntermediate.trialId), asc(trialIntermediate.step));
          return { rows, inter };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      ),
    );
    return trialsWithIntermediates(study, rows, inter);
  }

  async getTrial(study: string, number: number): Promise<Trial | null> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.read(() => this.writes.snapshotOf(this.db, study, studyId, number));
  }

  // ---- artifacts (postgres-artifacts.ts) ----
  // Outside the change counter: artifacts are not part of what externalVersion tells the loop to re-read.

  async getArtifact(study: string, key: string): Promise<Uint8Array | null> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.read(() => this.artifacts.get(studyId, key));
  }

  async claimArtifact(study: string, key: string, owner: string, leaseMs: number): Promise<ArtifactClaim> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.read(() => this.artifacts.claim(studyId, key, owner, new Date(), leaseMs));
  }

  async putArtifact(study: string, key: string, data: Uint8Array): Promise<boolean> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    return this.read(() => this.artifacts.put(studyId, key, data, new Date()));
  }

  async releaseArtifact(study: string, key: string, owner: string): Promise<void> {
    this.checkOpen();
    const studyId = await this.studyId(study);
    await this.read(() => this.artifacts.release(studyId, key, owner));
  }

  /**
   * Counts other connections' writes. Every write of this class (but heartbeats, which change
   * nothing a snapshot shows) takes a number from the `sweetspot_changes` sequence after its
   * commit; the sequence only grows and is shared by all connections. A number other than the last one seen + 1 means someone else wrote in between, and
   * so does a current value other than the last one seen. Concurrent writes of this one process
   * may count as external (a spare re-read), never the reverse; a process killed between its commit
   * and its number leaves that write unseen until the next write by anyone.
   */
  async externalVersion(): Promise<number> {
    this.checkOpen();
    const current = await this.read(() => this.currentChange());
    if (current !== this.seenChange) {
      this.seenChange = current;
      this.externalChanges += 1;
    }
    return this.externalChanges;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  // ---- helpers ----

  private checkOpen(): void {
    if (this.closed) throw new StorageError(`${this.location}: storage is closed`);
  }

  private async currentChange(): Promise<number> {
    const { rows } = await this.pool.query<{ v: string }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END::text AS v FROM sweetspot_changes');
    return Number(rows[0]!.v);
  }

  /**
   * Runs a write, then takes its change number (after the commit, so a reader that sees it sees the
   * write), unless `changed` says it changed nothing (a claim that found no waiting trial).
   */
  private async write<T>(fn: () => Promise<T>, changed: (result: T) => boolean = () => true): Promise<T> {
    const result = await this.read(fn);
    if (!changed(result)) return result;
    const { rows } = await this.read(() => this.pool.query<{ v: string }>("SELECT nextval('sweetspot_changes')::text AS v"));
    const change = Number(rows[0]!.v);
    if (change !== this.seenChange + 1) this.externalChanges += 1;
    this.seenChange = Math.max(this.seenChange, change);
    return result;
  }

  /** Runs a query; a driver error becomes a StorageError that names the database, password scrubbed. */
  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SweetspotError) throw err;
      throw new StorageError(`${this.location}: ${this.scrub(describe(err))}`, { cause: scrubbed(err, this.scrub) });
    }
  }

  private async studyId(name: string): Promise<number> {
    const cached = this.studyIds.get(name);
    if (cached !== undefined) return cached;
    const [row] = await this.read(() => this.db.select({ id: studies.id }).from(studies).where(eq(studies.name, name)));
    if (!row) throw new NotFoundError(`no study named '${name}' in ${this.location}`);
    this.studyIds.set(name, row.id);
    return row.id;
  }
}

/** A driver error in one line: its message, with the cause drizzle wraps it around. */
function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { message?: string } };
  if (e?.cause?.message) return e.cause.message;
  const message = e?.message || (e?.code ? `${e.code}` : String(err));
  if (e?.code === 'ECONNREFUSED') return `connection refused (${message}); is the server running and listening there?`;
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return `host not found (${message})`;
  return message;
}

/** An error kept as a cause, with no password left in its message. */
function scrubbed(err: unknown, scrub: (m: string) => string): Error {
  return new Error(scrub(describe(err)));
}
