/**
 * The lease part of the Storage contract, run against every backend like `storageContract`:
 * conditional starts (joint budget, unique parameter sets), the waiting queue, heartbeats,
 * recovery of expired leases only, attempt counts, and late writes by a process that lost its lease.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LeaseLostError } from '../../src/errors.js';
import type { Lease, Storage, Trial } from '../../src/study/index.js';
import { newStudy } from './contract.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lease = (owner: string, leaseMs = 60_000, worker = 0): Lease => ({ owner, worker, leaseMs });
const trialOf = (r: Trial | { refused: string }): Trial => {
  if ('refused' in r) throw new Error(`refused: ${r.refused}`);
  return r;
};

export function leaseContract(label: string, open: () => Promise<Storage>, options: { sharedDatabase?: boolean } = {}): void {
  const test = suite(`lease contract: ${label}`);

  test('tryStartTrial refuses past the budget and a repeated parameter set; counts exclude interrupted trials', async () => {
    const s = await open();
    const { name } = await s.createStudy(newStudy());
    const a = trialOf(await s.tryStartTrial(name, { x: 0.1 }, lease('A'), { budget: 2, unique: true }));
    assert.is(a.owner, 'A');
    assert.is(a.attempt, 1);
    assert.equal(await s.tryStartTrial(name, { x: 0.1 }, lease('B'), { budget: 2, unique: true }), { refused: 'duplicate' });
    trialOf(await s.tryStartTrial(name, { x: 0.2 }, lease('B'), { budget: 2, unique: true }));
    assert.equal(await s.tryStartTrial(name, { x: 0.3 }, lease('B'), { budget: 2 }), { refused: 'budget' });
    // a trial whose every attempt was interrupted gives its place back
    const released = await s.releaseTrial(name, a.number, 'A', 1);
    assert.is(released.failed.length, 1);
    assert.ok(released.failed[0]!.interrupted);
    assert.match(released.failed[0]!.error!, /^interrupted: .*attempt 1 of 1/);
    trialOf(await s.tryStartTrial(name, { x: 0.3 }, lease('B'), { budget: 2 }));
    await s.close();
  });

  test('waiting trials are claimed lowest number first, with the attempt counted', async () => {
    const s = await open();
    const { name } = await s.createStudy(newStudy());
    const q1 = await s.enqueueTrial(name, { x: 0.5 });
    const q2 = await s.enqueueTrial(name, { x: 0.6 });
    assert.is(q1.state, 'waiting');
    assert.is(q1.attempt, 0);
    assert.is(q1.startedAt, null);
    const c1 = (await s.claimWaiting(name, lease('A', 60_000, 3)))!;
    assert.equal([c1.number, c1.state, c1.attempt, c1.owner, c1.worker], [q1.number, 'running', 1, 'A', 3]);
    assert.equal(c1.params, { x: 0.5 });
    assert.is((await s.claimWaiting(name, lease('B')))!.number, q2.number);
    assert.is(await s.claimWaiting(name, lease('B')), null);
    await s.close();
  });

  test('only expired leases are recovered; a heartbeat keeps a lease; recovered trials keep their params and lose the old attempt\'s values', async () => {
    const s = await open();
    const { name } = await s.createStudy(newStudy());
    const live = trialOf(await s.tryStartTrial(name, { x: 0.1 }, lease('live', 40)));
    const dead = trialOf(await s.tryStartTrial(name, { x: 0.2 }, lease('dead', 40)));
    await s.reportIntermediate(name, dead.number, { step: 1, metrics: { loss: 1 } }, 'dead');
    await sleep(25);
    assert.equal(await s.heartbeat(name, 'live', 60_000), [live.number]);
    await sleep(30);
    const recovered = await s.recoverExpired(name, 3);
    assert.equal(recovered.requeued.map((t) => t.number), [dead.number]);
    assert.is(recovered.failed.length, 0);
    const back = (await s.getTrial(name, dead.number))!;
    assert.equal([back.state, back.attempt, back.owner, back.intermediate.length], ['waiting', 1, null, 0]);
    assert.equal(back.params, { x: 0.2 });
    assert.is((await s.getTrial(name, live.number))!.state, 'running', 'a live lease is never touched');
    // the dead owner comes back late: its writes are refused without touching the trial
    assert.is(await s.reportIntermediate(name, dead.number, { step: 2, metrics: { loss: 1 } }, 'dead'), false);
    const again = (await s.claimWaiting(name, lease('other', 10)))!;
    assert.is(again.attempt, 2);
    try {
      await s.finishTrial(name, dead.number, { state: 'complete', metrics: { loss: 1 } }, 'dead');
      assert.unreachable('a lost lease finished the trial');
    } catch (err) {
      assert.instance(err, LeaseLostError);
      assert.match((err as Error).message, /not held by this process any more/);
    }
    await sleep(20);
    const last = await s.recoverExpired(name, 2);
    assert.equal(last.failed.map((t) => [t.number, t.state, t.interrupted]), [[dead.number, 'failed', true]]);
    const done = await s.finishTrial(name, live.number, { state: 'complete', metrics: { loss: 0.5 } }, 'live');
    assert.is(done.state, 'complete');
    try {
      await s.finishTrial(name, live.number, { state: 'failed', metrics: null, error: 'x' }, 'live');
      assert.unreachable();
    } catch (err) {
      assert.instance(err, LeaseLostError, 'a finished trial is another process\'s business, not a crash');
    }
    await s.close();
  });

  test('releaseTrial requeues a held trial and refuses one held by someone else', async () => {
    const s = await open();
    const { name } = await s.createStudy(newStudy());
    const t = trialOf(await s.tryStartTrial(name, { x: 0.9 }, lease('A')));
    try {
      await s.releaseTrial(name, t.number, 'B', 3);
      assert.unreachable();
    } catch (err) {
      assert.instance(err, LeaseLostError);
    }
    const r = await s.releaseTrial(name, t.number, 'A', 3);
    assert.equal(r.requeued.map((x) => x.state), ['waiting']);
    await s.close();
  });

  if (options.sharedDatabase) {
    test('two connections racing for the last budget places and the same parameters never overshoot', async () => {
      const [a, b] = [await open(), await open()];
      const { name } = await a.createStudy(newStudy());
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tryStartTrial(name, { x: i % 7 }, lease(i % 2 ? 'A' : 'B'), { budget: 5, unique: true })),
      );
      const started = results.filter((r) => !('refused' in r)) as Trial[];
      assert.is(started.length, 5);
      assert.is(new Set(started.map((t) => t.params.x)).size, 5);
      assert.is((await b.getTrials(name)).length, 5);
      await a.close();
      await b.close();
    });
  }

  test.run();
}
