/**
 * Schema migrations, applied when a database is opened. schema.ts is the one definition; drizzle-kit
 * generates the migrations from it (`npm run db:generate`) into src/storage/migrations/sqlite/,
 * and drizzle-orm's reader (readMigrationFiles) loads them. Applied ones are recorded in drizzle's
 * own `__drizzle_migrations` table, in drizzle's format, so drizzle's tools agree with us.
 *
 * We apply them ourselves rather than through drizzle's `migrate()`: that one reads the applied
 * list before a plain BEGIN, so two processes opening a new file could both apply a migration. Here
 * the read and the writes share one BEGIN IMMEDIATE transaction.
 *
 * `PRAGMA user_version` marks the file as sweetspot's: 0 for a new (or foreign) file, 1 and 2 for
 * files made by the hand DDL of legacy-migrations.ts (adopted here without touching their data),
 * DRIZZLE_MANAGED once drizzle's migrations table is the record. A file with a higher version, or
 * with a migration newer than the code's last one, was written by a newer sweetspot: refused.
 */
import type { Database } from 'better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StorageError } from '../errors.js';
import { LEGACY_LATEST, LEGACY_MIGRATIONS } from './legacy-migrations.js';

/** user_version of a database whose migrations are recorded in `__drizzle_migrations`. */
export const DRIZZLE_MANAGED = 3;
export const MIGRATIONS_TABLE = '__drizzle_migrations';
const TABLE = MIGRATIONS_TABLE;

/**
 * The generated migrations of a dialect: beside this file when run from src/, in the source tree
 * when run from dist/src/storage/ (tsc does not copy .sql files).
 */
export function migrationsFolder(dialect: 'sqlite' | 'postgres'): string {
  const candidates = [new URL(`./migrations/${dialect}`, import.meta.url), new URL(`../../../src/storage/migrations/${dialect}`, import.meta.url)];
  return candidates.map((url) => fileURLToPath(url)).find((path) => existsSync(path)) ?? fileURLToPath(candidates[0]!);
}

/** The generated SQLite migrations. */
export const MIGRATIONS_FOLDER: string = migrationsFolder('sqlite');

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The generated migrations, oldest first (drizzle's reader: hashes and timestamps as its migrator sees them). */
export function loadMigrations(folder: string = MIGRATIONS_FOLDER): MigrationMeta[] {
  try {
    return readMigrationFiles({ migrationsFolder: folder });
  } catch (cause) {
    throw new StorageError(`${folder}: cannot read the schema migrations: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Brings `db` up to the last of `migrations`; returns how many it applied. `location` only names
 * the database in error messages.
 */
export function migrate(db: Database, location: string, migrations: readonly MigrationMeta[] = loadMigrations()): number {
  const latest = migrations.length ? migrations[migrations.length - 1]!.folderMillis : 0;
  // An up-to-date database needs no write lock: read-only openers must not queue behind the loop.
  if (schemaVersion(db) === DRIZZLE_MANAGED && lastApplied(db, location, latest) === latest) return 0;
  return db.transaction(() => {
    // Another process may have migrated between our read and our lock: decide under the lock.
    const version = schemaVersion(db);
    if (version > DRIZZLE_MANAGED) refuseNewer(location, `schema version ${version}`, `at most ${DRIZZLE_MANAGED}`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    if (version >= 1 && version <= LEGACY_LATEST) adoptLegacy(db, location, version, migrations);
    const last = lastApplied(db, location, latest);
    let applied = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= last) continue;
      try {
        for (const statement of migration.sql) if (statement.trim()) db.exec(statement);
      } catch (cause) {
        throw new StorageError(`${location}: schema migration of ${migration.folderMillis} failed: ${(cause as Error).message}`, { cause });
      }
      record(db, migration);
      applied++;
    }
    // user_version lives in the file header and is written by this same transaction.
    if (version !== DRIZZLE_MANAGED) db.pragma(`user_version = ${DRIZZLE_MANAGED}`);
    return applied;
  }).immediate();
}

/** The created_at of the newest applied migration (0: none); refuses one newer than the code's. */
function lastApplied(db: Database, location: string, latest: number): number {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TABLE);
  if (!exists) return 0;
  const row = db.prepare(`SELECT max(created_at) AS last FROM ${TABLE}`).get() as { last: number | null };
  const last = Number(row.last ?? 0);
  if (last > latest) refuseNewer(location, `schema migration ${last}`, `at most ${latest} (this sweetspot's latest)`);
  return last;
}

/**
 * A file made by the legacy hand DDL: bring it to legacy version 2, whose tables are exactly those of
 * the first generated migration, and record that migration as applied. Only the names drizzle-kit
 * gives to constraints differ; the one a later generated migration could refer to (the unique index
 * on study names, inline in the legacy DDL) is created under drizzle-kit's name.
 */
function adoptLegacy(db: Database, location: string, version: number, migrations: readonly MigrationMeta[]): void {
  for (const legacy of LEGACY_MIGRATIONS) {
    if (legacy.version <= version) continue;
    try {
      db.exec(legacy.sql);
    } catch (cause) {
      throw new StorageError(`${location}: legacy migration ${legacy.version} (${legacy.description}) failed: ${(cause as Error).message}`, { cause });
    }
  }
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS studies_name_unique ON studies (name)');
  const initial = migrations[0];
  if (initial) record(db, initial);
}

function record(db: Database, migration: MigrationMeta): void {
  db.prepare(`INSERT INTO ${TABLE} (hash, created_at) VALUES (?, ?)`).run(migration.hash, migration.folderMillis);
}

export function refuseNewer(location: string, found: string, allowed: string): never {
  throw new StorageError(
    `${location}: database ${found} is newer than this sweetspot knows (${allowed}); ` +
      'it was written by a newer sweetspot, upgrade to open it',
  );
}
