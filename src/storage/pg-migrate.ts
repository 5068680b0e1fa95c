/**
 * PostgreSQL schema migrations: the generated ones of src/storage/migrations/postgres/ (drizzle-kit,
 * from pg-schema.ts), recorded in drizzle's `__drizzle_migrations` format like SQLite's.
 *
 * Several machines may start on one new database at once: the check and the migrations run in one
 * transaction under a transaction-level advisory lock, so one applies them and the others, once
 * the lock is theirs, find them applied (PostgreSQL's DDL is transactional: a failed migration
 * leaves nothing behind). Everything goes into the connection's current schema (the first of its
 * search_path): the `"public".` qualifiers drizzle-kit writes are dropped when applying, so a
 * database user confined to a schema of their own works too.
 */
import type { PoolClient } from 'pg';
import type { MigrationMeta } from 'drizzle-orm/migrator';
import { StorageError } from '../errors.js';
import { loadMigrations, migrationsFolder, MIGRATIONS_TABLE, refuseNewer } from './migrate.js';

/** Key of the advisory lock that serialises migrations (any fixed 64-bit number; "sweetspt" in ASCII). */
export const MIGRATION_LOCK = 0x7377656574737074n;

/** The generated PostgreSQL migrations, oldest first. */
export function loadPostgresMigrations(): MigrationMeta[] {
  return loadMigrations(migrationsFolder('postgres'));
}

/**
 * Brings the database `client` is connected to up to the last of `migrations`; returns how many
 * it applied. Without `create`, a database with no sweetspot tables is refused (read-only commands
 * create nothing). A database with sweetspot's table names but no migration record belongs to
 * another program (Optuna's RDB storage also has `studies` and `trials`): refused untouched.
 */
export async function migratePostgres(
  client: PoolClient,
  location: string,
  options: { create: boolean },
  migrations: readonly MigrationMeta[] = loadPostgresMigrations(),
): Promise<number> {
  const latest = migrations.length ? migrations[migrations.length - 1]!.folderMillis : 0;
  // An up-to-date database needs no lock: processes that open it later never queue behind each other.
  if ((await lastApplied(client, location, latest)) === latest && latest > 0) return 0;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    let last = await lastApplied(client, location, latest);
    if (last === null) {
      const found = await client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_name IN ('studies', 'study_attrs', 'trials', 'trial_intermediate') ORDER BY 1`,
      );
      if (found.rows.length > 0) {
        throw new StorageError(
          `${location}: not a sweetspot database (it has tables ${found.rows.map((r) => r.name).join(', ')} and no sweetspot migration record); refusing to change it`,
        );
      }
      if (!options.create) throw new StorageError(`no sweetspot tables in ${location}; 'sweetspot run' creates them (or pass another --storage)`);
      await client.query(`CREATE TABLE ${MIGRATIONS_TABLE} (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
      last = 0;
    }
    let applied = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= last) continue;
      try {
        for (const statement of migration.sql) if (statement.trim()) await client.query(statement.replaceAll('"public".', ''));
      } catch (cause) {
        throw new StorageError(`${location}: schema migration of ${migration.folderMillis} failed: ${(cause as Error).message}`, { cause });
      }
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES ($1, $2)`, [migration.hash, migration.folderMillis]);
      applied++;
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** The created_at of the newest applied migration; null when there is no migration table. */
async function lastApplied(client: PoolClient, location: string, latest: number): Promise<number | null> {
  // A catalog query, not to_regclass: after waiting on the advisory lock, to_regclass may still
  // answer from this session's catalog cache of before the other process's commit (seen in tests).
  const table = await client.query('SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1', [MIGRATIONS_TABLE]);
  if (table.rows.length === 0) return null;
  const row = await client.query<{ last: string | null }>(`SELECT max(created_at)::text AS last FROM ${MIGRATIONS_TABLE}`);
  const last = Number(row.rows[0]!.last ?? 0);
  if (last > latest) refuseNewer(location, `schema migration ${last}`, `at most ${latest} (this sweetspot's latest)`);
  return last;
}
