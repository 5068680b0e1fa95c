/**
 * The trial statements of src/storage/trial-statements.ts written as raw SQL on better-sqlite3,
 * as they were before the storage moved to drizzle's query builder. Only bench:storage uses them:
 * they run beside the drizzle ones in one run, so drizzle's cost on the hot path is a measured
 * ratio (the project keeps raw SQL where drizzle costs more than ~10%).
 */
import type Database from 'better-sqlite3';
import type { FinishArgs, StartArgs, TrialStatementRow as Row, TrialStatements } from '../src/storage/trial-statements.js';

const SNAPSHOT = `id, number, state, params, metrics, attrs, error, worker, attempt, interrupted, owner,
  started_at AS startedAt, finished_at AS finishedAt`;

export function rawTrialStatements(_db: unknown, client: Database.Database): TrialStatements {
return {
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
    countBudget: client.prepare<{ studyId: number }, { n: number }>(
      `SELECT coalesce((SELECT max(number) + 1 FROM trials WHERE study_id = @studyId), 0)
         - (SELECT count(*) FROM trials WHERE study_id = @studyId AND interrupted = 1) AS n`,
    ),
    sameParams: client.prepare<{ studyId: number; params: string }, { one: number }>('SELECT 1 AS one FROM trials WHERE study_id = @studyId AND params = @params LIMIT 1'),
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
    requeue: client.prepare<{ id: number }, Row>(
      `UPDATE trials SET state = 'waiting', owner = NULL, worker = NULL, heartbeat = NULL, lease_until = NULL, started_at = NULL
       WHERE id = @id RETURNING ${SNAPSHOT}`,
    ),
    failInterrupted: client.prepare<{ id: number; error: string; now: string }, Row>(
      `UPDATE trials SET state = 'failed', interrupted = 1, error = @error, finished_at = @now, lease_until = NULL
       WHERE id = @id RETURNING ${SNAPSHOT}`,
    ),
    /** An abandoned attempt's intermediate values would be mixed with the next attempt's. */
    dropIntermediates: client.prepare<{ trialId: number }>('DELETE FROM trial_intermediate WHERE trial_id = @trialId'),
    /** Finishes only an unfinished trial (held by `owner` when given); no row back: refused. */
    finish: client.prepare<FinishArgs, Row>(
      `UPDATE trials SET state = @state, metrics = @metrics, attrs = json_patch(attrs, @attrs), error = @error,
         finished_at = @now, lease_until = NULL
       WHERE study_id = @studyId AND number = @number AND state IN ('waiting', 'running')
         AND (@owner IS NULL OR owner = @owner)
       RETURNING ${SNAPSHOT}`,
    ),
    intermediatesOf: client.prepare<{ trialId: number }, { step: number; metrics: string }>(
      'SELECT step, metrics FROM trial_intermediate WHERE trial_id = @trialId ORDER BY step',
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
    state: client.prepare<{ studyId: number; number: number }, { state: string }>('SELECT state FROM trials WHERE study_id = @studyId AND number = @number'),
  };
}
