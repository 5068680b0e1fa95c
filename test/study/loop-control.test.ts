/**
 * The loop's control paths with an in-process executor whose trials take a known time: stop,
 * abort, the study timeout, and event handlers that must not hold a freed worker back. Then the
 * multi-process edges with scripted samplers and trials held by others: queued trials and free
 * slots, duplicate proposals, an exhausted sampler, a dead runner's trial, asked trials, and a
 * stop while waiting.
 * (Each of these tests was checked against the mutant of src/study/loop.ts it is there to kill.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSampler } from '../../src/samplers/index.js';
import type { Space } from '../../src/space/index.js';
import { openStorage } from '../../src/storage/index.js';
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { deriveSeed } from '../../src/math/index.js';
import { ASKED_OWNER_PREFIX, runStudy, type LoopEvent, type PruneRequest, type RunHooks, type RunStudyOptions, type SamplerHistory, type Storage, type TrialExecutor, type TrialOutcome, type TrialSpec } from '../../src/study/index.js';
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

test('abort: running trials are stopped and go back to waiting (re-run by the next resume), and the loop returns at once', async () => {
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
  assert.ok(trials.every((t) => t.state === 'waiting' && t.attempt === 1), JSON.stringify(trials.map((t) => [t.state, t.error])));
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

/** Reports steps 1 and 2 live and step 3 only in the outcome; trial 1 omits a metric, trial 2 throws. */
class ScriptedExecutor implements TrialExecutor {
  readonly slots = 2;
  readonly specs: TrialSpec[] = [];
  async run(spec: TrialSpec, hooks: RunHooks = {}): Promise<TrialOutcome> {
    this.specs.push(spec);
    await new Promise((r) => setTimeout(r, 5));
    hooks.onReport?.(1, { loss: 3 });
    hooks.onReport?.(2, { loss: 2 });
    if (hooks.signal?.aborted) return { ok: false, error: String(hooks.signal.reason), aborted: true, seconds: 0, intermediate: [{ step: 1, metrics: { loss: 3 } }, { step: 2, metrics: { loss: 2 } }] };
    const intermediate = [1, 2, 3].map((step) => ({ step, metrics: { loss: 4 - step } }));
    if (spec.trial === 2) return { ok: false, error: 'ObjectiveError: boom', aborted: false, seconds: 0.005, intermediate };
    const output: Record<string, number | string> = spec.trial === 1 ? { size: 1 } : { loss: 1, size: 1, backend: 'test' };
    return { ok: true, output, seconds: 0.005, intermediate };
  }
  async close(): Promise<void> {}
}

