/**
 * SQLite storage: the shared contract against a temp file and ':memory:', plus what only SQLite
 * has: generated migrations, legacy databases adopted, PRAGMAs, schema.ts agreeing with both, and real
 * concurrent writers (worker threads, each with its own connection) on one file.
 */
import Database from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageError } from '../../src/errors.js';
import {
  DEFAULT_STORAGE,
  DRIZZLE_MANAGED,
  LEGACY_MIGRATIONS,
  loadMigrations,
  migrate,
  MIGRATIONS_FOLDER,
  openStorage,
  schema,
  schemaVersion,
  SqliteStorage,
} from '../../src/storage/index.js';
import { refuseForeign } from '../../src/storage/sqlite-open.js';
import { newStudy, storageContract } from './contract.js';
import { artifactContract } from './artifacts.js';
import { leaseContract } from './leases.js';

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-storage-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const contractFile = join(dir, 'nested', 'contract.db');
storageContract('sqlite file', () => openStorage(contractFile), { sharedDatabase: true });
storageContract('sqlite :memory:', () => openStorage(':memory:'));
leaseContract('sqlite file', () => openStorage(contractFile), { sharedDatabase: true });
leaseContract('sqlite :memory:', () => openStorage(':memory:'));
artifactContract('sqlite file', () => openStorage(contractFile), { sharedDatabase: true });
artifactContract('sqlite :memory:', () => openStorage(':memory:'));

const test = suite('sqlite specifics');

test('a fresh database runs the generated migrations once, under DRIZZLE_MANAGED, with the pragmas', async () => {
  const file = join(dir, 'fresh.db');
  const s = (await openStorage(file)) as SqliteStorage;
  await s.close();
  const db = new Database(file);
  try {
    assert.is(schemaVersion(db), DRIZZLE_MANAGED);
    assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(applied(db), loadMigrations().map((m) => m.hash));
  } finally {
    db.close();
  }
  const mem = new Database(':memory:');
  assert.is(migrate(mem, ':memory:'), loadMigrations().length);
  assert.is(schemaVersion(mem), DRIZZLE_MANAGED);
  assert.is(migrate(mem, ':memory:'), 0, 'a second migrate finds it current and does nothing');
  assert.is(applied(mem).length, loadMigrations().length);
  mem.close();
});

test('a database from a newer sweetspot (version or migration) is refused, and left as it was', async () => {
  const file = join(dir, 'newer.db');
  const db = new Database(file);
  db.pragma(`user_version = ${DRIZZLE_MANAGED + 1}`);
  db.close();
  await refused(file, new RegExp(`schema version ${DRIZZLE_MANAGED + 1} is newer.*at most ${DRIZZLE_MANAGED}.*newer sweetspot`));
  const after = new Database(file);
  assert.is(schemaVersion(after), DRIZZLE_MANAGED + 1);
  after.close();

  const later = join(dir, 'later-migration.db');
  await (await openStorage(later)).close();
  const raw = new Database(later);
  const future = Date.now() + 365 * 86400e3;
  raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', future);
  raw.close();
  await refused(later, new RegExp(`schema migration ${future} is newer.*newer sweetspot`));
});

async function refused(file: string, message: RegExp): Promise<void> {
  try {
    await openStorage(file);
    assert.unreachable('opened a newer database');
  } catch (err) {
    assert.instance(err, StorageError);
    assert.match((err as Error).message, message);
    assert.ok((err as Error).message.startsWith(file));
  }
}

function applied(db: Database.Database): string[] {
  return (db.prepare('SELECT hash FROM __drizzle_migrations ORDER BY created_at').all() as { hash: string }[]).map((r) => r.hash);
}

test('later generated migrations apply in order; a failing one rolls back whole', () => {
  const folder = join(dir, 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] };
  const addMigration = (tag: string, sql: string): void => {
    const last = journal.entries[journal.entries.length - 1]!;
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
    writeFileSync(join(folder, `${tag}.sql`), sql);
    writeFileSync(journalFile, JSON.stringify(journal));
  };
  const db = new Database(':memory:');
  migrate(db, 'mem', loadMigrations(folder));
  addMigration('9001_note', 'ALTER TABLE `studies` ADD `note` text;');
  assert.is(migrate(db, 'mem', loadMigrations(folder)), 1);
  assert.ok((db.pragma('table_info(studies)') as { name: string }[]).some((c) => c.name === 'note'));
  addMigration('9002_broken', 'CREATE TABLE `extra` (`a` integer);\n--> statement-breakpoint\nINSERT INTO `missing` VALUES (1);');
  assert.throws(() => migrate(db, 'mem', loadMigrations(folder)), /mem: schema migration of \d+ failed: no such table: missing/);
  assert.is(applied(db).length, loadMigrations().length + 1);
  assert.not.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'extra'").get(), 'the half-done migration rolled back');
  db.close();
});

