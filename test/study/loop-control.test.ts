/**
 * The loop's control paths with an in-process executor whose trials take a known time: stop,
 * abort, the study timeout, and event handlers that must not hold a freed worker back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSampler } from '../../src/samplers/index.js';
import type { Space } from '../../src/space/index.js';
import { openStorage } from '../../src/storage/index.js';
import { runStudy, type LoopEvent, type RunStudyOptions, type Storage, type TrialExecutor, type TrialOutcome, type TrialSpec } from '../../src/study/index.js';
import { syntheticSpace, tempDir } from './helpers.js';

/** Runs each trial for `ms` on a timer, honouring the abort signal; records when each started. */
class TimedExecutor implements TrialExecutor {
  readonly started = new Map<number, number>();
  constructor(
    readonly slots: number,
    private readonly ms: number,
  ) {}
  run(spec: TrialSpec, hooks: { signal?: AbortSignal } = {}): Promise<TrialOutcome> {
    this.started.set(spec.trial, performance.now());
    return new Promise((resolve) => {
      const done = (outcome: TrialOutcome): void => {
        clearTimeout(timer);
        hooks.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = (): void => done({ ok: false, error: 'aborted', aborted: true, seconds: 0, intermediate: [] });
      const timer = setTimeout(() => done({ ok: true, output: { loss: (spec.params.x as number) ** 2, size: 1 }, seconds: this.ms / 1000, intermediate: [] }), this.ms);
      if (hooks.signal?.aborted) onAbort();
      else hooks.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  async close(): Promise<void> {}
}

async function setup(trials: number): Promise<{ space: Space; storage: Storage; options: Omit<RunStudyOptions, 'executor'> }> {
  const space = syntheticSpace(tempDir(), { trials, workers: 2 });
  const storage = await openStorage(':memory:');
  const study = await storage.createStudy({ name: 'synthetic', spaceFile: space.file, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed: 3 });
  const sampler = createSampler(space.sampler, { space, seed: 3 });
  return { space, storage, options: { storage, study, space, sampler, trials, studyDir: tempDir() } };
}

test('stop: nothing new is launched, running trials finish and are stored complete', async () => {
  const { storage, options } = await setup(10);
  const stop = new AbortController();
  const summary = await runStudy({
    ...options,
    executor: new TimedExecutor(2, 50),
    stop: stop.signal,
    onEvent: (e) => {
      if (e.type === 'finished' && e.trial.number === 2) stop.abort();
    },
  });
  const trials = await storage.getTrials('synthetic');
  assert.is(summary.stoppedBy, 'stop');
  assert.ok(trials.length >= 3 && trials.length < 10, `${trials.length} trials`);
  assert.is(summary.launched, trials.length);
  assert.ok(trials.every((t) => t.state === 'complete'), 'the running ones finished normally');
  await storage.close();
});

test('abort: running trials are stopped and stored failed, and the loop returns at once', async () => {
  const { storage, options } = await setup(6);
  const abort = new AbortController();
  const stop = new AbortController();
  const t0 = performance.now();
  setTimeout(() => {
    stop.abort();
    abort.abort(new Error('interrupted by the test'));
  }, 100);
  const summary = await runStudy({ ...options, executor: new TimedExecutor(2, 10_000), stop: stop.signal, abort: abort.signal });
  const elapsed = performance.now() - t0;
  const trials = await storage.getTrials('synthetic');
  assert.is(summary.stoppedBy, 'abort');
  assert.ok(elapsed < 5000, `returned after ${elapsed.toFixed(0)} ms, not the 10 s a trial takes`);
  assert.is(trials.length, 2);
  assert.ok(trials.every((t) => t.state === 'failed' && /aborted/.test(t.error!)), JSON.stringify(trials.map((t) => [t.state, t.error])));
  await storage.close();
});

test('study timeout: no launch after the deadline; trials already running complete', async () => {
  const { storage, options } = await setup(50);
  const summary = await runStudy({ ...options, executor: new TimedExecutor(2, 80), timeoutMs: 200 });
  const trials = await storage.getTrials('synthetic');
  assert.is(summary.stoppedBy, 'timeout');
  // About 200 / 80 rounds of 2 trials were started before the deadline, far from the 50 budgeted.
  assert.ok(trials.length >= 2 && trials.length <= 10, `${trials.length} trials`);
  assert.ok(trials.every((t) => t.state === 'complete'));
  await storage.close();
});

test('a slow finished-event handler does not hold the freed worker back; runStudy waits for it before returning', async () => {
  const { storage, options } = await setup(4);
  const executor = new TimedExecutor(1, 20);
  const handled: { trial: number; at: number }[] = [];
  const summary = await runStudy({
    ...options,
    executor,
    onEvent: (e: LoopEvent) => {
      if (e.type !== 'finished') return undefined;
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          handled.push({ trial: e.trial.number, at: performance.now() });
          resolve();
        }, 300),
      );
    },
  });
  assert.is(summary.launched, 4);
  assert.equal(handled.map((h) => h.trial), [0, 1, 2, 3], 'every handler ran to completion before runStudy returned');
  // The next trial started long before the previous trial's handler finished.
  for (let n = 1; n < 4; n++) {
    const handlerDone = handled.find((h) => h.trial === n - 1)!.at;
    assert.ok(executor.started.get(n)! < handlerDone - 200, `trial ${n} waited for trial ${n - 1}'s handler`);
  }
  await storage.close();
});

test('a failing event handler becomes a warning; the study still completes', async () => {
  const { storage, options } = await setup(3);
  const warnings: string[] = [];
  const summary = await runStudy({
    ...options,
    executor: new TimedExecutor(2, 5),
    onEvent: (e) => {
      if (e.type === 'warning') warnings.push(e.message);
      if (e.type === 'finished') return Promise.reject(new Error('disk full'));
      return undefined;
    },
  });
  assert.is(summary.stoppedBy, 'budget');
  assert.is((await storage.getTrials('synthetic')).filter((t) => t.state === 'complete').length, 3);
  assert.is(warnings.length, 3);
  assert.match(warnings[0]!, /finished event handler failed: .*disk full/);
  await storage.close();
});

test.run();