test('the loop\'s bookkeeping: specs, histories, late intermediate values, progress, outcomes by kind', async () => {
  const { storage, options } = await setup(5);
  const executor = new ScriptedExecutor();
  const asked: { k: number; nextNumber: number; finished: number; running: number }[] = [];
  const inner = options.sampler;
  const sampler = { name: 'recording', propose: (k: number, h: SamplerHistory) => (asked.push({ k, nextNumber: h.nextNumber, finished: h.finished.length, running: h.running.length }), inner.propose(k, h)) };
  const events: LoopEvent[] = [];
  const w0 = performance.now();
  const summary = await runStudy({ ...options, sampler, executor, onEvent: (e) => void events.push(e) });
  const wall = performance.now() - w0;
  const trials = await storage.getTrials('synthetic');
  assert.equal(trials.map((t) => t.state), ['complete', 'failed', 'failed', 'complete', 'complete']);
  assert.match(trials[1]!.error!, /metric 'loss' missing/);
  assert.is(trials[2]!.error, 'ObjectiveError: boom');
  assert.equal(trials[0]!.attrs, { backend: 'test' });
  assert.equal(trials[0]!.intermediate.map((v) => [v.step, v.metrics['loss']]), [[1, 3], [2, 2], [3, 1]], 'step 3 arrived only with the outcome');
  // Each trial runs with its own seed and folder, on a slot no other running trial holds.
  assert.equal(executor.specs.map((s) => s.seed), trials.map((t) => deriveSeed(3, t.number)));
  assert.equal(executor.specs.map((s) => s.workdir), trials.map((t) => join(options.studyDir, 'trials', String(t.number))));
  assert.equal(new Set(trials.slice(0, 2).map((t) => t.worker)), new Set([0, 1]));
  // The sampler is asked for what is free, with the history as it stands.
  assert.equal(asked[0], { k: 2, nextNumber: 0, finished: 0, running: 0 });
  assert.ok(asked.slice(1).every((a) => a.k === 1 && a.nextNumber === a.finished + a.running), JSON.stringify(asked));
  assert.is(asked.reduce((s, a) => s + a.k, 0), 5);
  // Progress: counts as they stand; no ETA before the first finish; 0 left at the end.
  const started = events.filter((e) => e.type === 'started');
  const finished = events.filter((e): e is Extract<LoopEvent, { type: 'finished' }> => e.type === 'finished');
  assert.is(started.length, 5);
  assert.is((started[0] as Extract<LoopEvent, { type: 'started' }>).progress.etaMs, null);
  assert.equal(finished.map((e) => e.progress.done), [1, 2, 3, 4, 5]);
  const last = finished.at(-1)!.progress;
  assert.equal([last.total, last.failed, last.running, last.etaMs], [5, 2, 0, 0]);
  assert.ok(finished[0]!.progress.etaMs! > 0);
  assert.ok(last.elapsedMs > 0 && last.elapsedMs <= wall + 1 && summary.elapsedMs <= wall + 1, `elapsed ${last.elapsedMs} of ${wall} ms`);
  assert.is(finished.at(-1)!.history.length, 5);
  assert.equal([summary.launched, summary.stoppedBy], [5, 'budget']);
  assert.ok(summary.utilization > 0 && summary.utilization <= 1, `utilization ${summary.utilization}`);
  await storage.close();
});

test('a pruner stops a trial through the loop: stored pruned with its values, counted in progress', async () => {
  const { storage, options } = await setup(4);
  const pruner = { name: 'stop-at-2', prune: (r: PruneRequest) => (r.trial.number === 1 && r.step >= 2 ? 'too slow' : null) };
  let pruned = -1;
  await runStudy({ ...options, executor: new ScriptedExecutor(), pruner, onEvent: (e) => void (e.type === 'finished' && (pruned = e.progress.pruned)) });
  const trials = await storage.getTrials('synthetic');
  assert.equal(trials.map((t) => t.state), ['complete', 'pruned', 'failed', 'complete']);
  assert.equal(trials[1]!.metrics, { loss: 2 });
  assert.is(trials[1]!.error, 'pruned: too slow');
  assert.is(pruned, 1);
  await storage.close();
});

/** Finishes each trial on the next turn of the event loop; counts how many run at once. */
class CountingExecutor implements TrialExecutor {
  running = 0;
  maxRunning = 0;
  constructor(readonly slots: number) {}
  async run(spec: TrialSpec): Promise<TrialOutcome> {
    this.maxRunning = Math.max(this.maxRunning, ++this.running);
    await new Promise((resolve) => setImmediate(resolve));
    this.running--;
    return { ok: true, output: { loss: spec.params.x as number, size: 1 }, seconds: 0, intermediate: [] };
  }
  async close(): Promise<void> {}
}

/** Proposes the given parameter sets in order, one list per call; throws once they run out (a loop that keeps asking). */
function scriptedSampler(script: readonly (readonly Record<string, number | string>[])[]): { name: string; calls: number; propose: () => Promise<Record<string, number | string>[]> } {
  const sampler = {
    name: 'scripted',
    calls: 0,
    propose: async () => {
      const next = script[sampler.calls++];
      if (!next) throw new Error(`sampler asked ${sampler.calls} times, more than the script's ${script.length}`);
      return [...next];
    },
  };
  return sampler;
}

const params = (x: number) => ({ x, n: 1, mode: 'ok' });

