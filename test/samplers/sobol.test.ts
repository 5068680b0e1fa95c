import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SobolSequence } from '../../src/math/index.js';
import { SobolSampler } from '../../src/samplers/index.js';
import { decode, paramsKey } from '../../src/space/index.js';
import { emptyHistory, samplerContract, space, SPACES, sequential, trial } from './contract.js';

samplerContract('sobol', (sp, seed) => new SobolSampler({ space: sp, seed }));

test('trial n gets scrambled Sobol point n, however proposals are batched or resumed', async () => {
  const sp = SPACES.mixed!;
  const seq = new SobolSequence(4, 21);
  const serial = await sequential(new SobolSampler({ space: sp, seed: 21 }), 10);
  // The mixed space has a float, so no duplicate skipping: proposal n is exactly point n.
  assert.equal(serial, Array.from({ length: 10 }, (_, n) => decode(sp, seq.point(n))));
  assert.equal(await new SobolSampler({ space: sp, seed: 21 }).propose(4, emptyHistory(6)), serial.slice(6));
});

test('the first 2^m trials split every parameter range into 2^m equal cells, one trial each', async () => {
  const sp = space('  x: { type: float, low: -2, high: 6 }\n  y: { type: float, low: 0, high: 1 }\n  z: { type: float, low: 10, high: 11 }');
  const props = await new SobolSampler({ space: sp, seed: 5 }).propose(32, emptyHistory(0));
  const cell = (v: number, lo: number, hi: number): number => Math.floor(((v - lo) / (hi - lo)) * 32);
  assert.is(new Set(props.map((p) => cell(p['x'] as number, -2, 6))).size, 32);
  assert.is(new Set(props.map((p) => cell(p['y'] as number, 0, 1))).size, 32);
  assert.is(new Set(props.map((p) => cell(p['z'] as number, 10, 11))).size, 32);
});

test('small discrete space: no configuration repeats until all are used', async () => {
  const sp = space('  a: { type: int, low: 0, high: 2 }\n  b: { type: categorical, choices: [p, q, r, s] }');
  const seen = await sequential(new SobolSampler({ space: sp, seed: 3 }), 12);
  assert.is(new Set(seen.map((p) => paramsKey(sp, p))).size, 12);
  // A batch of 12 from an empty history is distinct too.
  const batch = await new SobolSampler({ space: sp, seed: 3 }).propose(12, emptyHistory(0));
  assert.is(new Set(batch.map((p) => paramsKey(sp, p))).size, 12);
  // Running trials count as used.
  const sampler = new SobolSampler({ space: sp, seed: 3 });
  const running = seen.slice(0, 11).map((p, i) => trial(i, p, 'running'));
  const [last] = await sampler.propose(1, { finished: [], running, nextNumber: 11 });
  assert.is(paramsKey(sp, last!), paramsKey(sp, seen[11]!));
  // Exhausted: every configuration used, so trial 12 gets point 12 as it is.
  const finished = seen.map((p, i) => trial(i, p));
  const [again] = await sampler.propose(1, { finished, running: [], nextNumber: 12 });
  assert.equal(again, sampler.pointAt(12));
});

test('without skipping, the same discrete space would repeat (the skip is doing work)', async () => {
  const sp = space('  a: { type: int, low: 0, high: 2 }\n  b: { type: categorical, choices: [p, q, r, s] }');
  const sampler = new SobolSampler({ space: sp, seed: 3 });
  const plain = Array.from({ length: 12 }, (_, n) => paramsKey(sp, sampler.pointAt(n)));
  assert.ok(new Set(plain).size < 12, 'plain Sobol points 0..11 already cover all 12 configurations');
});

test('scramble: false starts at the lower corner and follows the plain sequence', async () => {
  const sp = SPACES.float!;
  const props = await new SobolSampler({ space: sp, seed: 9, options: { scramble: false } }).propose(3, emptyHistory(0));
  assert.equal(props, [
    { x: -2.5, y: 0 },
    { x: 0.75, y: 0.5 },
    { x: 2.375, y: 0.25 },
  ]);
});

test('rejects unknown options and a non-boolean scramble', () => {
  assert.throws(() => new SobolSampler({ space: SPACES.float!, seed: 1, options: { scrambel: false } }), /sampler\.scrambel: not an option of sampler 'sobol'; its options: scramble/);
  assert.throws(() => new SobolSampler({ space: SPACES.float!, seed: 1, options: { scramble: 'no' } }), /option 'scramble' must be true or false, got "no"/);
});

test.run();
