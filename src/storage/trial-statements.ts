/**
 * The statements behind SQLite's trial state changes (sqlite-trials.ts), as drizzle queries on
 * schema.ts prepared once. Each does its check and its write in one statement where SQL allows
 * (INSERT…SELECT, UPDATE…WHERE state…RETURNING): every statement saved is a B-tree walk saved per
 * trial. `sql` appears only for what drizzle's builder has no words for (max()+1, json_patch,
 * "placeholder IS NULL"); bench:storage and bench:loop measure these against the same SQL written
 * raw (bench/raw-trial-statements.ts). The two conditional-start checks stay raw: see countBudget.
 */
import { and, asc, eq, getTableColumns, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { snapshotColumns, type TrialColumns } from './snapshot.js';
import { trialIntermediate, trials } from './schema.js';

// Type aliases, not interfaces: drizzle's prepared queries take Record<string, unknown>.
export type StartArgs = {
  studyId: number;
  params: string;
  worker: number | null;
  owner: string | null;
  now: string;
  leaseUntil: string | null;
};
export type FinishArgs = {
  studyId: number;
  number: number;
  state: string;
  metrics: string | null;
  attrs: string;
  error: string | null;
  now: string;
  owner: string | null;
};

/** A trial as the statements return it: a snapshot's columns plus its row id and attrs text. */
export type TrialStatementRow = TrialColumns & { id: number; attrs: string };

/** Prepared statements, as both drizzle's prepared queries and better-sqlite3's statements serve them. */
interface Query<P, R> {
  get(params: P): R | undefined;
  all(params: P): R[];
}
interface Command<P> {
  run(params: P): unknown;
}

type Row = TrialStatementRow;
export interface TrialStatements {
  insertRunning: Query<StartArgs, { number: number }>;
  insertWaiting: Query<{ studyId: number; params: string }, { number: number }>;
  countBudget: Query<{ studyId: number }, { n: number }>;
  sameParams: Query<{ studyId: number; params: string }, { one: number }>;
  claim: Query<{ studyId: number; owner: string; worker: number | null; now: string; leaseUntil: string }, Row>;
  heartbeat: Query<{ studyId: number; owner: string; now: string; leaseUntil: string }, { number: number }>;
  expired: Query<{ studyId: number; now: string }, { id: number; number: number; attempt: number }>;
  held: Query<{ studyId: number; number: number; owner: string }, { id: number; attempt: number }>;
  requeue: Query<{ id: number }, Row>;
  failInterrupted: Query<{ id: number; error: string; now: string }, Row>;
  dropIntermediates: Command<{ trialId: number }>;
  finish: Query<FinishArgs, Row>;
  intermediatesOf: Query<{ trialId: number }, { step: number; metrics: string }>;
  beat: Query<{ studyId: number; number: number; now: string; owner: string | null }, { id: number }>;
  upsertIntermediate: Command<{ trialId: number; step: number; metrics: string }>;
  state: Query<{ studyId: number; number: number }, { state: string }>;
}

/** A named placeholder as an SQL value (drizzle's `set`, select lists and `sql` take it this way). */
const p = (name: string): SQL => sql`${sql.placeholder(name)}`;

const SNAPSHOT = snapshotColumns(trials);

/**
 * INSERT…SELECT of a new trial with the next dense number, in one statement under the write lock.
 * drizzle's insert-select wants every column, in the table's order: the unset ones are NULL or
 * their default, spelled out here.
 */
function insertNext(db: BetterSQLite3Database, values: Partial<Record<keyof typeof trials.$inferInsert, SQL>>) {
  const columns = getTableColumns(trials);
  const all: Partial<Record<keyof typeof columns, SQL>> = {
    ...values,
    number: sql`coalesce(max(${trials.number}) + 1, 0)`,
    studyId: p('studyId'),
  };
  const fields = Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      (all[key as keyof typeof columns] ?? (typeof column.default === 'number' ? sql.raw(String(column.default)) : sql`NULL`)).as(column.name),
    ]),
  ) as Record<keyof typeof columns, SQL.Aliased>;
  return db
    .insert(trials)
    .select(db.select(fields).from(trials).where(eq(trials.studyId, sql.placeholder('studyId'))))
    .returning({ number: trials.number })
    .prepare();
}

