/**
 * Per-call cost of the study loop's storage hot paths over 1,000 trials: 1,000 startTrial, then
 * 1,000 reportIntermediate, then 1,000 finishTrial, each phase timed as a whole (wall and process
 * CPU), on a WAL file and in memory, plus one getTrials of them all. Beside them, the floor on
 * this machine at this moment: a one-row INSERT in a BEGIN IMMEDIATE transaction on raw
 * better-sqlite3. The machine is shared, so read the ratio to the floor, not only the numbers.
 * The study loop's budget is < 2 ms of orchestration per trial. Writes reports/bench/storage.md.
 *
 * Each location runs twice, side by side: the trial statements as drizzle queries (what the
 * storage uses) and the same statements in raw SQL (raw-trial-statements.ts), for drizzle's cost.
 *
 * A second table sets the backends side by side in the same run, through the Storage interface as
 * the loop calls it: tryStartTrial (lease, budget, unique), reportIntermediate, finishTrial,
 * externalVersion, and one getTrials, on a SQLite file, SQLite in memory and PostgreSQL on
 * loopback (the test helper's embedded server, or SWEETSPOT_TEST_PG_URL).
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStorage, POOL_SIZE, SqliteStorage } from '../src/storage/index.js';
import { postgresDatabase, stopPostgres } from '../test/support/postgres.js';
import type { SqliteOptions } from '../src/storage/sqlite.js';
import { drizzleTrialStatements } from '../src/storage/trial-statements.js';
import { rawTrialStatements } from './raw-trial-statements.js';
import type { Storage } from '../src/study/index.js';

const TRIALS = 1000;
const PARAMS = { width: 16, depth: 2, temperature: 3.5, bits: 8, prune: 0.25, act: 'relu' };

interface Cost {
  /** µs per call, wall clock. */
  wall: number;
  /** µs per call, process CPU (user + system). */
  cpu: number;
}

async function phase(fn: (k: number) => Promise<unknown> | unknown): Promise<Cost> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < TRIALS; k++) await fn(k);
  const wall = ((performance.now() - t0) * 1000) / TRIALS;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / TRIALS };
}

async function loop(s: Storage, study: string): Promise<Cost[]> {
  const base = (await s.getTrials(study)).length;
  const start = await phase(() => s.startTrial(study, PARAMS, 0));
  const report = await phase((k) => s.reportIntermediate(study, base + k, { step: 0, metrics: { loss: 1 / (k + 1) } }));
  const finish = await phase((k) =>
    s.finishTrial(study, base + k, { state: 'complete', metrics: { loss: 1 / (k + 1), acc: 0.9, size: 1234 }, attrs: { backend: 'cpu' } }),
  );
  return [start, report, finish];
}

type Statements = NonNullable<SqliteOptions['statements']>;

async function measure(location: string, statements: Statements): Promise<{ costs: Cost[]; getTrials: number }> {
  if (location !== ':memory:') await (await openStorage(location)).close(); // creates the folder and file
  const s = new SqliteStorage(location, { create: true, statements });
  const spec = { spaceFile: 'x.yaml', spaceText: 'x', spaceHash: '0', directions: { loss: 'minimize' as const }, seed: 1 };
  await s.createStudy({ name: 'warm', ...spec });
  await s.createStudy({ name: 'bench', ...spec });
  await loop(s, 'warm'); // statement cache, JIT
  const costs = await loop(s, 'bench');
  const g0 = performance.now();
  const all = await s.getTrials('bench');
  const getTrials = performance.now() - g0;
  if (all.length !== TRIALS || all.some((t) => t.state !== 'complete' || t.intermediate.length !== 1)) {
    throw new Error(`expected ${TRIALS} complete trials with one intermediate each`);
  }
  await s.close();
  return { costs, getTrials };
}

