import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSampler } from '../../src/samplers/index.js';
import type { Space } from '../../src/space/index.js';
import { openStorage } from '../../src/storage/index.js';
import { runStudy, type RunStudyOptions, type Storage, type StudyRecord } from '../../src/study/index.js';
import { PiscinaExecutor } from '../../src/workers/index.js';
import { syntheticSpace, tempDir } from './helpers.js';

async function newStudy(storage: Storage, space: Space, name = 'synthetic', seed = 11): Promise<StudyRecord> {
  return storage.createStudy({ name, spaceFile: space.file, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed });
}

async function run(storage: Storage, study: StudyRecord, space: Space, extra: { trials?: number; workers?: number; trialTimeoutMs?: number; onEvent?: RunStudyOptions['onEvent'] } = {}) {
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
      ...(extra.onEvent ? { onEvent: extra.onEvent } : {}),
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

test('a resumed study continues up to its budget and fails trials left running', async () => {
  const space = syntheticSpace(tempDir(), { trials: 3, workers: 2 });
  const storage = await openStorage(':memory:');
  const study = await newStudy(storage, space);
  await run(storage, study, space);
  // A trial left 'running' by a process that died:
  await storage.startTrial('synthetic', { x: 0.5, n: 2, mode: 'ok' }, 0);
  const interrupted: number[] = [];
  const summary = await run(storage, study, space, { trials: 7, onEvent: (e) => void (e.type === 'interrupted' && interrupted.push(...e.trials.map((t) => t.number))) });
  assert.equal(interrupted, [3]);
  assert.is(summary.trials[3]!.state, 'failed', 'the loop\'s own view of the trial is updated too');
  const trials = await storage.getTrials('synthetic');
  assert.is(trials.length, 7);
  assert.is(summary.launched, 3);
  assert.is(trials[3]!.state, 'failed');
  assert.match(trials[3]!.error!, /interrupted/);
  assert.is(trials.filter((t) => t.state === 'complete').length, 6);
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

test.run();
