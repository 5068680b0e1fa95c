/** Pruned trials are finished trials: samplers that avoid repeats never propose their configurations again. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/errors.js';
import { GpSampler, SobolSampler } from '../../src/samplers/index.js';
import { decode, paramsKey, type Params } from '../../src/space/index.js';
import type { Sampler, Trial } from '../../src/study/index.js';
import { SPACES, space, trial } from './contract.js';

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

test('gp option pruned: ignore or last, which models pruned trials at their last values', async () => {
  assert.throws(() => new GpSampler({ space: small, seed: 1, options: { pruned: 'mean' } }), (e: unknown) => e instanceof UsageError && /option 'pruned' must be ignore, last, pending, got "mean"/.test((e as Error).message));
  const sp = SPACES.float!;
  const finished: Trial[] = [0.1, 0.3, 0.5, 0.7, 0.9].map((v, i) => trial(i, { x: -2 + 6 * v, y: v }));
  // Pruned trials with low (good) partial values near x = 4: only `last` sees them.
  for (const [i, y] of [[5, 0.95], [6, 0.97], [7, 0.99]] as const) finished.push({ ...trial(i, { x: 3.9, y }, 'pruned'), metrics: { f1: -50 } });
  const history = { finished, running: [], nextNumber: 8 };
  const ignore = await new GpSampler({ space: sp, seed: 2, initial: 2, options: { pruned: 'ignore' } }).propose(1, history);
  const last = await new GpSampler({ space: sp, seed: 2, initial: 2, options: { pruned: 'last' } }).propose(1, history);
  assert.not.equal(ignore, last);
  assert.ok((last[0]!['x'] as number) > 2, `last goes where the pruned values were good: ${JSON.stringify(last)}`);
});

test('gp option pruned: pending (the default) moves proposals away from pruned configurations, which ignore proposes again nearby', async () => {
  const sp = SPACES.float!;
  const complete: Trial[] = [0.1, 0.3, 0.5, 0.7, 0.9].map((v, i) => trial(i, { x: -2 + 6 * v, y: v }));
  const first = (await new GpSampler({ space: sp, seed: 2, initial: 2 }).propose(1, { finished: complete, running: [], nextNumber: 5 }))[0]!;
  // That proposal and two near copies were pruned (partial values that say nothing).
  const near = (p: Params, dx: number): Params => ({ x: (p['x'] as number) + dx, y: p['y'] as number });
  const finished = [...complete, ...[0, 1e-3, -1e-3].map((dx, i) => ({ ...trial(5 + i, near(first, dx), 'pruned'), metrics: {} }))];
  const history = { finished, running: [], nextNumber: 8 };
  const distance = (p: Params): number => Math.hypot(((p['x'] as number) - (first['x'] as number)) / 6, (p['y'] as number) - (first['y'] as number));
  const ignore = await new GpSampler({ space: sp, seed: 2, initial: 2, options: { pruned: 'ignore' } }).propose(1, history);
  const pending = await new GpSampler({ space: sp, seed: 2, initial: 2, options: { pruned: 'pending' } }).propose(1, history);
  const byDefault = await new GpSampler({ space: sp, seed: 2, initial: 2 }).propose(1, history);
  assert.ok(distance(ignore[0]!) < 0.05, `ignore proposes the pruned spot again: ${JSON.stringify({ first, ignore })}`);
  assert.ok(distance(pending[0]!) > 0.1, `pending goes elsewhere: ${JSON.stringify({ first, pending })}`);
  assert.equal(byDefault, pending, 'pending is the default');
});

test.run();
