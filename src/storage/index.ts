/**
 * The study database room. Callers open a Storage from a location string and use only the
 * Storage interface of src/study/storage.ts; which backend serves it is decided here.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StorageError } from '../errors.js';
import type { Storage } from '../study/index.js';
import { isPostgresUrl, redactLocation } from './location.js';
import { PostgresStorage } from './postgres.js';
import { MEMORY, SqliteStorage } from './sqlite.js';

export { SqliteStorage, MEMORY } from './sqlite.js';
export { PostgresStorage, POOL_SIZE } from './postgres.js';
export { isPostgresUrl, redactLocation } from './location.js';
export { DRIZZLE_MANAGED, MIGRATIONS_FOLDER, loadMigrations, migrate, migrationsFolder, schemaVersion } from './migrate.js';
export { MIGRATION_LOCK, loadPostgresMigrations, migratePostgres } from './pg-migrate.js';
export { LEGACY_MIGRATIONS } from './legacy-migrations.js';
export * as schema from './schema.js';
export * as pgSchema from './pg-schema.js';

/** Where `--storage` points when it is not given, relative to the working directory. */
export const DEFAULT_STORAGE = 'runs/sweetspot.db';

/**
 * Opens the storage at `location`: a file path or ':memory:' → SQLite; a `postgres://` or
 * `postgresql://` URL → PostgreSQL (the database must exist; its tables are made on first use).
 * Only with `create` is a missing database file (and its folder) or an empty PostgreSQL database's
 * set of tables created: read-only commands must not leave an empty file at a mistyped path.
 */
export async function openStorage(location: string = DEFAULT_STORAGE, options: { create?: boolean } = { create: true }): Promise<Storage> {
  if (isPostgresUrl(location)) return PostgresStorage.open(location, { create: options.create ?? false });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new StorageError(`--storage must be a file path, ':memory:' or a postgres:// URL, got ${redactLocation(location)}`);
  }
  if (location.trim() === '') throw new StorageError(`--storage must be a file path, got an empty string`);
  if (location !== MEMORY && options.create) {
    try {
      mkdirSync(dirname(resolve(location)), { recursive: true });
    } catch (cause) {
      throw new StorageError(`--storage ${location}: cannot create its folder: ${(cause as Error).message}`, { cause });
    }
  }
  return new SqliteStorage(location, options);
}
