import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/errors.js';
import { availableSamplers, createSampler, RandomSampler, registerSampler, SobolSampler } from '../../src/samplers/index.js';
import { emptyHistory, SPACES } from './contract.js';

test('random and sobol are registered; createSampler builds them with the study seed', async () => {
  assert.ok(availableSamplers().includes('random') && availableSamplers().includes('sobol'));
  const sp = SPACES.float!;
  const r = createSampler({ name: 'random', options: {} }, { space: sp, seed: 4 });
  assert.ok(r instanceof RandomSampler);
  assert.equal(await r.propose(3, emptyHistory(0)), await new RandomSampler({ space: sp, seed: 4 }).propose(3, emptyHistory(0)));
  const s = createSampler({ name: 'sobol', options: { scramble: false } }, { space: sp, seed: 4 });
  assert.ok(s instanceof SobolSampler);
  assert.equal((await s.propose(1, emptyHistory(0)))[0], { x: -2.5, y: 0 });
});

test('an unknown sampler name is a UsageError that lists the known ones', () => {
  let caught: unknown;
  try {
    createSampler({ name: 'annealing' as 'random', options: {} }, { space: SPACES.float!, seed: 1 });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof UsageError);
  assert.match((caught as Error).message, /^sampler 'annealing' is not available; known: random, sobol/);
});

test('registerSampler adds a name once; a second registration is refused', async () => {
  registerSampler('test-fixed', () => ({ name: 'test-fixed', propose: async (k) => Array.from({ length: k }, () => ({ x: 0, y: 0 })) }));
  const s = createSampler({ name: 'test-fixed' as 'random', options: {} }, { space: SPACES.float!, seed: 1 });
  assert.equal(await s.propose(2, emptyHistory(0)), [{ x: 0, y: 0 }, { x: 0, y: 0 }]);
  assert.throws(() => registerSampler('test-fixed', () => s), /sampler 'test-fixed' is registered already/);
});

test.run();