/** A database as the hand DDL of the code before drizzle-kit left it, at legacy `version`. */
function legacyDatabase(file: string, version: number): void {
  const db = new Database(file);
  for (const m of LEGACY_MIGRATIONS.filter((m) => m.version <= version)) db.exec(m.sql);
  db.pragma(`user_version = ${version}`);
  db.exec(`INSERT INTO studies VALUES (1, 'old', 'space.yaml', 'x: 1', 'h', '{"acc":"maximize"}', 7, '2026-01-01T00:00:00.000Z');
    INSERT INTO study_attrs VALUES (1, 'k', 'v');
    INSERT INTO trials (id, study_id, number, state, params, metrics, attrs, started_at, finished_at)
      VALUES (1, 1, 0, 'complete', '{"w":8}', '{"acc":0.5}', '{}', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z');
    INSERT INTO trial_intermediate VALUES (1, 0, '{"acc":0.25}');`);
  db.close();
}

for (const version of [1, 2]) {
  test(`a database made by the legacy DDL at user_version ${version} is adopted without losing data`, async () => {
    const file = join(dir, `legacy-${version}.db`);
    legacyDatabase(file, version);
    const s = await openStorage(file, { create: false });
    const study = await s.getStudy('old');
    assert.equal(study?.attrs, { k: 'v' });
    const [trial] = await s.getTrials('old');
    assert.equal([trial?.state, trial?.params, trial?.metrics, trial?.attempt], ['complete', { w: 8 }, { acc: 0.5 }, 1]);
    assert.equal(trial?.intermediate, [{ step: 0, metrics: { acc: 0.25 } }]);
    const next = await s.startTrial('old', { w: 16 }, 0);
    assert.is(next.number, 1);
    await s.close();
    const db = new Database(file);
    assert.is(schemaVersion(db), DRIZZLE_MANAGED);
    // The legacy tables are recorded as the first generated migration (not run again); later ones apply.
    assert.equal(applied(db), loadMigrations().map((m) => m.hash));
    assert.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'study_artifacts'").get(), 'the later migrations ran');
    db.close();
  });
}

test('schema.ts describes exactly the tables the generated and the adopted legacy migrations create', () => {
  const generated = new Database(':memory:');
  migrate(generated, 'mem');
  const file = join(dir, 'legacy-shape.db');
  legacyDatabase(file, 1);
  const adopted = new Database(file);
  migrate(adopted, file);
  for (const db of [generated, adopted]) {
    for (const table of [schema.studies, schema.studyAttrs, schema.trials, schema.trialIntermediate, schema.studyArtifacts]) {
      const config = getTableConfig(table);
      const actual = (db.pragma(`table_info(${config.name})`) as { name: string; notnull: number; type: string }[]).map(
        (c) => `${c.name}:${c.type.toUpperCase()}:${c.notnull || config.columns.find((d) => d.name === c.name)?.primary ? 1 : 0}`,
      );
      const declared = config.columns.map((c) => `${c.name}:${c.getSQLType().toUpperCase()}:${c.notNull ? 1 : 0}`);
      assert.equal(actual.sort(), declared.sort(), config.name);
      const indexes = (db.pragma(`index_list(${config.name})`) as { name: string }[]).map((i) => i.name).filter((n) => !n.startsWith('sqlite_'));
      const uniques = config.columns.filter((c) => c.isUnique).map((c) => c.uniqueName!);
      assert.equal(indexes.sort(), [...config.indexes.map((i) => i.config.name), ...uniques].sort(), `${config.name} indexes`);
    }
    assert.ok(
      (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'trial_intermediate'").get() as { sql: string }).sql.includes('WITHOUT ROWID'),
      'intermediate values live in their primary key B-tree',
    );
  }
  generated.close();
  adopted.close();
});

test('openStorage creates the parent folder and refuses URLs other than postgres://', async () => {
  const file = join(dir, 'a', 'b', 'c.db');
  const s = await openStorage(file);
  await s.close();
  assert.ok(existsSync(file));
  try {
    await openStorage('mysql://u:secret@host/db');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, StorageError);
    assert.match((err as Error).message, /got mysql:\/\/u:\*\*\*@host\/db/);
  }
  assert.is(DEFAULT_STORAGE, 'runs/sweetspot.db');
});

