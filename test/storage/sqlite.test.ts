/**
 * SQLite storage: the shared contract against a temp file and ':memory:', plus what only SQLite
 * has: migrations and user_version, PRAGMAs, schema.ts agreeing with the migration DDL, and real
 * concurrent writers (worker threads, each with its own connection) on one file.
 */
import Database from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageError } from '../../src/errors.js';
import { DEFAULT_STORAGE, LATEST_VERSION, MIGRATIONS, migrate, openStorage, schema, schemaVersion, SqliteStorage } from '../../src/storage/index.js';
import { newStudy, storageContract } from './contract.js';
import { leaseContract } from './leases.js';

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-storage-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const contractFile = join(dir, 'nested', 'contract.db');
storageContract('sqlite file', () => openStorage(contractFile), { sharedDatabase: true });
storageContract('sqlite :memory:', () => openStorage(':memory:'));
leaseContract('sqlite file', () => openStorage(contractFile), { sharedDatabase: true });
leaseContract('sqlite :memory:', () => openStorage(':memory:'));

const test = suite('sqlite specifics');

test('a fresh database gets the latest user_version and the pragmas', async () => {
  const file = join(dir, 'fresh.db');
  const s = (await openStorage(file)) as SqliteStorage;
  await s.close();
  const db = new Database(file);
  try {
    assert.is(schemaVersion(db), LATEST_VERSION);
    assert.is(db.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    db.close();
  }
  const mem = new Database(':memory:');
  migrate(mem, ':memory:');
  assert.is(schemaVersion(mem), LATEST_VERSION);
  assert.is(migrate(mem, ':memory:'), LATEST_VERSION, 'a second migrate finds it current and does nothing');
  mem.close();
});

test('a database claiming a newer version is refused, and left as it was', async () => {
  const file = join(dir, 'newer.db');
  const db = new Database(file);
  db.pragma(`user_version = ${LATEST_VERSION + 1}`);
  db.close();
  try {
    await openStorage(file);
    assert.unreachable('opened a newer database');
  } catch (err) {
    assert.instance(err, StorageError);
    assert.match((err as Error).message, new RegExp(`at most ${LATEST_VERSION}.*got ${LATEST_VERSION + 1}.*newer sweetspot`));
  }
  const after = new Database(file);
  assert.is(schemaVersion(after), LATEST_VERSION + 1);
  after.close();
});

test('migrations apply in order; a failing one rolls back whole', () => {
  const db = new Database(':memory:');
  const v2 = { version: 2, description: 'add a column', sql: 'ALTER TABLE studies ADD COLUMN note TEXT;' };
  migrate(db, 'mem', [MIGRATIONS[0]!]);
  assert.is(schemaVersion(db), 1);
  assert.is(migrate(db, 'mem', [MIGRATIONS[0]!, v2]), 1);
  assert.is(schemaVersion(db), 2);
  assert.ok((db.pragma('table_info(studies)') as { name: string }[]).some((c) => c.name === 'note'));
  const bad = { version: 3, description: 'broken', sql: 'CREATE TABLE extra (a INTEGER); INSERT INTO missing VALUES (1);' };
  assert.throws(() => migrate(db, 'mem', [MIGRATIONS[0]!, v2, bad]), /migration 3 \(broken\) failed/);
  assert.is(schemaVersion(db), 2);
  assert.not.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'extra'").get(), 'the half-done migration rolled back');
  db.close();
});

test('schema.ts describes exactly the tables the migrations create', () => {
  const db = new Database(':memory:');
  migrate(db, 'mem');
  for (const table of [schema.studies, schema.studyAttrs, schema.trials, schema.trialIntermediate]) {
    const config = getTableConfig(table);
    const actual = (db.pragma(`table_info(${config.name})`) as { name: string; notnull: number; type: string }[]).map(
      (c) => `${c.name}:${c.type}:${c.notnull || config.columns.find((d) => d.name === c.name)?.primary ? 1 : 0}`,
    );
    const declared = config.columns.map((c) => `${c.name}:${c.getSQLType().toUpperCase()}:${c.notNull ? 1 : 0}`);
    assert.equal(actual.sort(), declared.sort(), config.name);
    const indexes = (db.pragma(`index_list(${config.name})`) as { name: string }[]).map((i) => i.name).filter((n) => !n.startsWith('sqlite_'));
    assert.equal(indexes.sort(), config.indexes.map((i) => i.config.name).sort(), `${config.name} indexes`);
  }
  db.close();
});

test('openStorage creates the parent folder, refuses PostgreSQL honestly and other URLs', async () => {
  const file = join(dir, 'a', 'b', 'c.db');
  const s = await openStorage(file);
  await s.close();
  assert.ok(existsSync(file));
  for (const url of ['postgres://u:secret@host/db', 'postgresql://host/db']) {
    try {
      await openStorage(url);
      assert.unreachable(url);
    } catch (err) {
      assert.instance(err, StorageError);
      assert.match((err as Error).message, /PostgreSQL storage is not implemented yet/);
      assert.not.match((err as Error).message, /secret/);
    }
  }
  try {
    await openStorage('mysql://host/db');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, StorageError);
    assert.match((err as Error).message, /got mysql:\/\/host\/db/);
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
