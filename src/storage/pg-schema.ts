/**
 * The same tables as schema.ts, in drizzle's PostgreSQL builders: drizzle needs one table object
 * per dialect, so the layout is written twice and test/storage/schema-drift.test.ts fails when the
 * two differ in a table, column, nullability, default, key, index or check. schema.ts stays the
 * reference; change both together and run `npm run db:generate` (it writes the migrations of both
 * dialects, src/storage/migrations/{sqlite,postgres}/).
 *
 * Column types follow SQLite's: ids and counts are integer, JSON and ISO-8601 timestamps are text
 * (the Storage contract compares timestamps as text, and parameter sets are compared as their JSON
 * text for the duplicate check). `interrupted` stays 0/1 integer rather than boolean so that both
 * dialects hand the same row to snapshot.ts.
 *
 * PostgreSQL only: the `sweetspot_changes` sequence, the change counter behind externalVersion
 * (SQLite has PRAGMA data_version for that; see postgres.ts).
 */
import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgSequence, pgTable, primaryKey, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const studies = pgTable('studies', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  spaceFile: text('space_file').notNull(),
  spaceText: text('space_text').notNull(),
  spaceHash: text('space_hash').notNull(),
  directions: text('directions').notNull(),
  seed: integer('seed').notNull(),
  createdAt: text('created_at').notNull(),
});

export const studyAttrs = pgTable(
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

export const trials = pgTable(
  'trials',
  {
    id: serial('id').primaryKey(),
    studyId: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    /** 0-based and dense within a study; assigned while the study's row is locked (postgres.ts). */
    number: integer('number').notNull(),
    state: text('state').notNull(),
    params: text('params').notNull(),
    metrics: text('metrics'),
    attrs: text('attrs').notNull(),
    error: text('error'),
    worker: integer('worker'),
    heartbeat: text('heartbeat'),
    owner: text('owner'),
    leaseUntil: text('lease_until'),
    attempt: integer('attempt').notNull().default(1),
    interrupted: integer('interrupted').notNull().default(0),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [
    uniqueIndex('trials_study_number').on(t.studyId, t.number),
    check('trials_state', sql`${t.state} IN ('waiting', 'running', 'complete', 'pruned', 'failed')`),
    index('trials_study_params').on(t.studyId, t.params),
    index('trials_study_interrupted').on(t.studyId).where(sql`${t.interrupted} = 1`),
  ],
);

export const trialIntermediate = pgTable(
  'trial_intermediate',
  {
    trialId: integer('trial_id')
      .notNull()
      .references(() => trials.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    metrics: text('metrics').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trialId, t.step] })],
);

/** PostgreSQL's byte string (SQLite's blob); node-postgres reads and writes it as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const studyArtifacts = pgTable(
  'study_artifacts',
  {
    studyId: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    data: bytea('data'),
    owner: text('owner'),
    leaseUntil: text('lease_until'),
    storedAt: text('stored_at'),
  },
  (t) => [primaryKey({ columns: [t.studyId, t.key] })],
);

/** Bumped after every committed write (postgres.ts); never read inside a transaction. */
export const changes = pgSequence('sweetspot_changes');
