import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeBalance, plannedRepeats, replicatedConfigurations, repeatsWanted, type BalanceResult } from '../../src/balance/index.js';
import { SpaceError } from '../../src/errors.js';
import type { Params } from '../../src/space/index.js';
import type { Trial } from '../../src/study/index.js';
import { makeSpace, makeTrial } from '../pareto/fixtures.js';

const spaceWith = (repeats: number | null, trials = 20) =>
  makeSpace(`
objective: { module: ./x.js }
params: { s: { type: float, low: 8, high: 24 }, knob: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
balance: { efficiency: "accuracy - 0.005 * log2(size_bits)"${repeats === null ? '' : `, repeats: ${repeats}`} }
budget: { trials: ${trials} }
`);

const at = (n: number, s: number, accuracy: number, knob = 0.35): Trial => makeTrial(n, { accuracy, size_bits: 2 ** s }, 'complete', { s, knob });
const fakeResult = (params: Params, trial = 3) => () => ({ recommended: { trial, params, metrics: {} } }) as unknown as BalanceResult;

test('balance.repeats: default 0; negative, fractional or ≥ budget.trials refused naming the field', () => {
  assert.is(repeatsWanted(spaceWith(null)), 0);
  assert.is(repeatsWanted(spaceWith(3)), 3);
  for (const [value, pattern] of [
    [-1, /balance\.repeats.*>= 0/],
    [1.5, /balance\.repeats/],
    [20, /balance\.repeats: fewer than budget\.trials \(20\).*got 20/],
  ] as const) {
    try {
      spaceWith(value);
      assert.unreachable(`repeats ${value} accepted`);
    } catch (err) {
      assert.instance(err, SpaceError);
      assert.match((err as Error).message, pattern);
    }
  }
});

test('plannedRepeats: nothing before budget − repeats, then the recommended parameters as many times as the budget holds', () => {
  const space = spaceWith(3, 10);
  const trials = (n: number) => Array.from({ length: n }, (_, i) => at(i, 10 + i, 0.8));
  const rec = { s: 13, knob: 0.35 };
  assert.is(plannedRepeats(space, trials(6), 10, fakeResult(rec)), null, 'too early');
  assert.equal(plannedRepeats(space, trials(7), 10, fakeResult(rec)), { of: 3, params: [rec, rec, rec] });
  assert.equal(plannedRepeats(space, trials(8), 10, fakeResult(rec)), { of: 3, params: [rec, rec] }, 'only what the budget holds');
  assert.is(plannedRepeats(space, trials(10), 10, fakeResult(rec)), null, 'budget spent');
  // Waiting and running trials count in the budget; interrupted ones do not.
  const waiting = [...trials(6), makeTrial(6, null, 'waiting', { s: 20, knob: 0.1 })];
  assert.ok(plannedRepeats(space, waiting, 10, fakeResult(rec)));
  const interrupted = [...trials(6), { ...makeTrial(6, null, 'failed', { s: 20, knob: 0.1 }), interrupted: true }];
  assert.is(plannedRepeats(space, interrupted, 10, fakeResult(rec)), null);
  // Planned once: a study already holding a repeat gets no more; no recommendation, no repeats.
  const repeated = [...trials(7), at(7, 10, 0.81)];
  assert.is(plannedRepeats(space, repeated, 10, fakeResult(rec)), null);
  assert.is(plannedRepeats(space, trials(7), 10, () => null), null);
  assert.is(plannedRepeats(spaceWith(null, 10), trials(9), 10, fakeResult(rec)), null, 'repeats 0');
});

test('plannedRepeats asks for the balance fit only when repeats are due', () => {
  let fits = 0;
  const fit = () => {
    fits++;
    return null;
  };
  const space = spaceWith(2, 10);
  plannedRepeats(space, Array.from({ length: 5 }, (_, i) => at(i, 10 + i, 0.8)), 10, fit);
  assert.is(fits, 0);
  plannedRepeats(space, Array.from({ length: 8 }, (_, i) => at(i, 10 + i, 0.8)), 10, fit);
  assert.is(fits, 1);
});

test('replicatedConfigurations: E and declared metrics as mean ± sample sd over equal parameters', () => {
  const space = spaceWith(2);
  const trials = [at(0, 12, 0.9), at(1, 14, 0.92), at(2, 12, 0.94), at(3, 12, 0.92), at(4, 16, 0.93), makeTrial(5, null, 'failed', { s: 12, knob: 0.35 })];
  const [r, ...rest] = replicatedConfigurations(space, trials);
  assert.is(rest.length, 0);
  assert.is(r!.trial, 0);
  assert.equal(r!.trials, [0, 2, 3]);
  assert.ok(Math.abs(r!.metrics.accuracy!.mean - 0.92) < 1e-12);
  assert.ok(Math.abs(r!.metrics.accuracy!.sd - 0.02) < 1e-12, `sd ${r!.metrics.accuracy!.sd}`);
  assert.ok(Math.abs(r!.e.mean - (0.92 - 0.005 * 12)) < 1e-12);
  assert.ok(Math.abs(r!.e.sd - 0.02) < 1e-12);
  assert.is(r!.metrics.size_bits!.sd, 0);
  // computeBalance carries them.
  const more = [...trials, at(6, 18, 0.9), at(7, 20, 0.88), at(8, 10, 0.7)];
  assert.equal(computeBalance(space, more, { samples: 100 })!.replicated, replicatedConfigurations(space, more));
  assert.equal(replicatedConfigurations(space, trials.slice(0, 2)), []);
});

test.run();