async function floor(location: string): Promise<Cost> {
  const db = new Database(location);
  if (location !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO kv (v) VALUES (?)');
  const tx = db.transaction(() => insert.run('x'));
  await phase(() => tx.immediate());
  const cost = await phase(() => tx.immediate());
  db.close();
  return cost;
}

/** The loop's calls per trial through the Storage interface: µs per call for each, wall / CPU. */
async function orchestration(s: Storage): Promise<{ costs: Cost[]; getTrials: number }> {
  const spec = { spaceFile: 'x.yaml', spaceText: 'x', spaceHash: '0', directions: { loss: 'minimize' as const }, seed: 1 };
  const lease = { owner: 'bench', worker: 0, leaseMs: 60_000 };
  const run = async (study: string): Promise<Cost[]> => {
    await s.createStudy({ name: study, ...spec });
    const start = await phase((k) => s.tryStartTrial(study, { ...PARAMS, width: k }, lease, { budget: TRIALS, unique: true }));
    const report = await phase((k) => s.reportIntermediate(study, k, { step: 0, metrics: { loss: 1 / (k + 1) } }, 'bench'));
    const finish = await phase((k) => s.finishTrial(study, k, { state: 'complete', metrics: { loss: 1 / (k + 1), acc: 0.9, size: 1234 } }, 'bench'));
    const version = await phase(() => s.externalVersion());
    return [start, report, finish, version];
  };
  await run('warm');
  const costs = await run('bench');
  const g0 = performance.now();
  const all = await s.getTrials('bench');
  const getTrials = performance.now() - g0;
  if (all.length !== TRIALS || all.some((t) => t.state !== 'complete')) throw new Error(`expected ${TRIALS} complete trials`);
  await s.close();
  return { costs, getTrials };
}

async function backends(dir: string): Promise<string[]> {
  const f = (c: Cost) => `${c.wall.toFixed(0)} / ${c.cpu.toFixed(0)}`;
  const lines = [
    '',
    `## Backends side by side: µs per call, wall / CPU of this process (${TRIALS} trials, through the Storage interface)`,
    '',
    '| backend | tryStartTrial | reportIntermediate | finishTrial | start + report + finish | externalVersion | getTrials (1,000 trials) |',
    '|---|---|---|---|---|---|---|',
  ];
  const pgUrl = await postgresDatabase('bench_storage');
  for (const [label, open] of [
    ['SQLite file (WAL)', () => openStorage(join(dir, 'backends.db'))],
    ['SQLite :memory:', () => openStorage(':memory:')],
    [`PostgreSQL 127.0.0.1 (pool of ${POOL_SIZE})`, () => openStorage(pgUrl)],
  ] as const) {
    const { costs, getTrials } = await orchestration(await open());
    const [start, report, finish, version] = costs as [Cost, Cost, Cost, Cost];
    const sum = { wall: start.wall + report.wall + finish.wall, cpu: start.cpu + report.cpu + finish.cpu };
    lines.push(`| ${label} | ${f(start)} | ${f(report)} | ${f(finish)} | ${f(sum)} | ${f(version)} | ${getTrials.toFixed(1)} ms |`);
  }
  lines.push('', 'PostgreSQL\'s CPU column is this process only; the server\'s own work (same machine) shows in the wall time.');
  await stopPostgres();
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-bench-'));
try {
  const f = (c: Cost) => `${c.wall.toFixed(1)} / ${c.cpu.toFixed(1)}`;
  const lines = [
    `# Storage hot paths: µs per call, wall / CPU (${TRIALS} trials, Node ${process.version}, ${new Date().toISOString()})`,
    '',
    '| location | statements | startTrial | reportIntermediate | finishTrial | start + finish | floor: 1-row insert tx | getTrials (1,000 trials) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const ratios: string[] = [];
  for (const [label, location] of [['file (WAL)', 'bench'], [':memory:', ':memory:']] as const) {
    const totals: Record<string, number> = {};
    // Alternate the variants, twice each, so that load drifting during the run hits both alike.
    for (const round of [0, 1]) {
      for (const [variant, statements] of [['drizzle', drizzleTrialStatements], ['raw SQL', rawTrialStatements]] as [string, Statements][]) {
        const tag = `${variant === 'raw SQL' ? 'raw' : 'drizzle'}-${round}`;
        const where = location === ':memory:' ? location : join(dir, `${location}-${tag}.db`);
        const { costs, getTrials } = await measure(where, statements);
        const [start, report, finish] = costs as [Cost, Cost, Cost];
        const base = await floor(location === ':memory:' ? location : join(dir, `floor-${tag}.db`));
        const both = { wall: start.wall + finish.wall, cpu: start.cpu + finish.cpu };
        totals[variant] = (totals[variant] ?? 0) + start.cpu + report.cpu + finish.cpu;
        lines.push(`| ${label} | ${variant} | ${f(start)} | ${f(report)} | ${f(finish)} | ${f(both)} | ${f(base)} | ${getTrials.toFixed(1)} ms |`);
      }
    }
    ratios.push(`${label}: drizzle / raw SQL CPU per trial (start + report + finish, both rounds) = ${(totals['drizzle']! / totals['raw SQL']!).toFixed(2)}`);
  }
  lines.push('', ...ratios.map((r) => `- ${r}`));
  lines.push(...(await backends(dir)));
  lines.push('', `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${cpus().length} cores.`, '');
  const text = lines.join('\n');
  console.log(text);
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync('reports/bench/storage.md', text);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
