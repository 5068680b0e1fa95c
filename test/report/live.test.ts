import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SharedBalance } from '../../src/balance/index.js';
import { LiveReport } from '../../src/report/index.js';
import { withBalanceRefinement } from '../../src/samplers/index.js';
import { tempDir } from '../study/helpers.js';
import { syntheticCompression } from './synthetic.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const until = async (cond: () => boolean, ms = 20_000): Promise<void> => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('update returns at once and writes later; updates during a rewrite or its cool-down are coalesced; flush writes the last state', async () => {
  const { space, study, trials } = syntheticCompression(40);
  const path = join(tempDir(), 'live.html');
  const live = new LiveReport({ path, space, study, minIntervalMs: 60_000 });
  live.update(trials.slice(0, 20));
  assert.not.ok(existsSync(path), 'nothing is built in the caller\'s turn');
  live.update(trials.slice(0, 25)); // before the scheduled rewrite: it takes the newer history
  await tick();
  await until(() => live.writes === 1);
  assert.match(readFileSync(path, 'utf8'), /25 of/);
  live.update(trials.slice(0, 30)); // inside the cool-down: not written yet
  await tick();
  await new Promise((r) => setTimeout(r, 50));
  assert.is(live.writes, 1);
  await live.flush(trials);
  assert.is(live.writes, 2);
  assert.match(readFileSync(path, 'utf8'), /40 of/);
  assert.is(live.model!.trials.length, 40);
});

test('a failed rewrite goes to onError and the report keeps going', async () => {
  const { space, study, trials } = syntheticCompression(12);
  const errors: unknown[] = [];
  const dir = tempDir();
  const live = new LiveReport({ path: join(dir, 'missing', '\0bad.html'), space, study, onError: (e) => errors.push(e) });
  await live.flush(trials);
  assert.is(errors.length, 1);
  assert.is(live.writes, 0);
});

test('one balance fit per history: the refinement sampler and the live report share it', async () => {
  const { space, study, trials } = syntheticCompression(40);
  const balance = new SharedBalance(space);
  const finished = trials.filter((t) => t.state !== 'running');
  // The refinement sampler fits the balance for this history on a refinement slot (an odd number)...
  const sampler = withBalanceRefinement({ name: 'none', propose: async (k) => Array.from({ length: k }, () => finished[0]!.params) }, space, 1, balance);
  await sampler.propose(1, { finished, running: [], nextNumber: 41 });
  assert.is(balance.fits, 1);
  // ...and the report of the same trials reuses it.
  const live = new LiveReport({ path: join(tempDir(), 'r.html'), space, study, balance });
  await live.flush(finished);
  assert.is(balance.fits, 1, 'the report did not fit again');
  assert.ok(live.model!.balance, 'the report has the balance section');
  assert.is(balance.explain(finished), balance.explain([...finished]), 'same complete trials, same result object');
  // A new complete trial is a new history: one more fit.
  balance.explain(finished.slice(1));
  assert.is(balance.fits, 2);
});

test.run();
