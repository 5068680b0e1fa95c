/**
 * `sweetspot worker`: several processes on one study, as on several machines. Real CLI processes
 * on the synthetic objective (sleeping trials), checked through the Storage interface so the same
 * scenarios run on every backend the tests can reach (a SQLite file always; PostgreSQL when a
 * server is available, see `scenarioStorages`).
 *
 * What must hold: exactly the budget of complete trials, no duplicate numbers or parameter sets,
 * every worker exits 0 once the budget is used, and a worker killed with SIGKILL mid-trial has
 * its trials re-run by another.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openStorage } from '../../src/storage/index.js';
import type { Trial } from '../../src/study/index.js';
import { syntheticSpaceFile, tempDir } from '../study/helpers.js';
import { cli, startCli } from './run-cli.js';
import { scenarioStorages } from './scenario-storages.js';


const start = startCli;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function trialsOf(storage: string, study: string): Promise<Trial[]> {
  const s = await openStorage(storage, { create: false });
  try {
    return await s.getTrials(study);
  } finally {
    await s.close();
  }
}

/** A study with its budget untouched: `run` creates it and stops at once (its timeout) before launching a trial. */
function createStudy(dir: string, storage: string, budget: string, sleepMs: number): void {
  const space = syntheticSpaceFile(dir, { sleepMs });
  writeFileSync(space, readFileSync(space, 'utf8').replace(/^budget: .*$/m, budget));
  const made = cli(['run', space, '--storage', storage, '--study', 'shared', '--no-report', '--timeout', '0.001'], dir);
  assert.is(made.code, 0, made.stderr);
}

function checkStudy(trials: readonly Trial[], budget: number): void {
  const complete = trials.filter((t) => t.state === 'complete');
  assert.is(complete.length, budget, `complete trials: ${JSON.stringify(trials.filter((t) => t.state !== 'complete').map((t) => [t.number, t.state, t.error]))}`);
  assert.is(trials.length, budget, 'no trial beyond the budget');
  assert.equal(trials.map((t) => t.number), [...Array(budget).keys()], 'numbers 0..budget-1, each once');
  assert.is(new Set(trials.map((t) => JSON.stringify(t.params))).size, trials.length, 'no parameter set twice');
}

for (const { label, location, skip } of await scenarioStorages()) {
  if (skip) {
    process.stdout.write(`\n  worker scenarios on ${label}: skipped: ${skip}\n`);
    continue;
  }

  test(`${label}: three workers of two threads each on one 60-trial study end with exactly 60 complete, no number or parameter set twice`, async () => {
    const dir = tempDir('sweetspot-worker-');
    const storage = await location(dir);
    // leaseGrace 2s: a worker that finds the budget used looks for the others' last trials every 0.5 s, not 5 s.
    createStudy(dir, storage, 'budget: { trials: 60, workers: 2, leaseGrace: 2s }', 150);
    const workers = [0, 1, 2].map(() => start(['worker', 'shared', '--storage', storage, '--workers', '2'], dir));
    const ended = await Promise.all(workers.map((w) => w.exited));
    for (const e of ended) assert.is(e.code, 0, e.stderr);
    const trials = await trialsOf(storage, 'shared');
    checkStudy(trials, 60);
    assert.ok(trials.every((t) => t.attempt === 1), 'nothing re-run while every worker was alive');
    // Another machine: a folder with no space file and no runs/, only the database.
    const elsewhere = tempDir('sweetspot-elsewhere-');
    const csv = cli(['export', 'shared', '--storage', storage, '--format', 'csv'], elsewhere);
    assert.is(csv.code, 0, csv.stderr);
    assert.is(csv.stdout.trim().split('\n').length, 61, 'a header and 60 trials');
    const report = cli(['report', 'shared', '--storage', storage, '--out', 'night.html'], elsewhere);
    assert.is(report.code, 0, report.stderr);
  });

  test(`${label}: a worker killed with SIGKILL mid-trial has its trials re-run by another`, async () => {
    const dir = tempDir('sweetspot-worker-');
    const storage = await location(dir);
    // Short leases, so that the survivor re-runs the dead worker's trials within a second.
    createStudy(dir, storage, 'budget: { trials: 12, workers: 2, leaseGrace: 800ms }', 500);
    const doomed = start(['worker', 'shared', '--storage', storage], dir);
    const survivor = start(['worker', 'shared', '--storage', storage], dir);
    // Owners are host:pid:random: wait until the doomed worker holds a running trial, then kill it mid-trial.
    const mine = (t: Trial) => t.state === 'running' && (t.owner ?? '').includes(`:${doomed.child.pid}:`);
    let held: Trial[] = [];
    for (let i = 0; i < 600 && held.length === 0; i++) {
      await sleep(50);
      held = (await trialsOf(storage, 'shared')).filter(mine);
    }
    assert.ok(held.length > 0, 'the doomed worker started a trial');
    await sleep(200);
    held = (await trialsOf(storage, 'shared')).filter(mine);
    doomed.child.kill('SIGKILL');
    assert.is((await doomed.exited).signal, 'SIGKILL');
    const last = await survivor.exited;
    assert.is(last.code, 0, last.stderr);
    assert.match(last.stderr, /re-queued \d+ trials? whose process stopped renewing its lease/);
    const trials = await trialsOf(storage, 'shared');
    checkStudy(trials, 12);
    // A held trial may have finished in the moment between the last look and the kill: only the
    // others were cut short, and each of those must have been re-run by the survivor.
    const cut = held.filter((h) => !(trials[h.number]!.owner ?? '').includes(`:${doomed.child.pid}:`));
    assert.ok(cut.length > 0, 'the doomed worker held a trial when it was killed');
    for (const h of cut) {
      const t = trials[h.number]!;
      assert.ok(t.attempt >= 2, `trial ${h.number} re-run (attempt ${t.attempt})`);
      assert.equal(t.params, h.params, `trial ${h.number} re-run with its own parameters`);
    }
  });
}

test.run();
