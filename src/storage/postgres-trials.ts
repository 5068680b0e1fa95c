/**
 * PostgreSQL's trial state changes, each one transaction (drizzle's node-postgres `transaction`,
 * READ COMMITTED). The locking that makes them safe across machines is explained in postgres.ts:
 * a trial is added only while its study's row is locked; waiting trials are claimed and expired
 * ones recovered with FOR UPDATE SKIP LOCKED; every other change is one UPDATE whose WHERE clause
 * is its check (state, owner), which PostgreSQL re-evaluates on the row it finally updates.
 */
import { and, asc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { LeaseLostError, NotFoundError, StorageError } from '../errors.js';
import type { Attrs, Lease, Recovery, StartLimits, StartRefusal, Trial } from '../study/index.js';
import { studies, trialIntermediate, trials } from './pg-schema.js';
import { freezeTrial, parseIntermediate, parseJson, snapshotColumns } from './snapshot.js';
import type { FinishArgs, TrialStatementRow as Row } from './trial-statements.js';

/** A transaction or the pool: both run drizzle queries. */
type Db = Pick<NodePgDatabase, 'select' | 'insert' | 'update' | 'delete'>;

const SNAPSHOT = snapshotColumns(trials);

const until = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();
const ownerOrAny = (owner: string | null): SQL | undefined => (owner === null ? undefined : eq(trials.owner, owner));

export class PostgresTrialWrites {
  constructor(private readonly db: NodePgDatabase) {}

  /** A running trial held by `lease` (or by no one, owner null), unless `limits` refuse it. */
  start(study: string, studyId: number, params: string, lease: { owner: string | null; worker: number | null; leaseMs: number }, limits: StartLimits): Promise<Trial | StartRefusal> {
    return this.db.transaction(async (tx) => {
      const { next, budgetUsed, same } = await lockStudy(tx, studyId, limits.unique ? params : null);
      if (limits.budget !== undefined && budgetUsed >= limits.budget) return { refused: 'budget' } as const;
      if (same) return { refused: 'duplicate' } as const;
      const now = new Date();
      const [row] = await tx
        .insert(trials)
        .values({
          studyId,
          number: next,
          state: 'running',
          params,
          attrs: '{}',
          worker: lease.worker,
          owner: lease.owner,
          heartbeat: now.toISOString(),
          leaseUntil: lease.owner === null ? null : until(now, lease.leaseMs),
          startedAt: now.toISOString(),
          attempt: 1,
        })
        .returning(SNAPSHOT);
      return freezeTrial(study, row!, {}, []);
    });
  }

  enqueue(study: string, studyId: number, params: string): Promise<Trial> {
    return this.db.transaction(async (tx) => {
      const { next } = await lockStudy(tx, studyId, null);
      const [row] = await tx.insert(trials).values({ studyId, number: next, state: 'waiting', params, attrs: '{}', attempt: 0 }).returning(SNAPSHOT);
      return freezeTrial(study, row!, {}, []);
    });
  }

  /**
   * The lowest-numbered waiting trial nobody else is claiming right now: one UPDATE whose subquery
   * skips rows other claimers hold locked. No transaction around it: a claimed trial has no
   * intermediate values yet, and only its new owner can add any.
   */
  async claim(study: string, studyId: number, lease: Lease, now: Date): Promise<Trial | null> {
    const first = this.db
      .select({ id: trials.id })
      .from(trials)
      .where(and(eq(trials.studyId, studyId), eq(trials.state, 'waiting')))
      .orderBy(asc(trials.number))
      .limit(1)
      .for('update', { skipLocked: true });
    const [row] = await this.db
      .update(trials)
      .set({
        state: 'running',
        owner: lease.owner,
        worker: lease.worker,
        attempt: sql`${trials.attempt} + 1`,
        startedAt: now.toISOString(),
        heartbeat: now.toISOString(),
        leaseUntil: until(now, lease.leaseMs),
      })
      .where(and(eq(trials.id, sql`(${first})`), eq(trials.state, 'waiting')))
      .returning(SNAPSHOT);
    return row ? snapshot(this.db, study, row) : null;
  }

  async heartbeat(studyId: number, owner: string, now: Date, leaseMs: number): Promise<number[]> {
    const rows = await this.db
      .update(trials)
      .set({ heartbeat: now.toISOString(), leaseUntil: until(now, leaseMs) })
      .where(and(eq(trials.studyId, studyId), eq(trials.owner, owner), eq(trials.state, 'running')))
      .returning({ number: trials.number });
    return rows.map((r) => r.number).sort((a, b) => a - b);
  }

  recover(study: string, studyId: number, maxAttempts: number, now: Date): Promise<Recovery> {
    return this.db.transaction(async (tx) => {
      const expired = await tx
        .select({ id: trials.id, attempt: trials.attempt })
        .from(trials)
        .where(and(eq(trials.studyId, studyId), eq(trials.state, 'running'), lt(sql`coalesce(${trials.leaseUntil}, ${trials.heartbeat}, ${trials.startedAt})`, now.toISOString())))
        .orderBy(asc(trials.number))
        .for('update', { skipLocked: true });
      const out = { requeued: [] as Trial[], failed: [] as Trial[] };
      for (const trial of expired) await giveBack(tx, study, trial, maxAttempts, 'the process running it stopped renewing its lease', now, out);
      return out;
    });
  }

  release(study: string, studyId: number, number: number, owner: string, maxAttempts: number, now: Date): Promise<Recovery> {
    return this.db.transaction(async (tx) => {
      const [trial] = await tx
        .select({ id: trials.id, attempt: trials.attempt })
        .from(trials)
        .where(and(eq(trials.studyId, studyId), eq(trials.number, number), eq(trials.state, 'running'), eq(trials.owner, owner)))
        .for('update');
      if (!trial) {
        const state = await stateOf(tx, study, studyId, number);
        throw new LeaseLostError(`study '${study}' trial ${number}: not held by this process any more (it is ${state})`);
      }
      const out = { requeued: [] as Trial[], failed: [] as Trial[] };
      await giveBack(tx, study, trial, maxAttempts, 'its run was stopped before it finished', now, out);
      return out;
    });
  }

  /**
   * One UPDATE decides; no transaction around it: the intermediate values read after it cannot
   * change any more (only a running trial takes reports).
   */
  async finish(study: string, args: FinishArgs): Promise<Trial> {
    const [row] = await this.db
      .update(trials)
      .set({
        state: args.state,
        metrics: args.metrics,
        attrs: sql`(${trials.attrs}::jsonb || ${args.attrs}::jsonb)::text`,
        error: args.error,
        finishedAt: args.now,
        leaseUntil: null,
      })
      .where(and(eq(trials.studyId, args.studyId), eq(trials.number, args.number), inArray(trials.state, ['waiting', 'running']), ownerOrAny(args.owner)))
      .returning(SNAPSHOT);
    if (row) return snapshot(this.db, study, row);
    const state = await stateOf(this.db, study, args.studyId, args.number);
    if (args.owner !== null) {
      throw new LeaseLostError(`study '${study}' trial ${args.number}: not held by this process any more (its lease expired; it is ${state})`);
    }
    throw new StorageError(`study '${study}' trial ${args.number}: a finished trial is immutable, it is already ${state}`);
  }

  report(study: string, studyId: number, number: number, step: number, metrics: string, now: string, owner: string | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(trials)
        .set({ heartbeat: now })
        .where(and(eq(trials.studyId, studyId), eq(trials.number, number), eq(trials.state, 'running'), ownerOrAny(owner)))
        .returning({ id: trials.id });
      if (!row) {
        await stateOf(tx, study, studyId, number);
        return false;
      }
      await tx
        .insert(trialIntermediate)
        .values({ trialId: row.id, step, metrics })
        .onConflictDoUpdate({ target: [trialIntermediate.trialId, trialIntermediate.step], set: { metrics: sql`excluded.metrics` } });
      return true;
    });
  }

  /** One trial with its intermediate values, or null. */
  async snapshotOf(db: Db, study: string, studyId: number, number: number): Promise<Trial | null> {
    const [row] = await db.select(SNAPSHOT).from(trials).where(and(eq(trials.studyId, studyId), eq(trials.number, number)));
    return row ? snapshot(db, study, row) : null;
  }
}

