import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSampler } from '../../src/samplers/index.js';
import type { Space } from '../../src/space/index.js';
import { openStorage } from '../../src/storage/index.js';
import { runStudy, type Storage, type StudyRecord } from '../../src/study/index.js';
import { PiscinaExecutor } from '../../src/workers/index.js';
import { syntheticSpace, tempDir } from './helpers.js';

async function newStudy(storage: Storage, space: Space, name = 'synthetic', seed = 11): Promise<StudyRecord> {
  return storage.createStudy({ name, spaceFile: space.file, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed });
}

async function run(storage: Storage, study: StudyRecord, space: Space, extra: { trials?: number; workers?: number; trialTimeoutMs?: number; leaseMs?: number; abort?: AbortSignal } = {}) {
  const executor = new PiscinaExecutor({ workers: extra.workers ?? space.budget.workers, graceMs: 200 });
  try {
    return await runStudy({
      storage,
      study,
      space,
      sampler: createSampler(space.sampler, { space, seed: study.seed }),
      executor,
      trials: extra.trials ?? space.budget.trials,
      studyDir: tempDir(),
      ...(extra.trialTimeoutMs === undefined ? {} : { trialTimeoutMs: extra.trialTimeoutMs }),
      ...(extra.leaseMs === undefined ? {} : { leaseMs: extra.leaseMs }),
      ...(extra.abort === undefined ? {} : { abort: extra.abort, stop: extra.abort }),
    });
  } finally {
    await executor.close();
  }
}

test('runs the budget on two workers in parallel and stores every trial', async () => {
  const space = syntheticSpace(tempDir(), { sleepMs: 300, trials: 6, workers: 2 });
  const storage = await openStorage(':memory:');
  const study = await newStudy(storage, space);
  const summary = await run(storage, study, space);
  const trials = await storage.getTrials('synthetic');
  assert.is(trials.length, 6);
  assert.ok(trials.every((t) => t.state === 'complete'), JSON.stringify(trials.map((t) => t.error)));
  assert.equal(new Set(trials.map((t) => t.worker)), new Set([0, 1]));
  // Trials overlap in time: the pool keeps two in flight.
  const overlaps = trials.some((a) => trials.some((b) => a !== b && a.startedAt! < b.finishedAt! && b.startedAt! < a.finishedAt!));
  assert.ok(overlaps, 'some trials ran at the same time');
  assert.ok(summary.utilization > 0.5, `utilization ${summary.utilization}`);
  // Intermediate values arrive from the worker and are kept in order.
  assert.equal(trials[0]!.intermediate.map((v) => v.step), [1, 2, 3]);
  assert.is(trials[0]!.attrs.thread, 'worker');
  await storage.close();
});

test('same seed with one worker gives the same parameter sequence', async () => {
  const dir = tempDir();
  const space = syntheticSpace(dir, { trials: 5, workers: 1 });
  const storage = await openStorage(':memory:');
  const a = await newStudy(storage, space, 'a', 5);
  const b = await newStudy(storage, space, 'b', 5);
  const c = await newStudy(storage, space, 'c', 6);
  await run(storage, a, space);
  await run(storage, b, space);
  await run(storage, c, space);
  const params = async (name: string) => (await storage.getTrials(name)).map((t) => t.params);
  assert.equal(await params('a'), await params('b'));
  assert.not.equal(await params('a'), await params('c'));
  await storage.close();
});

test('a resumed study continues up to its budget and re-runs trials left running by a dead process', async () => {
  const space = syntheticSpace(tempDir(), { trials: 3, workers: 2 });
  const storage = await openStorage(':memory:');
  const study = await newStudy(storage, space);
  await run(storage, study, space);
  // A trial left 'running' by a process that died:
  await storage.startTrial('synthetic', { x: 0.5, n: 2, mode: 'ok' }, 0);
  const summary = await run(storage, study, space, { trials: 7 });
  const trials = await storage.getTrials('synthetic');
  assert.is(trials.length, 7);
  assert.is(summary.launched, 4, '3 new trials and the re-run');
  assert.equal([trials[3]!.state, trials[3]!.attempt], ['complete', 2]);
  assert.equal(trials[3]!.params, { x: 0.5, n: 2, mode: 'ok' });
  assert.is(trials.filter((t) => t.state === 'complete').length, 7);
  await storage.close();
});

test('objective errors, missing metrics and timeouts fail the trial with the reason', async () => {
  const space = syntheticSpace(tempDir(), { trials: 9, workers: 2, modes: ['fail', 'nometric', 'hang'] });
  const storage = await openStorage(':memory:');
  const study = await newStudy(storage, space);
  await run(storage, study, space, { trialTimeoutMs: 2000 });
  const trials = await storage.getTrials('synthetic');
  assert.is(trials.length, 9);
  for (const t of trials) {
    assert.is(t.state, 'failed');
    const expected = { fail: /synthetic failure at x=/, nometric: /metric 'loss' missing/, hang: /timed out/ }[t.params.mode as string]!;
    assert.match(t.error!, expected, `trial ${t.number} (${String(t.params.mode)}): ${t.error}`);
  }
  await storage.close();
});

test('two loops on one study file share the budget: unique numbers and params, nothing recovered from a live process', async () => {
  const dir = tempDir();
  const space = syntheticSpace(dir, { sleepMs: 150, trials: 10, workers: 2 });
  const file = join(dir, 'shared.db');
  const [a, b] = [await openStorage(file), await openStorage(file)];
  const study = await newStudy(a, space);
  // A short lease, renewed by heartbeats: a live process keeps its trials however long they run.
  const [ra, rb] = await Promise.all([run(a, study, space, { leaseMs: 200 }), run(b, study, space, { leaseMs: 200 })]);
  const trials = await a.getTrials('synthetic');
  assert.is(trials.length, 10);
  assert.ok(trials.every((t) => t.state === 'complete' && t.attempt === 1), JSON.stringify(trials.map((t) => [t.state, t.attempt, t.error])));
  assert.is(new Set(trials.map((t) => JSON.stringify(t.params))).size, 10, 'no parameter set twice');
  assert.is(ra.launched + rb.launched, 10);
  assert.ok(ra.launched > 0 && rb.launched > 0, `${ra.launched} + ${rb.launched}`);
  await a.close();
  await b.close();
});

test('an aborted run leaves nothing running: its trials wait to be re-run, and the next run re-runs them first', async () => {
  const space = syntheticSpace(tempDir(), { sleepMs: 3000, trials: 4, workers: 2 });
  const storage = await openStorage(':memory:');
  const study = await newStudy(storage, space);
  const abort = new AbortController();
  setTimeout(() => abort.abort(new Error('interrupted by SIGTERM')), 400);
  const summary = await run(storage, study, space, { abort: abort.signal });
  assert.is(summary.stoppedBy, 'abort');
  const after = await storage.getTrials('synthetic');
  assert.equal(after.map((t) => t.state), ['waiting', 'waiting']);
  const quick = syntheticSpace(tempDir(), { sleepMs: 0, trials: 4, workers: 2 });
  await run(storage, study, quick);
  const trials = await storage.getTrials('synthetic');
  assert.equal(trials.map((t) => [t.state, t.attempt]), [['complete', 2], ['complete', 2], ['complete', 1], ['complete', 1]]);
  assert.equal(trials[0]!.params, after[0]!.params);
  await storage.close();
});

test.run();
