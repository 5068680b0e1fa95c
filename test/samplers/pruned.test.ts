/** Pruned trials are finished trials: samplers that avoid repeats never propose their configurations again. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GpSampler, SobolSampler } from '../../src/samplers/index.js';
import { decode, paramsKey, type Params } from '../../src/space/index.js';
import type { Sampler, Trial } from '../../src/study/index.js';
import { space, trial } from './contract.js';

const small = space('  bits: { type: ordinal, choices: [2, 4, 8, 16, 32] }\n  k: { type: ordinal, choices: [small, medium, large] }', 'small');
const all: Params[] = [];
for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) all.push(decode(small, [(i + 0.5) / 5, (j + 0.5) / 3]));

for (const [name, make] of [
  ['sobol', () => new SobolSampler({ space: small, seed: 3 })],
  ['gp', () => new GpSampler({ space: small, seed: 3, initial: 2 })],
] as [string, () => Sampler][]) {
  test(`${name}: the configurations left after 12 finished trials, 10 of them pruned`, async () => {
    const finished: Trial[] = all.slice(0, 12).map((p, i) => (i < 2 ? trial(i, p) : { ...trial(i, p, 'pruned'), metrics: { f1: 100 + i } }));
    const proposals = await make().propose(3, { finished, running: [], nextNumber: 12 });
    assert.equal(new Set(proposals.map((p) => paramsKey(small, p))), new Set(all.slice(12).map((p) => paramsKey(small, p))));
  });
}

test.run();