test('a file that is not a database is a StorageError naming it', async () => {
  const file = join(dir, 'junk.db');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, 'this is not sqlite, just text that is long enough to have a header'.repeat(20));
  try {
    await openStorage(file);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, StorageError);
    assert.ok((err as Error).message.startsWith(file), (err as Error).message);
  }
});

// Worker threads are real concurrent writers: each has its own connection, like separate processes.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(async ({ SqliteStorage }) => {
  const s = new SqliteStorage(workerData.file);
  const numbers = [];
  for (let k = 0; k < workerData.count; k++) {
    const t = await s.startTrial(workerData.study, { k }, workerData.index);
    numbers.push(t.number);
    await s.reportIntermediate(workerData.study, t.number, { step: 0, metrics: { v: k } });
    await s.finishTrial(workerData.study, t.number, { state: 'complete', metrics: { v: k } });
  }
  await s.close();
  parentPort.postMessage(numbers);
});
`;

/** Holds a write lock (BEGIN IMMEDIATE) on the file for holdMs, after telling the parent it has it. */
const LOCK_HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.file);
db.exec('BEGIN IMMEDIATE');
parentPort.postMessage('locked');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, workerData.holdMs);
`;

const OPENER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(async ({ SqliteStorage }) => {
  const s = new SqliteStorage(workerData.file, { create: true });
  await s.close();
  parentPort.postMessage(true);
});
`;

test('processes opening one new file together apply each migration once', async () => {
  const module = new URL('../../src/storage/sqlite.js', import.meta.url).href;
  // A race is not lost every time: a few rounds make a deferred transaction fail this test reliably.
  for (let round = 0; round < 4; round++) {
    const file = join(dir, `race-${round}.db`);
    await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise((resolve, reject) => {
          const w = new Worker(OPENER, { eval: true, workerData: { module, file } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
      ),
    );
    const db = new Database(file);
    assert.equal(applied(db), loadMigrations().map((m) => m.hash), file);
    db.close();
  }
});

// SQLite refuses at once, without waiting out busy_timeout, to switch a rollback-journal file to WAL
// while another connection holds its write lock; opening must wait for the lock instead of failing.
test('opening a rollback-journal file while another connection writes to it waits for the lock', async () => {
  const file = join(dir, 'rollback.db');
  await (await openStorage(file)).close();
  const raw = new Database(file);
  raw.pragma('journal_mode = DELETE');
  raw.close();
  const holder = new Worker(LOCK_HOLDER, { eval: true, workerData: { file, holdMs: 300 } });
  await new Promise((resolve) => holder.once('message', resolve));
  const s = new SqliteStorage(file);
  await s.close();
  await new Promise((resolve) => holder.once('exit', resolve));
  const db = new Database(file);
  assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

// Another process migrating the same new file may commit between the foreign-file check's two reads
// (user_version, then the tables): injected here between them, the check must still see one state.
test('the foreign-file check reads user_version and the tables from one snapshot', () => {
  const file = join(dir, 'snapshot.db');
  const setup = new Database(file);
  setup.pragma('journal_mode = WAL');
  const reader = new Database(file);
  let committed = false;
  const interleaving = new Proxy(reader, {
    get(target, prop) {
      if (prop === 'prepare' && !committed) {
        committed = true;
        setup.exec('CREATE TABLE studies (id INTEGER PRIMARY KEY)');
        setup.pragma(`user_version = ${DRIZZLE_MANAGED}`);
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  try {
    refuseForeign(interleaving, file);
    assert.ok(committed, 'the commit was injected between the two reads');
  } finally {
    reader.close();
    setup.close();
  }
});

test('concurrent writers on one file (worker threads) get unique dense numbers', async () => {
  const file = join(dir, 'concurrent.db');
  const main = await openStorage(file);
  const st = newStudy();
  await main.createStudy(st);
  const module = new URL('../../src/storage/sqlite.js', import.meta.url).href;
  const writers = 4;
  const count = 60;
  const results = await Promise.all(
    Array.from({ length: writers }, (_, index) =>
      new Promise<number[]>((resolve, reject) => {
        const w = new Worker(WORKER, { eval: true, workerData: { module, file, study: st.name, index, count } });
        w.once('message', resolve);
        w.once('error', reject);
      }),
    ),
  );
  const all = results.flat().sort((a, b) => a - b);
  assert.equal(all, Array.from({ length: writers * count }, (_, k) => k));
  const trials = await main.getTrials(st.name, ['complete']);
  assert.is(trials.length, writers * count);
  for (let w = 0; w < writers; w++) assert.is(trials.filter((t) => t.worker === w).length, count);
  await main.close();
});

test.run();