export function drizzleTrialStatements(db: BetterSQLite3Database, client: Database.Database): TrialStatements {
  const ofStudy = eq(trials.studyId, sql.placeholder('studyId'));
  const byNumber = and(ofStudy, eq(trials.number, sql.placeholder('number')));
  const ownerOrAny = or(sql`${sql.placeholder('owner')} IS NULL`, eq(trials.owner, sql.placeholder('owner')));
  const firstWaiting = db
    .select({ id: trials.id })
    .from(trials)
    .where(and(ofStudy, eq(trials.state, 'waiting')))
    .orderBy(asc(trials.number))
    .limit(1);
  return {
    insertRunning: insertNext(db, {
      state: sql`'running'`,
      params: p('params'),
      attrs: sql`'{}'`,
      worker: p('worker'),
      owner: p('owner'),
      heartbeat: p('now'),
      leaseUntil: p('leaseUntil'),
      startedAt: p('now'),
      attempt: sql`1`,
    }),
    insertWaiting: insertNext(db, { state: sql`'waiting'`, params: p('params'), attrs: sql`'{}'`, attempt: sql`0` }),
    /**
     * Trials counting toward the budget (see countsTowardBudget in src/study/trial.ts): numbers
     * are dense, so all trials are max(number) + 1, less the interrupted ones (a partial index).
     * This and sameParams, the conditional start's checks, stay raw SQL: as drizzle queries they
     * cost 2.6-3.3 µs against 1.9-2.1 µs and 9.6-9.8 µs against 2.4-2.6 µs per call (20,000 calls,
     * in memory), which made tryStartTrial 30% dearer (docs/benchmarks.md#storage-hot-paths).
     */
    countBudget: client.prepare<{ studyId: number }, { n: number }>(
      `SELECT coalesce((SELECT max(number) + 1 FROM trials WHERE study_id = @studyId), 0)
         - (SELECT count(*) FROM trials WHERE study_id = @studyId AND interrupted = 1) AS n`,
    ),
    sameParams: client.prepare<{ studyId: number; params: string }, { one: number }>(
      'SELECT 1 AS one FROM trials WHERE study_id = @studyId AND params = @params LIMIT 1',
    ),
    claim: db
      .update(trials)
      .set({
        state: 'running',
        owner: p('owner'),
        worker: p('worker'),
        attempt: sql`${trials.attempt} + 1`,
        startedAt: p('now'),
        heartbeat: p('now'),
        leaseUntil: p('leaseUntil'),
      })
      .where(eq(trials.id, sql`(${firstWaiting})`))
      .returning(SNAPSHOT)
      .prepare(),
    heartbeat: db
      .update(trials)
      .set({ heartbeat: p('now'), leaseUntil: p('leaseUntil') })
      .where(and(ofStudy, eq(trials.owner, sql.placeholder('owner')), eq(trials.state, 'running')))
      .returning({ number: trials.number })
      .prepare(),
    expired: db
      .select({ id: trials.id, number: trials.number, attempt: trials.attempt })
      .from(trials)
      .where(and(ofStudy, eq(trials.state, 'running'), lt(sql`coalesce(${trials.leaseUntil}, ${trials.heartbeat}, ${trials.startedAt})`, sql.placeholder('now'))))
      .prepare(),
    held: db
      .select({ id: trials.id, attempt: trials.attempt })
      .from(trials)
      .where(and(byNumber, eq(trials.state, 'running'), eq(trials.owner, sql.placeholder('owner'))))
      .prepare(),
    requeue: db
      .update(trials)
      .set({ state: 'waiting', owner: null, worker: null, heartbeat: null, leaseUntil: null, startedAt: null })
      .where(eq(trials.id, sql.placeholder('id')))
      .returning(SNAPSHOT)
      .prepare(),
    failInterrupted: db
      .update(trials)
      .set({ state: 'failed', interrupted: 1, error: p('error'), finishedAt: p('now'), leaseUntil: null })
      .where(eq(trials.id, sql.placeholder('id')))
      .returning(SNAPSHOT)
      .prepare(),
    /** An abandoned attempt's intermediate values would be mixed with the next attempt's. */
    dropIntermediates: db.delete(trialIntermediate).where(eq(trialIntermediate.trialId, sql.placeholder('trialId'))).prepare(),
    /** Finishes only an unfinished trial (held by `owner` when given); no row back: refused. */
    finish: db
      .update(trials)
      .set({
        state: p('state'),
        metrics: p('metrics'),
        attrs: sql`json_patch(${trials.attrs}, ${sql.placeholder('attrs')})`,
        error: p('error'),
        finishedAt: p('now'),
        leaseUntil: null,
      })
      .where(and(byNumber, inArray(trials.state, ['waiting', 'running']), ownerOrAny))
      .returning(SNAPSHOT)
      .prepare(),
    intermediatesOf: db
      .select({ step: trialIntermediate.step, metrics: trialIntermediate.metrics })
      .from(trialIntermediate)
      .where(eq(trialIntermediate.trialId, sql.placeholder('trialId')))
      .orderBy(asc(trialIntermediate.step))
      .prepare(),
    /** A running trial's heartbeat on an intermediate report; no row back means not running (or not owner's). */
    beat: db
      .update(trials)
      .set({ heartbeat: p('now') })
      .where(and(byNumber, eq(trials.state, 'running'), ownerOrAny))
      .returning({ id: trials.id })
      .prepare(),
    upsertIntermediate: db
      .insert(trialIntermediate)
      .values({ trialId: sql.placeholder('trialId'), step: sql.placeholder('step'), metrics: sql.placeholder('metrics') })
      .onConflictDoUpdate({ target: [trialIntermediate.trialId, trialIntermediate.step], set: { metrics: sql`excluded.metrics` } })
      .prepare(),
    state: db.select({ state: trials.state }).from(trials).where(byNumber).prepare(),
  };
}
