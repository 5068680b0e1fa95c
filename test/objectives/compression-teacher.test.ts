/** The teacher is trained once per study, however many workers ask for it at the same time. */
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBackend } from '../../src/engine/backends.js';
import { clearTeacherCache, ensureTeacher, onceUnderLock, splitDigits, teacherKey, type TeacherRequest } from '../../src/objectives/compression/index.js';

const INDEX = new URL('../../src/objectives/compression/index.js', import.meta.url).href;
const BACKENDS = new URL('../../src/engine/backends.js', import.meta.url).href;

const request: TeacherRequest = {
  settings: { spec: { family: 'mlp', width: 16, depth: 1 }, epochs: 1, learningRate: 0.003, augmentation: 0 },
  batchSize: 32,
  trainSamples: 600,
  testSamples: 200,
  splitSeed: 0,
};

/** One worker thread that asks for the teacher and posts back whether it trained it. */
function askInWorker(studyDir: string): Promise<{ trained: boolean; accuracy: number; key: string }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { loadBackend } = await import(workerData.backends);
      const c = await import(workerData.index);
      const { tf } = await loadBackend('wasm');
      const r = workerData.request;
      const split = c.splitDigits(r.trainSamples, r.testSamples, r.splitSeed);
      const t = await c.ensureTeacher(tf, r, workerData.studyDir, split, { lock: { pollMs: 20 } });
      parentPort.postMessage({ trained: t.trained, accuracy: t.accuracy, key: t.key });
    })().catch((e) => { throw e; });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { index: INDEX, backends: BACKENDS, request, studyDir } });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

test('two worker threads asking at once: one trains, the other waits and loads the same teacher', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-teacher-'));
  try {
    const [a, b] = await Promise.all([askInWorker(dir), askInWorker(dir)]);
    assert.is([a.trained, b.trained].filter(Boolean).length, 1, `exactly one trained: ${a.trained}, ${b.trained}`);
    assert.is(a.accuracy, b.accuracy);
    assert.is(a.key, teacherKey(request));
    const entries = readdirSync(dir);
    assert.equal(entries.sort(), [`teacher-${a.key}`], `one teacher folder, no lock or temp left: ${entries.join(', ')}`);
    // After a "resume" (a fresh thread), it is loaded, not trained.
    const c = await askInWorker(dir);
    assert.is(c.trained, false);
    assert.is(c.accuracy, a.accuracy);
    assert.ok(a.accuracy > 0.5, `the teacher learned something: ${a.accuracy}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stale lock (its holder died) is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-teacher-'));
  try {
    const { tf } = await loadBackend('wasm');
    const key = teacherKey(request);
    const lock = join(dir, `teacher-${key}.lock`);
    writeFileSync(lock, '{"pid":0}');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const split = splitDigits(request.trainSamples, request.testSamples, request.splitSeed);
    const t = await ensureTeacher(tf, request, dir, split, { lock: { pollMs: 20, staleMs: 1000 } });
    assert.is(t.trained, true);
    assert.ok(!existsSync(lock));
    await clearTeacherCache();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('onceUnderLock: concurrent callers run the work once; a live lock makes them wait', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-lock-'));
  try {
    let done = false;
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 150));
      done = true;
      return 42;
    };
    const outcomes = await Promise.all([1, 2, 3].map(() => onceUnderLock(join(dir, 'x.lock'), () => done, work, { pollMs: 10, staleMs: 5000 })));
    assert.is(runs, 1);
    assert.is(outcomes.filter((o) => o.ran).length, 1);
    const ac = new AbortController();
    writeFileSync(join(dir, 'y.lock'), 'held');
    setTimeout(() => ac.abort(new Error('stop waiting')), 100);
    await onceUnderLock(join(dir, 'y.lock'), () => false, work, { pollMs: 10, staleMs: 60_000, signal: ac.signal }).then(
      () => assert.unreachable('should wait on a live lock until aborted'),
      (err: Error) => assert.match(err.message, /stop waiting/),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
