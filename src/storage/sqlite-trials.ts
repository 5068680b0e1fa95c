/**
 * SQLite's trial state changes: every one a transaction of one or two statements prepared once,
 * taking the write lock up front (BEGIN IMMEDIATE) so that processes sharing the file never both
 * read the same "next number", budget count or free waiting trial.
 *
 * The statements are drizzle queries (trial-statements.ts), each doing its check and its write in
 * one statement (INSERT…SELECT, UPDATE…WHERE state…RETURNING): every statement saved is a B-tree
 * walk saved per trial. bench:storage measures them against the same statements in raw SQL; the
 * conditional start's two checks stay raw SQL, where drizzle measured dearer (see countBudget).
 */
import type { Database } from 'better-sqlite3';
import { LeaseLostError, NotFoundError, StorageError } from '../errors.js';
import type { Attrs, Lease, Recovery, StartLimits, StartRefusal, Trial } from '../study/index.js';
import { freezeTrial, parseJson } from './snapshot.js';
import type { FinishArgs, StartArgs, TrialStatements, TrialStatementRow as Row } from './trial-statements.js';

export type { FinishArgs, StartArgs } from './trial-statements.js';

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

  /** `client` runs the transactions; `statements` are prepared on it (see trial-statements.ts). */
  constructor(client: Database, statements: TrialStatements) {
    const snapshot = (study: string, row: Row): Trial =>
      freezeTrial(study, row, parseJson<Attrs>(row.attrs), statements.intermediatesOf.all({ trialId: row.id }).map((i) => ({ step: i.step, metrics: parseJson(i.metrics) })));
    /** The state of a trial that could not be changed; NotFoundError when it does not exist. */
    const stateOf = (study: string, studyId: number, number: number): string => {
      const row = statements.state.get({ studyId, number });
      if (!row) throw new NotFoundError(`study '${study}' has no trial ${number}`);
      return row.state;
    };
    /** Back to waiting, or failed as interrupted after its last allowed attempt. */
    const giveBack = (study: string, trial: { id: number; attempt: number }, maxAttempts: number, why: string, now: Date, into: { requeued: Trial[]; failed: Trial[] }): void => {
      statements.dropIntermediates.run({ trialId: trial.id });
      if (trial.attempt >= maxAttempts) {
        const error = `interrupted: ${why} (attempt ${trial.attempt} of ${maxAttempts})`;
        into.failed.push(snapshot(study, statements.failInterrupted.get({ id: trial.id, error, now: now.toISOString() })!));
      } else {
        into.requeued.push(snapshot(study, statements.requeue.get({ id: trial.id })!));
      }
    };
    const until = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();

    this.start = client.transaction((args: StartArgs) => statements.insertRunning.get(args)!.number).immediate;
    this.tryStart = client.transaction((args: StartArgs, limits: StartLimits): number | StartRefusal => {
      if (limits.budget !== undefined && statements.countBudget.get({ studyId: args.studyId })!.n >= limits.budget) return { refused: 'budget' };
      if (limits.unique && statements.sameParams.get({ studyId: args.studyId, params: args.params })) return { refused: 'duplicate' };
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