/**
 * Locks the study's row for the rest of the transaction, then reads the next trial number and the
 * trials counting toward the budget (numbers are dense: all of them less the interrupted ones).
 */
async function lockStudy(tx: Db, studyId: number, params: string | null): Promise<{ next: number; budgetUsed: number; same: boolean }> {
  const locked = await tx.select({ id: studies.id }).from(studies).where(eq(studies.id, studyId)).for('update');
  if (locked.length === 0) throw new NotFoundError(`no study with id ${studyId} (deleted by another process?)`);
  // One round trip, three index lookups (the number index, the partial index on interrupted
  // trials, the params index); a separate statement from the lock, so that its snapshot is taken
  // after the lock and sees every trial committed before it.
  const ofStudy = sql`${trials.studyId} = ${studyId}`;
  const [counts] = await tx.select({
    next: sql<number>`(SELECT coalesce(max(${trials.number}) + 1, 0) FROM ${trials} WHERE ${ofStudy})::int`,
    interrupted: sql<number>`(SELECT count(*) FROM ${trials} WHERE ${ofStudy} AND ${trials.interrupted} = 1)::int`,
    same: params === null ? sql<boolean>`false` : sql<boolean>`EXISTS (SELECT 1 FROM ${trials} WHERE ${ofStudy} AND ${trials.params} = ${params})`,
  }).from(sql`(SELECT 1) AS one`);
  return { next: counts!.next, budgetUsed: counts!.next - counts!.interrupted, same: counts!.same };
}

