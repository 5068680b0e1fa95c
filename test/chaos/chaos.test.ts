/**
 * Overnight reliability, end to end (`npm run test:chaos`, also part of `npm test`): real CLI
 * processes on one SQLite study, killed with SIGKILL at random moments and resumed; a resume
 * started beside a live run; two runners started at once. Trials are the cheap synthetic
 * objective, so the whole file runs in well under a minute.
 *
 * What must hold: exactly the budget of complete trials, no duplicate numbers or parameter sets,
 * PRAGMA integrity_check ok, and no trial failed by the orchestrator (wrongly failed).
 * The figures (kills, re-runs, lost, wrongly failed) are printed for docs/benchmarks.md.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/math/index.js';
import { startCli } from '../cli/run-cli.js';
import { syntheticSpaceFile, tempDir } from '../study/helpers.js';

/** Short leases so that a resume after a kill re-runs the dead process's trials within a second. */
const LEASE = 'budget: { trials: 60, workers: 2, leaseGrace: 800ms, retries: 5 }';

const start = startCli;

interface Row {
  number: number;
  state: string;
  params: string;
  attempt: number;
  error: string | null;
}

function rows(db: string): { trials: Row[]; integrity: string } {
  const conn = new Database(db, { readonly: true });
  try {
    const trials = conn.prepare('SELECT number, state, params, attempt, error FROM trials ORDER BY number').all() as Row[];
    return { trials, integrity: conn.pragma('integrity_check', { simple: true }) as string };
  } finally {
    conn.close();
  }
}

function checkStudy(db: string, budget: number): Row[] {
  const { trials, integrity } = rows(db);
  assert.is(integrity, 'ok');
  const complete = trials.filter((t) => t.state === 'complete');
  assert.is(complete.length, budget, `complete trials: ${JSON.stringify(trials.filter((t) => t.state !== 'complete'))}`);
  assert.is(new Set(trials.map((t) => t.number)).size, trials.length, 'unique numbers');
  assert.is(new Set(trials.map((t) => t.params)).size, trials.length, 'no parameter set twice');
  const wronglyFailed = trials.filter((t) => t.state === 'failed');
  assert.is(wronglyFailed.length, 0, JSON.stringify(wronglyFailed));
  return trials;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForStudy(db: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (existsSync(db)) {
      const conn = new Database(db, { readonly: true });
      try {
        if (conn.prepare("SELECT 1 FROM sqlite_master WHERE name = 'studies'").get() && conn.prepare('SELECT 1 FROM studies').get()) return;
      } finally {
        conn.close();
      }
    }
    await sleep(50);
  }
  throw new Error(`no study in ${db} after 30 s`);
}

test('a 60-trial sweep on 2 workers killed with SIGKILL 6 times and resumed ends with exactly 60 complete', async () => {
  const dir = tempDir('sweetspot-chaos-');
  const space = syntheticSpaceFile(dir, { trials: 60, workers: 2, sleepMs: 240 });
  // The helper writes a plain budget line; this test needs short leases and room for retries.
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync(space, readFileSync(space, 'utf8').replace(/^budget: .*$/m, LEASE));
  const db = join(dir, 'runs', 'chaos.db');
  const rng = new Rng(20261201);
  let kills = 0;
  let proc = start(['run', space, '--storage', db, '--no-report', '--study', 'synthetic'], dir);
  // The kills test resuming a sweep, so the first waits for the study to exist: on a loaded
  // machine a kill 0.7 s after start can land before the run has created it, and then there is
  // nothing to resume (the user would start the run again).
  await waitForStudy(db);
  for (; kills < 6; ) {
    await sleep(700 + rng.uniform() * 1800);
    proc.child.kill('SIGKILL');
    const ended = await proc.exited;
    if (ended.signal !== 'SIGKILL') break; // it finished first: the budget is done
    kills++;
    proc = start(['resume', 'synthetic', '--storage', db, '--no-report'], dir);
  }
  const last = await proc.exited;
  assert.is(last.code, 0, last.stderr);
  assert.ok(kills >= 5, `killed ${kills} times`);
  const trials = checkStudy(db, 60);
  const reruns = trials.reduce((n, t) => n + t.attempt - 1, 0);
  process.stdout.write(`\n  chaos: ${kills} SIGKILLs survived, ${reruns} trial runs re-run, 0 lost, 60/60 complete\n`);
});

test('a resume started beside a live run, and two runners at once: nothing wrongly failed, both exit 0', async () => {
  for (const scenario of ['resume beside run', 'two runners'] as const) {
    const dir = tempDir('sweetspot-chaos-');
    const space = syntheticSpaceFile(dir, { trials: 24, workers: 2, sleepMs: 300 });
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(space, readFileSync(space, 'utf8').replace(/^budget: .*$/m, LEASE.replace('60', '24')));
    const db = join(dir, 'runs', 'c.db');
    const first = start(['run', space, '--storage', db, '--no-report', '--study', 'synthetic'], dir);
    // The second runner joins the study by name, so it must exist: as soon as it does (two
    // runners at once), or once the first has been running trials for a while (resume beside it).
    await waitForStudy(db);
    if (scenario === 'resume beside run') await sleep(1500);
    const second = start(['resume', 'synthetic', '--storage', db, '--no-report'], dir);
    const [a, b] = await Promise.all([first.exited, second.exited]);
    assert.is(a.code, 0, `${scenario}: first: ${a.stderr}`);
    assert.is(b.code, 0, `${scenario}: second: ${b.stderr}`);
    const trials = checkStudy(db, 24);
    assert.ok(trials.every((t) => t.attempt === 1), `${scenario}: nothing re-run while both were alive`);
    process.stdout.write(`  chaos: ${scenario}: 24/24 complete, 0 wrongly failed, both exit 0\n`);
  }
});

test.run();
