import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RandomSampler } from '../../src/samplers/index.js';
import { paramsKey } from '../../src/space/index.js';
import { emptyHistory, samplerContract, SPACES, sequential, trial } from './contract.js';

samplerContract('random', (space, seed) => new RandomSampler({ space, seed }));

test('trial n gets the same configuration however proposals are batched or interleaved', async () => {
  const sp = SPACES.mixed!;
  const serial = await sequential(new RandomSampler({ space: sp, seed: 11 }), 12);
  // Two workers: proposals in batches of 2 with running trials in the history.
  const sampler = new RandomSampler({ space: sp, seed: 11 });
  const batched = [
    ...(await sampler.propose(2, emptyHistory(0))),
    ...(await sampler.propose(2, { finished: [trial(1, serial[1]!)], running: [trial(0, serial[0]!, 'running')], nextNumber: 2 })),
    ...(await sampler.propose(8, emptyHistory(4))),
  ];
  assert.equal(batched, serial);
  // A resumed study (fresh sampler at trial 7) continues the same sequence.
  assert.equal(await new RandomSampler({ space: sp, seed: 11 }).propose(5, emptyHistory(7)), serial.slice(7, 12));
});

test('integer and choice values are drawn uniformly', async () => {
  const sp = SPACES.ordinal!;
  const draws = await new RandomSampler({ space: sp, seed: 12 }).propose(5000, emptyHistory(0));
  const counts = new Map<unknown, number>();
  for (const p of draws) counts.set(p['bits'], (counts.get(p['bits']) ?? 0) + 1);
  // Chi-square, 4 degrees of freedom; 18.5 is its 0.999 quantile.
  const chi2 = [...counts.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
  assert.is(counts.size, 5);
  assert.ok(chi2 < 18.5, `chi2 ${chi2}`);
  assert.ok(new Set(draws.map((p) => paramsKey(sp, p))).size === 15);
});

test('rejects options it does not know', () => {
  assert.throws(
    () => new RandomSampler({ space: SPACES.float!, seed: 1, options: { scramble: true } }),
    /sampler\.scramble: not an option of sampler 'random'; its options: none/,
  );
});

test.run();