/** The storage, with `onRead(n)` called at its n-th full read of the trials (the loop's looks at what others did). */
function onTrialRead(storage: Storage, onRead: (reads: number) => void): Storage {
  let reads = 0;
  return Object.create(storage, {
    getTrials: { value: (...args: Parameters<Storage['getTrials']>) => (onRead(++reads), storage.getTrials(...args)) },
  });
}

test('queued trials never take more slots than the executor has', async () => {
  const { storage, options } = await setup(3);
  for (const x of [0.1, 0.2, 0.3]) await storage.enqueueTrial('synthetic', params(x));
  const executor = new CountingExecutor(1);
  const events: LoopEvent[] = [];
  const summary = await runStudy({ ...options, executor, onEvent: (e) => void events.push(e) });
  assert.is(executor.maxRunning, 1);
  assert.equal(summary.trials.map((t) => [t.state, t.worker]), [['complete', 0], ['complete', 0], ['complete', 0]]);
  assert.equal(events.flatMap((e) => (e.type === 'started' ? [e.progress.running] : [])), [1, 1, 1], 'each start counts its trial as running');
  await storage.close();
});

test('a queued trial another process claimed first gives its slot back: the loop claims the next one', async () => {
  const { storage, options } = await setup(2);
  for (const x of [0.1, 0.2]) await storage.enqueueTrial('synthetic', params(x));
  let lostRaces = 0;
  const stop = new AbortController();
  // The first claim loses the race (as if another process took it); a loop that lost the slot would wait forever: stop it after a few looks.
  const racing: Storage = Object.create(onTrialRead(storage, (reads) => reads > 20 && stop.abort()), {
    claimWaiting: { value: (...args: Parameters<Storage['claimWaiting']>) => (lostRaces++ === 0 ? Promise.resolve(null) : storage.claimWaiting(...args)) },
  });
  const summary = await runStudy({ ...options, storage: racing, stop: stop.signal, leaseMs: 80, executor: new CountingExecutor(1) });
  assert.equal([summary.stoppedBy, summary.trials.map((t) => t.state)], ['budget', ['complete', 'complete']]);
  await storage.close();
});

