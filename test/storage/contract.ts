/**
 * The one Storage test suite every backend must pass (after Optuna's and drizzle's shared driver
 * suites). `open` returns a Storage; when `sharedDatabase` is true every call reaches the same
 * database (a file, a server), which enables the reopen and two-connection tests. Each test uses
 * its own study names, so tests do not depend on each other's data.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NotFoundError, StorageError } from '../../src/errors.js';
import type { NewStudy, Storage } from '../../src/study/index.js';

export interface ContractOptions {
  /** Every `open()` reaches the same database. */
  readonly sharedDatabase?: boolean;
}

let counter = 0;
export function newStudy(overrides: Partial<NewStudy> = {}): NewStudy {
  counter += 1;
  return {
    name: `study-${counter}`,
    spaceFile: 'search-spaces/test.yaml',
    spaceText: 'params:\n  x: { type: float, low: 0, high: 1 }\n',
    spaceHash: 'ab'.repeat(32),
    directions: { loss: 'minimize', acc: 'maximize' },
    seed: 7,
    ...overrides,
  };
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function rejects(promise: Promise<unknown>, type: new (...args: never[]) => Error, pattern: RegExp): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.instance(err, type, `expected ${type.name}, got ${String(err)}`);
    assert.match((err as Error).message, pattern);
    return err as Error;
  }
  assert.unreachable(`expected a ${type.name} matching ${pattern}`);
  throw new Error('unreachable');
}

