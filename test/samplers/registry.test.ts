import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/errors.js';
import { availableSamplers, createSampler, RandomSampler, registerSampler, SobolSampler } from '../../src/samplers/index.js';
import { parseSpace, SAMPLER_NAMES } from '../../src/space/index.js';
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

test('one list of sampler names: each is registered and accepted by the space schema, and nothing else is', () => {
  for (const name of SAMPLER_NAMES) {
    assert.ok(availableSamplers().includes(name), `${name} is registered`);
    const space = parseSpace(`objective: { builtin: branin }\nparams: { x0: { type: float, low: 0, high: 1 } }\nmetrics: { f: minimize }\nsampler: ${name}\n`, 's.yaml');
    assert.is(space.sampler.name, name);
  }
  assert.throws(
    () => parseSpace('objective: { builtin: branin }\nparams: { x0: { type: float, low: 0, high: 1 } }\nmetrics: { f: minimize }\nsampler: annealing\n', 's.yaml'),
    /sampler/,
  );
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