test('a duplicate proposal is refused each time a fresh one came between (the retry counter counts consecutive refusals)', async () => {
  const { storage, options } = await setup(5);
  // Three refused duplicates in all, never three in a row: each must be refused.
  const sampler = scriptedSampler([[params(0.1)], [params(0.1)], [params(0.2)], [params(0.1)], [params(0.3)], [params(0.1)], [params(0.4)], [params(0.1)], [params(0.5)]]);
  const summary = await runStudy({ ...options, sampler, executor: new CountingExecutor(1) });
  assert.equal(summary.trials.map((t) => t.params['x']), [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.is(sampler.calls, 9);
  await storage.close();
});

test('a sampler with nothing left to propose ends the study short of its budget, without being asked again and again', async () => {
  const { storage, options } = await setup(5);
  const sampler = scriptedSampler([[params(0.1)], [params(0.2)], []]);
  const summary = await runStudy({ ...options, sampler, executor: new CountingExecutor(1) });
  assert.equal([summary.trials.length, summary.stoppedBy, sampler.calls], [2, 'budget', 3]);
  await storage.close();
});

test('a trial whose runner died (lease expired) is recovered at the start, announced in a recovered event, and re-run: a third attempt with the default 2 retries', async () => {
  const { storage, options } = await setup(1);
  const expired = (owner: string) => ({ owner, worker: 0, leaseMs: -60_000 });
  await storage.tryStartTrial('synthetic', params(0.4), expired('dead-runner'));
  await storage.recoverExpired('synthetic', 3);
  await storage.claimWaiting('synthetic', expired('second-dead-runner'));
  const events: LoopEvent[] = [];
  const summary = await runStudy({ ...options, executor: new CountingExecutor(1), onEvent: (e) => void events.push(e) });
  const recovered = events.filter((e): e is Extract<LoopEvent, { type: 'recovered' }> => e.type === 'recovered');
  assert.equal(recovered.map((e) => [e.requeued.map((t) => t.number), e.failed.length]), [[[0], 0]]);
  assert.equal(summary.trials.map((t) => [t.state, t.params['x'], t.attempt]), [['complete', 0.4, 3]]);
  assert.is(summary.launched, 1);
  await storage.close();
});

test('a trial handed out by ask is not waited for; a running trial of another runner is', async () => {
  const { storage, options } = await setup(2);
  const asked = await storage.tryStartTrial('synthetic', params(0.9), { owner: `${ASKED_OWNER_PREFIX}someone`, worker: null, leaseMs: 3_600_000 });
  assert.ok(!('refused' in asked));
  // A loop that waits for the asked trial would sleep and re-read forever: stop it after a few looks.
  const stop = new AbortController();
  const counted = onTrialRead(storage, (reads) => reads > 20 && stop.abort());
  const summary = await runStudy({ ...options, storage: counted, stop: stop.signal, leaseMs: 80, sampler: scriptedSampler([[params(0.1)]]), executor: new CountingExecutor(1) });
  assert.is(summary.stoppedBy, 'budget');
  assert.equal(summary.trials.map((t) => t.state), ['running', 'complete']);
  await storage.close();

  // The other side: a trial another runner holds is waited for (here until the stop).
  const second = await setup(1);
  await second.storage.tryStartTrial('synthetic', params(0.9), { owner: 'other-runner', worker: 0, leaseMs: 3_600_000 });
  const stop2 = new AbortController();
  const counted2 = onTrialRead(second.storage, (reads) => reads === 4 && stop2.abort());
  const waited = await runStudy({ ...second.options, storage: counted2, stop: stop2.signal, leaseMs: 80, executor: new CountingExecutor(1) });
  assert.is(waited.stoppedBy, 'stop');
  assert.equal(waited.trials.map((t) => [t.state, t.owner]), [['running', 'other-runner']]);
  await second.storage.close();
});

test('a stop while waiting for another runner\'s trial ends the wait at once, not at the next heartbeat', async () => {
  const { storage, options } = await setup(1);
  await storage.tryStartTrial('synthetic', params(0.9), { owner: 'other-runner', worker: 0, leaseMs: 3_600_000 });
  const stop = new AbortController();
  // The second read is the look before the wait (default lease: a 5 s wait); stop on the next turn.
  const counted = onTrialRead(storage, (reads) => reads === 2 && setImmediate(() => stop.abort()));
  let summary: Awaited<ReturnType<typeof runStudy>> | undefined;
  const run = runStudy({ ...options, storage: counted, stop: stop.signal, executor: new CountingExecutor(1) }).then((s) => (summary = s));
  // Counted in turns of the event loop, not in time: storage here is synchronous underneath.
  for (let turn = 0; turn < 50 && !summary && !stop.signal.aborted; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(stop.signal.aborted, 'the loop reached its wait');
  for (let turn = 0; turn < 50 && !summary; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.is(summary?.stoppedBy, 'stop', 'returned within 50 turns of the event loop after the stop');
  await run;
  await storage.close();
});

test('waiting for a trial leaves no abort listener behind: a sweep of fast trials keeps the signals clean', async () => {
  const { options } = await setup(30);
  const stop = new AbortController();
  const abort = new AbortController();
  let most = 0;
  await runStudy({
    ...options,
    executor: new TimedExecutor(2, 1),
    stop: stop.signal,
    abort: abort.signal,
    onEvent: (e) => {
      if (e.type === 'finished') most = Math.max(most, getEventListeners(stop.signal, 'abort').length, getEventListeners(abort.signal, 'abort').length);
    },
  });
  // At most the one pass in progress may hold a listener per signal.
  assert.ok(most <= 1, `${most} abort listeners at once on one signal`);
  assert.is(getEventListeners(stop.signal, 'abort').length, 0);
});

test.run();