export function storageContract(label: string, open: () => Promise<Storage>, options: ContractOptions = {}): void {
  const test = suite(`storage contract: ${label}`);
  const withStorage = (fn: (s: Storage) => Promise<void>) => async () => {
    const storage = await open();
    try {
      await fn(storage);
    } finally {
      await storage.close();
    }
  };

  test('createStudy returns the record; getStudy finds it; an unknown name gives null', withStorage(async (s) => {
    const spec = newStudy();
    const created = await s.createStudy(spec);
    assert.is(created.name, spec.name);
    assert.is(created.spaceFile, spec.spaceFile);
    assert.is(created.spaceText, spec.spaceText);
    assert.is(created.spaceHash, spec.spaceHash);
    assert.equal(created.directions, spec.directions);
    assert.is(created.seed, 7);
    assert.match(created.createdAt, ISO);
    assert.equal(created.attrs, {});
    assert.equal(await s.getStudy(spec.name), created);
    assert.is(await s.getStudy('no-such-study'), null);
  }));

  test('a duplicate study name is rejected', withStorage(async (s) => {
    const spec = newStudy();
    await s.createStudy(spec);
    await rejects(s.createStudy({ ...spec, seed: 8 }), StorageError, new RegExp(`unique.*'${spec.name}'`));
    assert.is((await s.getStudy(spec.name))!.seed, 7, 'the first study is untouched');
  }));

  test('listStudies counts trials by state and reports last activity', withStorage(async (s) => {
    const busy = newStudy();
    const idle = newStudy();
    await s.createStudy(busy);
    await s.createStudy(idle);
    for (let i = 0; i < 4; i++) await s.startTrial(busy.name, { x: i / 4 }, 0);
    await s.finishTrial(busy.name, 0, { state: 'complete', metrics: { loss: 1, acc: 0.5 } });
    await s.finishTrial(busy.name, 1, { state: 'failed', metrics: null, error: 'boom' });
    const finished = await s.finishTrial(busy.name, 2, { state: 'pruned', metrics: null });
    const list = await s.listStudies();
    const b = list.find((x) => x.name === busy.name)!;
    const i = list.find((x) => x.name === idle.name)!;
    assert.ok(b && i, 'both studies listed');
    assert.equal(b.counts, { waiting: 0, running: 1, complete: 1, pruned: 1, failed: 1 });
    assert.equal(i.counts, { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 });
    assert.ok(b.lastActivity !== null && b.lastActivity >= finished.finishedAt!, `last activity ${b.lastActivity}`);
    assert.is(i.lastActivity, null);
    assert.is(b.spaceHash, busy.spaceHash);
  }));

  test('renameStudy moves the study with its trials and attributes; the new name must be free', withStorage(async (s) => {
    const a = newStudy();
    const b = newStudy();
    await s.createStudy(a);
    await s.createStudy(b);
    await s.startTrial(a.name, { x: 0.5 }, 0);
    await s.finishTrial(a.name, 0, { state: 'complete', metrics: { loss: 1 } });
    await s.setStudyAttr(a.name, 'note', 'first try');
    await rejects(s.renameStudy(a.name, b.name), StorageError, new RegExp(`'${b.name}' already exists`));
    await rejects(s.renameStudy('no-such-study', 'x'), NotFoundError, /no study named 'no-such-study'/);
    const renamed = await s.renameStudy(a.name, `${a.name}-renamed`);
    assert.is(renamed.name, `${a.name}-renamed`);
    assert.equal(renamed.attrs, { note: 'first try' });
    assert.is(await s.getStudy(a.name), null);
    const trials = await s.getTrials(renamed.name);
    assert.equal(trials.map((t) => [t.study, t.number, t.state]), [[renamed.name, 0, 'complete']]);
    await rejects(s.startTrial(a.name, { x: 0.1 }, 0), NotFoundError, /no study named/);
    assert.is((await s.startTrial(renamed.name, { x: 0.1 }, 0)).number, 1, 'numbering continues under the new name');
  }));

  test('deleteStudy removes the study, its trials and attributes, and nothing else', withStorage(async (s) => {
    const gone = newStudy();
    const kept = newStudy();
    await s.createStudy(gone);
    await s.createStudy(kept);
    for (const name of [gone.name, kept.name]) {
      await s.startTrial(name, { x: 0.5 }, 0);
      await s.reportIntermediate(name, 0, { step: 1, metrics: { loss: 2 } });
      await s.finishTrial(name, 0, { state: 'complete', metrics: { loss: 1 } });
      await s.setStudyAttr(name, 'note', 'n');
    }
    await s.deleteStudy(gone.name);
    assert.is(await s.getStudy(gone.name), null);
    await rejects(s.getTrials(gone.name), NotFoundError, /no study named/);
    await rejects(s.deleteStudy(gone.name), NotFoundError, /no study named/);
    assert.equal((await s.getStudy(kept.name))!.attrs, { note: 'n' });
    const trials = await s.getTrials(kept.name);
    assert.is(trials.length, 1);
    assert.is(trials[0]!.intermediate.length, 1);
    // A new study may take the freed name; it starts empty.
    await s.createStudy(gone);
    assert.equal(await s.getTrials(gone.name), []);
  }));

  test('deleteStudyAttr removes one attribute', withStorage(async (s) => {
    const spec = newStudy();
    await s.createStudy(spec);
    await s.setStudyAttr(spec.name, 'a', '1');
    await s.setStudyAttr(spec.name, 'b', '2');
    await s.deleteStudyAttr(spec.name, 'a');
    await s.deleteStudyAttr(spec.name, 'missing');
    assert.equal((await s.getStudy(spec.name))!.attrs, { b: '2' });
  }));

  test('trial numbers are dense from 0 within each study', withStorage(async (s) => {
    const a = newStudy();
    const b = newStudy();
    await s.createStudy(a);
    await s.createStudy(b);
    const started = await Promise.all(Array.from({ length: 6 }, (_, k) => s.startTrial(a.name, { x: k }, k % 2)));
    assert.equal(started.map((t) => t.number).sort((x, y) => x - y), [0, 1, 2, 3, 4, 5]);
    const first = await s.startTrial(b.name, { x: 0 }, null);
    assert.is(first.number, 0);
    assert.is(first.state, 'running');
    assert.is(first.worker, null);
    assert.equal(first.params, { x: 0 });
    assert.match(first.startedAt!, ISO);
    assert.is(first.finishedAt, null);
    assert.equal(await s.getTrial(b.name, 0), first);
  }));

  test('intermediate values come back ordered by step; a repeated step overwrites; ignored after finish', withStorage(async (s) => {
    const st = newStudy();
    await s.createStudy(st);
    await s.startTrial(st.name, { x: 1 }, 0);
    for (const step of [3, 1, 2]) {
      assert.is(await s.reportIntermediate(st.name, 0, { step, metrics: { loss: step } }), true);
    }
    assert.is(await s.reportIntermediate(st.name, 0, { step: 2, metrics: { loss: 20 } }), true);
    const running = (await s.getTrial(st.name, 0))!;
    assert.equal(running.intermediate, [
      { step: 1, metrics: { loss: 1 } },
      { step: 2, metrics: { loss: 20 } },
      { step: 3, metrics: { loss: 3 } },
    ]);
    const done = await s.finishTrial(st.name, 0, { state: 'pruned', metrics: { loss: 3 } });
    assert.is(done.intermediate.length, 3, 'finishTrial returns the intermediates');
    assert.is(await s.reportIntermediate(st.name, 0, { step: 4, metrics: { loss: 4 } }), false);
    assert.is(await s.reportIntermediate(st.name, 0, { step: 1, metrics: { loss: 99 } }), false);
    assert.equal((await s.getTrial(st.name, 0))!.intermediate, running.intermediate);
    await rejects(s.reportIntermediate(st.name, 0, { step: -1, metrics: { loss: 1 } }), StorageError, /step must be an integer >= 0, got -1/);
  }));

  test('a finished trial is immutable', withStorage(async (s) => {
    const st = newStudy();
    await s.createStudy(st);
    await s.startTrial(st.name, { x: 0.5 }, 1);
    const done = await s.finishTrial(st.name, 0, { state: 'complete', metrics: { loss: 0.1, acc: 0.9 }, attrs: { backend: 'wasm' } });
    assert.is(done.state, 'complete');
    assert.equal(done.metrics, { loss: 0.1, acc: 0.9 });
    assert.equal(done.attrs, { backend: 'wasm' });
    assert.match(done.finishedAt!, ISO);
    assert.ok(done.finishedAt! >= done.startedAt!);
    const err = await rejects(
      s.finishTrial(st.name, 0, { state: 'failed', metrics: null, error: 'late' }),
      StorageError,
      /trial 0.*already complete/,
    );
    assert.ok(err.message.includes(st.name), 'names the study');
    assert.equal(await s.getTrial(st.name, 0), done);
  }));

  test('a pruned trial keeps its partial metrics, intermediate values and reason, and never changes', withStorage(async (s) => {
    const st = newStudy();
    await s.createStudy(st);
    await s.startTrial(st.name, { x: 0.25 }, 0);
    await s.reportIntermediate(st.name, 0, { step: 0, metrics: { size: 64 } });
    await s.reportIntermediate(st.name, 0, { step: 1, metrics: { acc: 0.3 } });
    const done = await s.finishTrial(st.name, 0, { state: 'pruned', metrics: { size: 64, acc: 0.3 }, error: 'pruned: rank 3 of 3 at the step-1 rung' });
    assert.is(done.state, 'pruned');
    assert.equal(done.metrics, { size: 64, acc: 0.3 });
    assert.equal(done.intermediate.map((v) => v.step), [0, 1]);
    assert.match(done.error!, /^pruned: /);
    assert.is(await s.reportIntermediate(st.name, 0, { step: 2, metrics: { acc: 0.4 } }), false);
    await rejects(s.finishTrial(st.name, 0, { state: 'complete', metrics: { loss: 1, acc: 1 } }), StorageError, /already pruned/);
    assert.equal((await s.getTrials(st.name, ['pruned'])).map((t) => t.number), [0]);
    assert.is((await s.listStudies()).find((x) => x.name === st.name)!.counts.pruned, 1);
  }));

  test('getTrials returns trials in number order with their intermediates; states filter', withStorage(async (s) => {
    const st = newStudy();
    await s.createStudy(st);
    for (let k = 0; k < 5; k++) await s.startTrial(st.name, { x: k }, 0);
    await s.reportIntermediate(st.name, 1, { step: 0, metrics: { loss: 5 } });
    await s.reportIntermediate(st.name, 3, { step: 0, metrics: { loss: 6 } });
    await s.reportIntermediate(st.name, 3, { step: 1, metrics: { loss: 7 } });
    await s.finishTrial(st.name, 1, { state: 'complete', metrics: { loss: 5, acc: 0 } });
    await s.finishTrial(st.name, 3, { state: 'complete', metrics: { loss: 7, acc: 1 } });
    await s.finishTrial(st.name, 4, { state: 'failed', metrics: null, error: 'objective threw: x' });
    const all = await s.getTrials(st.name);
    assert.equal(all.map((t) => t.number), [0, 1, 2, 3, 4]);
    assert.equal(all.map((t) => t.intermediate.length), [0, 1, 0, 2, 0]);
    assert.equal(all[3]!.intermediate.map((v) => v.step), [0, 1]);
    assert.is(all[4]!.error, 'objective threw: x');
    assert.equal((await s.getTrials(st.name, ['complete'])).map((t) => t.number), [1, 3]);
    assert.equal((await s.getTrials(st.name, ['running', 'failed'])).map((t) => t.number), [0, 2, 4]);
    assert.equal(await s.getTrials(st.name, []), []);
    assert.equal(await s.getTrials(st.name, ['waiting']), []);
  }));

  test('study attributes are set, overwritten and kept per study', withStorage(async (s) => {
    const a = newStudy();
    const b = newStudy();
    await s.createStudy(a);
    await s.createStudy(b);
    await s.setStudyAttr(a.name, 'backend', 'cpu');
    await s.setStudyAttr(a.name, 'teacher_acc', '0.98');
    await s.setStudyAttr(a.name, 'backend', 'wasm');
    assert.equal((await s.getStudy(a.name))!.attrs, { backend: 'wasm', teacher_acc: '0.98' });
    assert.equal((await s.getStudy(b.name))!.attrs, {});
    assert.equal((await s.listStudies()).find((x) => x.name === a.name)!.attrs, { backend: 'wasm', teacher_acc: '0.98' });
  }));

  test('snapshots are deeply frozen', withStorage(async (s) => {
    const st = newStudy();
    await s.createStudy(st);
    await s.setStudyAttr(st.name, 'k', 'v');
    await s.startTrial(st.name, { x: 1, kind: 'a' }, 0);
    await s.reportIntermediate(st.name, 0, { step: 0, metrics: { loss: 1 } });
    const done = await s.finishTrial(st.name, 0, { state: 'complete', metrics: { loss: 1, acc: 1 }, attrs: { a: 'b' } });
    const [listed] = await s.getTrials(st.name);
    const study = (await s.getStudy(st.name))!;
    const summary = (await s.listStudies()).find((x) => x.name === st.name)!;
    for (const trial of [done, listed!, (await s.getTrial(st.name, 0))!, await s.startTrial(st.name, { x: 2, kind: 'b' }, 1)]) {
      for (const part of [trial, trial.params, trial.attrs, trial.intermediate, ...trial.intermediate, ...trial.intermediate.map((v) => v.metrics)]) {
        assert.ok(Object.isFrozen(part), `frozen: ${JSON.stringify(part)}`);
      }
      if (trial.metrics) assert.ok(Object.isFrozen(trial.metrics));
    }
    for (const part of [study, study.attrs, study.directions, summary, summary.counts, summary.attrs]) assert.ok(Object.isFrozen(part));
    assert.throws(() => {
      (done.params as Record<string, unknown>).x = 2;
    }, TypeError);
    assert.is((await s.getTrial(st.name, 0))!.params.x, 1, 'the stored value did not change');
  }));

  test('an unknown study or trial is NotFoundError (getTrial gives null)', withStorage(async (s) => {
    await rejects(s.startTrial('nope', { x: 1 }, 0), NotFoundError, /no study named 'nope'/);
    await rejects(s.getTrials('nope'), NotFoundError, /'nope'/);
    await rejects(s.setStudyAttr('nope', 'k', 'v'), NotFoundError, /'nope'/);
    const st = newStudy();
    await s.createStudy(st);
    assert.is(await s.getTrial(st.name, 0), null);
    await rejects(s.finishTrial(st.name, 0, { state: 'complete', metrics: { loss: 1 } }), NotFoundError, /no trial 0/);
    await rejects(s.reportIntermediate(st.name, 3, { step: 0, metrics: { loss: 1 } }), NotFoundError, /no trial 3/);
  }));

  test('values JSON cannot hold are refused with the offending value', withStorage(async (s) => {
    const st = newStudy();
    await s.createStudy(st);
    await s.startTrial(st.name, { x: 1 }, 0);
    await rejects(s.finishTrial(st.name, 0, { state: 'complete', metrics: { loss: Number.NaN } }), StorageError, /'loss' must be a finite number, got NaN/);
    await rejects(s.reportIntermediate(st.name, 0, { step: 0, metrics: { loss: Infinity } }), StorageError, /got Infinity/);
    await rejects(s.finishTrial(st.name, 0, { state: 'complete', metrics: null }), StorageError, /complete trial must have metrics, got null/);
    await rejects(s.finishTrial(st.name, 0, { state: 'running' as never, metrics: null }), StorageError, /got 'running'/);
    await rejects(s.createStudy(newStudy({ seed: 1.5 })), StorageError, /seed must be an integer, got 1.5/);
    assert.is((await s.getTrial(st.name, 0))!.state, 'running', 'refused results changed nothing');
  }));

  test('a closed storage refuses calls', async () => {
    const s = await open();
    await s.close();
    await rejects(s.listStudies(), StorageError, /closed/);
    await s.close();
  });

  if (!options.sharedDatabase) {
    test.run();
    return;
  }

  test('a reopened database has everything', async () => {
    const st = newStudy();
    const first = await open();
    await first.createStudy(st);
    await first.setStudyAttr(st.name, 'backend', 'cpu');
    await first.startTrial(st.name, { x: 0.25 }, 0);
    await first.reportIntermediate(st.name, 0, { step: 0, metrics: { loss: 2 } });
    const done = await first.finishTrial(st.name, 0, { state: 'complete', metrics: { loss: 1, acc: 0.5 }, attrs: { note: 'n' } });
    await first.startTrial(st.name, { x: 0.75 }, 1);
    const trialsBefore = await first.getTrials(st.name);
    const studyBefore = await first.getStudy(st.name);
    await first.close();

    const second = await open();
    try {
      assert.equal(await second.getStudy(st.name), studyBefore);
      assert.equal(await second.getTrials(st.name), trialsBefore);
      assert.equal(await second.getTrial(st.name, 0), done);
      assert.is((await second.startTrial(st.name, { x: 1 }, 0)).number, 2, 'numbering continues');
    } finally {
      await second.close();
    }
  });

  test('two storages on one database interleaving startTrial get unique dense numbers', async () => {
    const a = await open();
    const b = await open();
    try {
      const st = newStudy();
      await a.createStudy(st);
      const numbers: number[] = [];
      for (let k = 0; k < 20; k++) {
        numbers.push((await a.startTrial(st.name, { x: k }, 0)).number);
        numbers.push((await b.startTrial(st.name, { x: k }, 1)).number);
      }
      assert.equal(numbers, Array.from({ length: 40 }, (_, k) => k));
      await b.finishTrial(st.name, 0, { state: 'complete', metrics: { loss: 0 } });
      await rejects(a.finishTrial(st.name, 0, { state: 'failed', metrics: null }), StorageError, /already complete/);
      assert.is((await a.getTrials(st.name)).length, 40);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test.run();
}
