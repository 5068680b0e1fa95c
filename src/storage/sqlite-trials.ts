/**
 * SQLite's trial state changes: every one a transaction of one or two statements prepared once,
 * taking the write lock up front (BEGIN IMMEDIATE) so that processes sharing the file never both
 * read the same "next number", budget count or free waiting trial.
 *
 * These are plain SQL on better-sqlite3 rather than drizzle queries: each does its check and its
 * write in one statement (INSERT…SELECT, UPDATE…WHERE state…RETURNING), and every statement saved
 * is a B-tree walk saved per trial (bench:storage measures them).
 */
import type { Database } from 'better-sqlite3';
import { LeaseLostError, NotFoundError, StorageError } from '../errors.js';
import type { Attrs, Lease, Recovery, StartLimits, StartRefusal, Trial } from '../study/index.js';
import { freezeTrial, parseJson, type TrialColumns } from './snapshot.js';

/** The columns of a snapshot, as the statements below return them. */
const SNAPSHOT = `id, number, state, params, metrics, attrs, error, worker, attempt, interrupted, owner,
  started_at AS startedAt, finished_at AS finishedAt`;

type Row = TrialColumns & { id: number; attrs: string };

export interface StartArgs {
  studyId: number;
  params: string;
  worker: number | null;
  owner: string | null;
  now: string;
  leaseUntil: string | null;
}
export interface FinishArgs {
  studyId: number;
  number: number;
  state: string;
  metrics: string | null;
  attrs: string;
  error: string | null;
  now: string;
  owner: string | null;
}

export class SqliteTrialWrites {
  readonly start: (args: StartArgs) => number;
  readonly tryStart: (args: StartArgs, limits: StartLimits) => number | StartRefusal;
  readonly enqueue: (studyId: number, params: string) => number;
  readonly claim: (study: string, studyId: number, lease: Lease, now: Date) => Trial | null;
  readonly heartbeat: (studyId: number, owner: string, now: Date, leaseMs: number) => number[];
  readonly recover: (study: string, studyId: number, maxAttempts: number, now: Date) => Recovery;
  readonly release: (study: string, studyId: number, number: number, owner: string, maxAttempts: number, now: Date) => Recovery;
  readonly finish: (study: string, args: FinishArgs) => Trial;
  readonly report: (study: string, studyId: number, number: number, step: number, metrics: string, now: string, owner: string | null) => boolean;

