/**
 * The study database's tables, after Optuna's RDB layout: studies, their attributes, trials and
 * the trials' intermediate values. This file is the one definition: drizzle queries against it and
 * drizzle-kit generates the migrations from it (`npm run db:generate` writes
 * src/storage/migrations/sqlite/; migrate.ts applies them). Never edit a committed migration.
 *
 * Every B-tree a write touches is a page written to the WAL per commit, so the layout keeps them
 * few: no AUTOINCREMENT, no index on trial state (a study's trials are a range of
 * (study_id, number)), and intermediate values live in their primary key's B-tree.
 *
 * JSON columns hold objects (params, metrics, attrs, directions); timestamps are ISO-8601 strings
 * from `Date.prototype.toISOString`, so they sort as text.
 */
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const studies = sqliteTable('studies', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  spaceFile: text('space_file').notNull(),
  spaceText: text('space_text').notNull(),
  spaceHash: text('space_hash').notNull(),
  /** JSON: metric name → 'maximize' | 'minimize'. */
  directions: text('directions').notNull(),
  seed: integer('seed').notNull(),
  createdAt: text('created_at').notNull(),
});

/** Free-form study facts, one row per key (Optuna's study_user_attributes). */
export const studyAttrs = sqliteTable(
  'study_attrs',
  {
    studyId: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.key] })],
);

export const trials = sqliteTable(
  'trials',
  {
    id: integer('id').primaryKey(),
    studyId: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    /** 0-based and dense within a study; assigned inside a BEGIN IMMEDIATE transaction. */
    number: integer('number').notNull(),
    /** 'waiting' | 'running' | 'complete' | 'pruned' | 'failed' */
    state: text('state').notNull(),
    /** JSON: parameter name → value. */
    params: text('params').notNull(),
    /** JSON: metric name → number, or NULL. */
    metrics: text('metrics'),
    /** JSON: key → string. */
    attrs: text('attrs').notNull(),
    error: text('error'),
    worker: integer('worker'),
    /** Last sign of life of a running trial (start, heartbeat, intermediate report). */
    heartbeat: text('heartbeat'),
    /** The process holding a running trial's lease (see Storage in src/study/storage.ts). */
    owner: text('owner'),
    /** When the lease expires unless the owner's heartbeat extends it; after that it may be recovered. */
    leaseUntil: text('lease_until'),
    /** Runs started: 0 while first waiting, +1 at each claim. */
    attempt: integer('attempt').notNull().default(1),
    /** 1: failed because its last allowed attempt was interrupted; not counted in the budget. */
    interrupted: integer('interrupted').notNull().default(0),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    // Also serves state filters and counts: a study's trials are a range of this index.
    uniqueIndex('trials_study_number').on(t.studyId, t.number),
    check('trials_state', sql`${t.state} IN ('waiting', 'running', 'complete', 'pruned', 'failed')`),
    // The conditional start's two lookups: same params, and interrupted trials.
    index('trials_study_params').on(t.studyId, t.params),
    index('trials_study_interrupted').on(t.studyId).where(sql`${t.interrupted} = 1`),
  ],
);

export const trialIntermediate = sqliteTable(
  'trial_intermediate',
  {
    trialId: integer('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    /** JSON: metric name → number. */
    metrics: text('metrics').notNull(),
  },
  // A repeated step overwrites the earlier value (upsert on this key). The table is WITHOUT ROWID,
  // which drizzle-kit cannot express: added by hand to 0000_initial.sql (and to the legacy DDL).
  (t) => [primaryKey({ columns: [t.trialId, t.step] })],
);

/**
 * Files a study shares between machines (the compression teacher's weights), so that processes
 * with no shared disk use one copy. A row is first a claim (`owner`, `lease_until`: one process
 * produces the file while the others wait), then the stored bytes, which never change.
 */
export const studyArtifacts = sqliteTable(
  'study_artifacts',
  {
    studyId: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** NULL while claimed and not yet stored. */
    data: blob('data', { mode: 'buffer' }),
    owner: text('owner'),
    leaseUntil: text('lease_until'),
    storedAt: text('stored_at'),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.key] })],
);

export type StudyRow = typeof studies.$inferSelect;
export type TrialRow = typeof trials.$inferSelect;
export type IntermediateRow = typeof trialIntermediate.$inferSelect;
