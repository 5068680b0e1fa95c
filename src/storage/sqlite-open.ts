/**
 * Opening a SQLite database file for SqliteStorage: the checks that refuse a corrupt or foreign file
 * untouched, the connection's settings (WAL, foreign keys, synchronous), and the schema migrations,
 * safe when several processes open one new file at the same moment.
 */
import type Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { migrate, schemaVersion } from './migrate.js';

/**
 * Checks, configures and migrates a newly opened database before anything else touches it. Every
 * step is idempotent, so when SQLite answers one with SQLITE_BUSY the whole sequence runs again
 * (retryWhileBusy). `wal`: false for ':memory:', which has no journal file.
 */
export function prepareFile(client: Database.Database, location: string, options: { readonly wal: boolean }): void {
  client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  retryWhileBusy(() => checkConfigureMigrate(client, location, options.wal), BUSY_TIMEOUT_MS);
}

function checkConfigureMigrate(client: Database.Database, location: string, wal: boolean): void {
  const check = client.pragma('quick_check(1)', { simple: true });
  if (check !== 'ok') throw new StorageError(`${location}: the database is corrupt (SQLite quick_check: ${String(check)}); nothing was written to it`);
  refuseForeign(client, location);
  // WAL lets readers (status, report) run beside the writing loop.
  if (wal) client.pragma('journal_mode = WAL');
  client.pragma('foreign_keys = ON');
  // Safe with WAL: a power cut may lose the last commits, never corrupt the file.
  client.pragma('synchronous = NORMAL');
  migrate(client, location);
}

/**
 * Refuses a file that holds another program's tables. Its two reads share one read transaction:
 * read apart, another process opening the same new file could commit its migrations between them,
 * and the file would be seen with sweetspot's tables but user_version 0, i.e. as foreign (2 of
 * 6,000 openers in a stress run before this: 1,000 rounds of six threads opening one new file).
 */
export function refuseForeign(client: Database.Database, location: string): void {
  client.transaction(() => {
    if (schemaVersion(client) !== 0) return;
    const tables = (client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    if (tables.length > 0) {
      throw new StorageError(`${location}: not a sweetspot database (it has tables ${tables.slice(0, 5).join(', ')} and no sweetspot schema); refusing to change it`);
    }
  })();
}

/** How long a statement waits for another connection's lock (SQLite's busy_timeout), and opening as a whole. */
const BUSY_TIMEOUT_MS = 5000;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `step` again, after a short pause, while it fails with SQLITE_BUSY, until `timeoutMs` has
 * passed. SQLite returns SQLITE_BUSY without waiting out busy_timeout where waiting could deadlock:
 * switching a rollback-journal file to WAL while another connection holds its write lock fails at
 * once (test/storage/sqlite.test.ts; 2 of 6,000 openers in the stress run above, before this), and
 * a connection opening while the last one closes and cleans up the WAL can fail likewise
 * (sqlite.org/wal.html).
 */
function retryWhileBusy(step: () => void, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(2 * pause, 100)) {
    try {
      return step();
    } catch (cause) {
      const busy = String((cause as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
      if (!busy || Date.now() + pause > deadline) throw cause;
      // Opening is synchronous (the constructor), so the pause blocks this thread; it happens only under contention.
      Atomics.wait(PAUSE, 0, 0, pause);
    }
  }
}
