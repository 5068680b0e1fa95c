/**
 * The hand-written DDL that created sweetspot databases before the schema moved to drizzle-kit
 * (src/storage/migrations/sqlite/, generated from schema.ts). Databases made by it carry
 * `PRAGMA user_version` 1 or 2; migrate.ts brings a version-1 file to 2 with the SQL below and
 * then adopts it (records the equivalent generated migration as applied). Frozen: never edited,
 * never extended; new schema changes are drizzle-kit migrations.
 */

export interface LegacyMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const LEGACY_MIGRATIONS: readonly LegacyMigration[] = Object.freeze([
  {
    version: 1,
    description: 'studies, study attributes, trials, intermediate values',
    sql: `
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        space_file TEXT NOT NULL,
        space_text TEXT NOT NULL,
        space_hash TEXT NOT NULL,
        directions TEXT NOT NULL,
        seed INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE study_attrs (
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (study_id, key)
      );
      CREATE TABLE trials (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'complete', 'pruned', 'failed')),
        params TEXT NOT NULL,
        metrics TEXT,
        attrs TEXT NOT NULL,
        error TEXT,
        worker INTEGER,
        heartbeat TEXT,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE UNIQUE INDEX trials_study_number ON trials (study_id, number);
      CREATE TABLE trial_intermediate (
        trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        metrics TEXT NOT NULL,
        PRIMARY KEY (trial_id, step)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'trial leases (owner, lease_until), attempt count, interrupted flag',
    sql: `
      ALTER TABLE trials ADD COLUMN owner TEXT;
      ALTER TABLE trials ADD COLUMN lease_until TEXT;
      ALTER TABLE trials ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE trials ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
      UPDATE trials SET lease_until = coalesce(heartbeat, started_at) WHERE state = 'running';
      -- A conditional start checks the budget and that no trial has the same params in its
      -- transaction: both lookups must not scan the study (1 ms per start at 1,000 trials without).
      CREATE INDEX trials_study_params ON trials (study_id, params);
      CREATE INDEX trials_study_interrupted ON trials (study_id) WHERE interrupted = 1;
    `,
  },
]);

/** The last legacy user_version; the schema it describes is the generated 0000_initial. */
export const LEGACY_LATEST = 2;
