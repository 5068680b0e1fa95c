/**
 * Versioned schema migrations, applied when a database is opened. The version lives in SQLite's
 * `PRAGMA user_version` (0 for a new file); migration N moves it from N-1 to N. Each migration
 * runs in its own BEGIN IMMEDIATE transaction that re-reads the version first, so two processes
 * opening the same new file do not both apply it. A database whose version is newer than the
 * latest migration known here was written by a newer sweetspot and is refused rather than guessed at.
 *
 * Migrations are append-only: never edit a released one, add the next.
 */
import type { Database } from 'better-sqlite3';
import { StorageError } from '../errors.js';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/*
 * Every B-tree a write touches is a page written to the WAL per commit, so the layout keeps them
 * few: no AUTOINCREMENT (it writes sqlite_sequence on each insert; ids are never reused while
 * their rows exist, which is all that is needed), no index on trial state (a study's trials are
 * found through (study_id, number)), and intermediate values live in their primary key's B-tree.
 */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
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

export const LATEST_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to `LATEST_VERSION`; returns the version it found.
 * `location` only names the database in error messages.
 */
export function migrate(db: Database, location: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const found = schemaVersion(db);
  refuseNewer(found, latest, location);
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    db.transaction(() => {
      // Another process may have migrated between our read and our lock.
      const current = schemaVersion(db);
      refuseNewer(current, latest, location);
      if (current >= migration.version) return;
      if (current !== migration.version - 1) {
        throw new StorageError(
          `${location}: migration ${migration.version} needs schema version ${migration.version - 1}, found ${current}`,
        );
      }
      try {
        db.exec(migration.sql);
      } catch (cause) {
        throw new StorageError(
          `${location}: migration ${migration.version} (${migration.description}) failed: ${(cause as Error).message}`,
          { cause },
        );
      }
      // user_version lives in the file header and is written by this same transaction.
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return found;
}

function refuseNewer(found: number, latest: number, location: string): void {
  if (found > latest) {
    throw new StorageError(
      `${location}: database schema version must be at most ${latest} (this sweetspot's latest), got ${found}; ` +
        'it was written by a newer sweetspot, upgrade to open it',
    );
  }
}
