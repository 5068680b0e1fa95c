/** The teacher is trained once per study, however many workers ask for it at the same time. */
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBackend } from '../../src/engine/backends.js';
import { clearTeacherCache, ensureTeacher, onceInStudy, onceUnderLock, splitDigits, teacherKey, type TeacherRequest } from '../../src/objectives/compression/index.js';
import { openStorage } from '../../src/storage/index.js';
import { studyArtifacts, type Storage, type StudyArtifacts } from '../../src/study/index.js';

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

/** The study's artifacts in a SQLite file, as the loop hands them to a trial (one claim owner per caller). */
async function sharedArtifacts(file: string): Promise<{ as: (owner: string) => StudyArtifacts; storage: Storage }> {
  const storage = await openStorage(file);
  await storage.createStudy({ name: 's', spaceFile: 's.yaml', spaceText: 'x', spaceHash: 'h', directions: {}, seed: 1 });
  return {
    storage,
    as: (owner) => studyArtifacts(storage, 's', owner),
  };
}

test('two machines with no shared disk (two study folders, one database): one trains the teacher, the other waits and takes its weights from the database', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-teacher-'));
  try {
    const { tf } = await loadBackend('wasm');
    const { storage, as } = await sharedArtifacts(join(root, 'study.db'));
    const split = splitDigits(request.trainSamples, request.testSamples, request.splitSeed);
    const ask = (machine: string) => ensureTeacher(tf, request, join(root, machine), split, { lock: { pollMs: 20 }, artifacts: as(machine) });
    const [a, b] = await Promise.all([ask('machine-a'), ask('machine-b')]);
    assert.is([a.trained, b.trained].filter(Boolean).length, 1, `exactly one trained: ${a.trained}, ${b.trained}`);
    assert.is(a.accuracy, b.accuracy);
    const weights = async (t: typeof a) => Promise.all(t.model.weights.map(async (w) => Array.from(await w.data())));
    assert.equal(await weights(a), await weights(b), 'the same weights on both machines');
    assert.ok((await storage.getArtifact('s', `teacher-${a.key}`))!.byteLength > 1000, 'the weights are in the database');
    // Each machine's folder is its cache: a third machine fetches once, then every later trial loads from disk.
    await clearTeacherCache();
    const c = await ask('machine-c');
    assert.is(c.trained, false);
    assert.ok(existsSync(join(root, 'machine-c', `teacher-${c.key}`, 'model.json')), 'cached on disk');
    await clearTeacherCache();
    await storage.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a claim whose holder died mid-training is taken over once its lease expires', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-teacher-'));
  try {
    const { storage, as } = await sharedArtifacts(join(root, 'study.db'));
    assert.is(await as('dead-machine').claim('teacher-k', 150), 'claimed');
    let runs = 0;
    const t0 = performance.now();
    const got = await onceInStudy(as('live-machine'), 'teacher-k', async () => (runs++, { value: 7, bytes: new Uint8Array([7]) }), { pollMs: 20 });
    assert.equal([got.ran, runs], [true, 1]);
    assert.ok(performance.now() - t0 >= 100, 'it waited for the lease');
    // A failing producer releases its claim: the next caller produces at once.
    const failing = onceInStudy(as('a'), 'other', async () => Promise.reject(new Error('out of memory')), { pollMs: 20 });
    await failing.then(() => assert.unreachable(), (err: Error) => assert.match(err.message, /out of memory/));
    assert.is(await as('b').claim('other', 60_000), 'claimed', 'released on failure');
    await storage.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
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