async function snapshot(db: Db, study: string, row: Row): Promise<Trial> {
  const inter = await db
    .select({ step: trialIntermediate.step, metrics: trialIntermediate.metrics })
    .from(trialIntermediate)
    .where(eq(trialIntermediate.trialId, row.id))
    .orderBy(asc(trialIntermediate.step));
  return freezeTrial(study, row, parseJson<Attrs>(row.attrs), inter.map(parseIntermediate));
}

/** The state of a trial that could not be changed; NotFoundError when it does not exist. */
async function stateOf(db: Db, study: string, studyId: number, number: number): Promise<string> {
  const [row] = await db.select({ state: trials.state }).from(trials).where(and(eq(trials.studyId, studyId), eq(trials.number, number)));
  if (!row) throw new NotFoundError(`study '${study}' has no trial ${number}`);
  return row.state;
}

/** Back to waiting, or failed as interrupted after its last allowed attempt (same rule as SQLite's). */
async function giveBack(tx: Db, study: string, trial: { id: number; attempt: number }, maxAttempts: number, why: string, now: Date, into: { requeued: Trial[]; failed: Trial[] }): Promise<void> {
  await tx.delete(trialIntermediate).where(eq(trialIntermediate.trialId, trial.id));
  if (trial.attempt >= maxAttempts) {
    const error = `interrupted: ${why} (attempt ${trial.attempt} of ${maxAttempts})`;
    const [row] = await tx
      .update(trials)
      .set({ state: 'failed', interrupted: 1, error, finishedAt: now.toISOString(), leaseUntil: null })
      .where(eq(trials.id, trial.id))
      .returning(SNAPSHOT);
    into.failed.push(await snapshot(tx, study, row!));
  } else {
    const [row] = await tx
      .update(trials)
      .set({ state: 'waiting', owner: null, worker: null, heartbeat: null, leaseUntil: null, startedAt: null })
      .where(eq(trials.id, trial.id))
      .returning(SNAPSHOT);
    into.requeued.push(await snapshot(tx, study, row!));
  }
}