  constructor(client: Database) {
    const statements = {
      /** Next dense number and the insert in one statement, under the write lock. */
      insertRunning: client.prepare<StartArgs, { number: number }>(
        `INSERT INTO trials (study_id, number, state, params, attrs, worker, owner, heartbeat, lease_until, started_at, attempt)
         SELECT @studyId, coalesce(max(number) + 1, 0), 'running', @params, '{}', @worker, @owner, @now, @leaseUntil, @now, 1
         FROM trials WHERE study_id = @studyId
         RETURNING number`,
      ),
      insertWaiting: client.prepare<{ studyId: number; params: string }, { number: number }>(
        `INSERT INTO trials (study_id, number, state, params, attrs, attempt)
         SELECT @studyId, coalesce(max(number) + 1, 0), 'waiting', @params, '{}', 0
         FROM trials WHERE study_id = @studyId
         RETURNING number`,
      ),
      /**
       * Trials counting toward the budget (see countsTowardBudget in src/study/trial.ts): numbers
       * are dense, so all trials are max(number) + 1, less the interrupted ones (a partial index).
       */
      countBudget: client.prepare<[number, number], { n: number }>(
        `SELECT coalesce((SELECT max(number) + 1 FROM trials WHERE study_id = ?), 0)
           - (SELECT count(*) FROM trials WHERE study_id = ? AND interrupted = 1) AS n`,
      ),
      sameParams: client.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM trials WHERE study_id = ? AND params = ? LIMIT 1'),
      claim: client.prepare<{ studyId: number; owner: string; worker: number | null; now: string; leaseUntil: string }, Row>(
        `UPDATE trials SET state = 'running', owner = @owner, worker = @worker, attempt = attempt + 1,
           started_at = @now, heartbeat = @now, lease_until = @leaseUntil
         WHERE id = (SELECT id FROM trials WHERE study_id = @studyId AND state = 'waiting' ORDER BY number LIMIT 1)
         RETURNING ${SNAPSHOT}`,
      ),
      heartbeat: client.prepare<{ studyId: number; owner: string; now: string; leaseUntil: string }, { number: number }>(
        `UPDATE trials SET heartbeat = @now, lease_until = @leaseUntil
         WHERE study_id = @studyId AND owner = @owner AND state = 'running'
         RETURNING number`,
      ),
      expired: client.prepare<{ studyId: number; now: string }, { id: number; number: number; attempt: number }>(
        `SELECT id, number, attempt FROM trials
         WHERE study_id = @studyId AND state = 'running' AND coalesce(lease_until, heartbeat, started_at) < @now`,
      ),
      held: client.prepare<{ studyId: number; number: number; owner: string }, { id: number; attempt: number }>(
        `SELECT id, attempt FROM trials WHERE study_id = @studyId AND number = @number AND state = 'running' AND owner = @owner`,
      ),
      requeue: client.prepare<[number], Row>(
        `UPDATE trials SET state = 'waiting', owner = NULL, worker = NULL, heartbeat = NULL, lease_until = NULL, started_at = NULL
         WHERE id = ? RETURNING ${SNAPSHOT}`,
      ),
      failInterrupted: client.prepare<{ id: number; error: string; now: string }, Row>(
        `UPDATE trials SET state = 'failed', interrupted = 1, error = @error, finished_at = @now, lease_until = NULL
         WHERE id = @id RETURNING ${SNAPSHOT}`,
      ),
      /** An abandoned attempt's intermediate values would be mixed with the next attempt's. */
      dropIntermediates: client.prepare<[number]>('DELETE FROM trial_intermediate WHERE trial_id = ?'),
      /** Finishes only an unfinished trial (held by `owner` when given); no row back: refused. */
      finish: client.prepare<FinishArgs, Row>(
        `UPDATE trials SET state = @state, metrics = @metrics, attrs = json_patch(attrs, @attrs), error = @error,
           finished_at = @now, lease_until = NULL
         WHERE study_id = @studyId AND number = @number AND state IN ('waiting', 'running')
           AND (@owner IS NULL OR owner = @owner)
         RETURNING ${SNAPSHOT}`,
      ),
      intermediatesOf: client.prepare<[number], { step: number; metrics: string }>(
        'SELECT step, metrics FROM trial_intermediate WHERE trial_id = ? ORDER BY step',
      ),
      /** A running trial's heartbeat on an intermediate report; no row back means not running (or not owner's). */
      beat: client.prepare<{ studyId: number; number: number; now: string; owner: string | null }, { id: number }>(
        `UPDATE trials SET heartbeat = @now
         WHERE study_id = @studyId AND number = @number AND state = 'running' AND (@owner IS NULL OR owner = @owner)
         RETURNING id`,
      ),
      upsertIntermediate: client.prepare<{ trialId: number; step: number; metrics: string }>(
        `INSERT INTO trial_intermediate (trial_id, step, metrics) VALUES (@trialId, @step, @metrics)
         ON CONFLICT (trial_id, step) DO UPDATE SET metrics = excluded.metrics`,
      ),
      state: client.prepare<[number, number], { state: string }>('SELECT state FROM trials WHERE study_id = ? AND number = ?'),
    };

    const snapshot = (study: string, row: Row): Trial =>
      freezeTrial(study, row, parseJson<Attrs>(row.attrs), statements.intermediatesOf.all(row.id).map((i) => ({ step: i.step, metrics: parseJson(i.metrics) })));
    /** The state of a trial that could not be changed; NotFoundError when it does not exist. */
    const stateOf = (study: string, studyId: number, number: number): string => {
      const row = statements.state.get(studyId, number);
      if (!row) throw new NotFoundError(`study '${study}' has no trial ${number}`);
      return row.state;
    };
    /** Back to waiting, or failed as interrupted after its last allowed attempt. */
    const giveBack = (study: string, trial: { id: number; attempt: number }, maxAttempts: number, why: string, now: Date, into: { requeued: Trial[]; failed: Trial[] }): void => {
      statements.dropIntermediates.run(trial.id);
      if (trial.attempt >= maxAttempts) {
        const error = `interrupted: ${why} (attempt ${trial.attempt} of ${maxAttempts})`;
        into.failed.push(snapshot(study, statements.failInterrupted.get({ id: trial.id, error, now: now.toISOString() })!));
      } else {
        into.requeued.push(snapshot(study, statements.requeue.get(trial.id)!));
      }
    };
    const until = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();

    this.start = client.transaction((args: StartArgs) => statements.insertRunning.get(args)!.number).immediate;
    this.tryStart = client.transaction((args: StartArgs, limits: StartLimits): number | StartRefusal => {
      if (limits.budget !== undefined && statements.countBudget.get(args.studyId, args.studyId)!.n >= limits.budget) return { refused: 'budget' };
      if (limits.unique && statements.sameParams.get(args.studyId, args.params)) return { refused: 'duplicate' };
      return statements.insertRunning.get(args)!.number;
    }).immediate;
    this.enqueue = client.transaction((studyId: number, params: string) => statements.insertWaiting.get({ studyId, params })!.number).immediate;
    this.claim = client.transaction((study: string, studyId: number, lease: Lease, now: Date): Trial | null => {
      const row = statements.claim.get({ studyId, owner: lease.owner, worker: lease.worker, now: now.toISOString(), leaseUntil: until(now, lease.leaseMs) });
      return row ? snapshot(study, row) : null;
    }).immediate;
    this.heartbeat = client.transaction((studyId: number, owner: string, now: Date, leaseMs: number) =>
      statements.heartbeat.all({ studyId, owner, now: now.toISOString(), leaseUntil: until(now, leaseMs) }).map((r) => r.number),
    ).immediate;
    this.recover = client.transaction((study: string, studyId: number, maxAttempts: number, now: Date): Recovery => {
      const out = { requeued: [] as Trial[], failed: [] as Trial[] };
      for (const trial of statements.expired.all({ studyId, now: now.toISOString() })) {
        giveBack(study, trial, maxAttempts, 'the process running it stopped renewing its lease', now, out);
      }
      return out;
    }).immediate;
    this.release = client.transaction((study: string, studyId: number, number: number, owner: string, maxAttempts: number, now: Date): Recovery => {
      const trial = statements.held.get({ studyId, number, owner });
      if (!trial) {
        const state = stateOf(study, studyId, number);
        throw new LeaseLostError(`study '${study}' trial ${number}: not held by this process any more (it is ${state})`);
      }
      const out = { requeued: [] as Trial[], failed: [] as Trial[] };
      giveBack(study, trial, maxAttempts, 'its run was stopped before it finished', now, out);
      return out;
    }).immediate;
    this.finish = client.transaction((study: string, args: FinishArgs): Trial => {
      const row = statements.finish.get(args);
      if (row) return snapshot(study, row);
      const state = stateOf(study, args.studyId, args.number);
      if (args.owner !== null) {
        throw new LeaseLostError(`study '${study}' trial ${args.number}: not held by this process any more (its lease expired; it is ${state})`);
      }
      throw new StorageError(`study '${study}' trial ${args.number}: a finished trial is immutable, it is already ${state}`);
    }).immediate;
    this.report = client.transaction((study: string, studyId: number, number: number, step: number, metrics: string, now: string, owner: string | null) => {
      const row = statements.beat.get({ studyId, number, now, owner });
      if (!row) {
        stateOf(study, studyId, number);
        return false;
      }
      statements.upsertIntermediate.run({ trialId: row.id, step, metrics });
      return true;
    }).immediate;
  }
}
