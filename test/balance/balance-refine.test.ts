import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KNOB_BEST, saturating } from '../../src/balance/index.js';
import { Rng } from '../../src/math/index.js';
import { interpolateFrontier, isRefinementSlot, refinementRadius, refinementThreshold, withBalanceRefinement } from '../../src/samplers/balance-refine.js';
import { decode, isValidValue, paramsKey, type Params } from '../../src/space/index.js';
import type { Sampler, SamplerHistory, Trial } from '../../src/study/index.js';
import { makeSpace, makeTrial } from '../pareto/fixtures.js';

const space = saturating.space;

/** An inner sampler that records its calls and proposes a fixed, recognisable point. */
function fixedInner(): Sampler & { calls: number[] } {
  const calls: number[] = [];
  return {
    name: 'fixed',
    calls,
    async propose(k, h) {
      calls.push(k);
      return Array.from({ length: k }, (_, i) => decode(space, [((h.nextNumber + i) % 7) / 7 + 0.01, 0.99, 0.5]));
    },
  };
}

function history(n: number, seed = 1): Trial[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const params: Params = { s: 8 + 16 * rng.uniform(), knob: i % 2 ? KNOB_BEST : rng.uniform(), junk: rng.uniform() };
    return makeTrial(i, { ...saturating.evaluate(params, () => 0) }, 'complete', params);
  });
}

const h = (finished: Trial[], running: Trial[] = []): SamplerHistory => ({ finished, running, nextNumber: finished.length + running.length });

test('the rule: threshold max(8, 2d), odd trial numbers, shrinking radius', () => {
  assert.is(refinementThreshold(space), 8);
  const wide = makeSpace(`
objective: { module: ./x.js }
params: { a: { type: float, low: 0, high: 1 }, b: { type: float, low: 0, high: 1 }, c: { type: float, low: 0, high: 1 }, d: { type: float, low: 0, high: 1 }, e: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
balance: {}
`);
  assert.is(refinementThreshold(wide), 10);
  assert.equal([0, 1, 2, 3].map(isRefinementSlot), [false, true, false, true]);
  const radii = [8, 20, 40, 100, 10000].map((n) => refinementRadius(space, n));
  for (let i = 1; i < radii.length; i++) assert.ok(radii[i]! < radii[i - 1]!);
  assert.is(radii[0], 0.1);
  assert.is(radii.at(-1), 0.01);
});

test('without a balance block the inner sampler is returned as is', () => {
  const inner = fixedInner();
  const plain = makeSpace(`
objective: { module: ./x.js }
params: { a: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
`);
  assert.is(withBalanceRefinement(inner, plain, 1), inner);
});

test('before the threshold every proposal comes from the inner sampler', async () => {
  const inner = fixedInner();
  const s = withBalanceRefinement(inner, space, 1);
  const trials = history(7);
  const got = await s.propose(4, h(trials));
  assert.equal(got, await fixedInner().propose(4, h(trials)));
  assert.equal(inner.calls, [4]);
});

test('after the threshold odd-numbered slots are refinements near S*: valid, new, deterministic', async () => {
  const trials = history(30);
  const inner = fixedInner();
  const s = withBalanceRefinement(inner, space, 7);
  const hist = h(trials.slice(0, 29), trials.slice(29));
  const got = await s.propose(6, hist); // numbers 30..35: 31, 33, 35 refine
  assert.equal(inner.calls, [3]);
  const innerOut = await fixedInner().propose(3, hist);
  assert.equal([got[0], got[2], got[4]], innerOut);
  const seen = new Set(trials.map((t) => paramsKey(space, t.params)));
  for (const i of [1, 3, 5]) {
    const p = got[i]!;
    for (const [name, spec] of Object.entries(space.params)) assert.ok(isValidValue(spec, p[name]), `${name} = ${p[name]}`);
    assert.not.ok(seen.has(paramsKey(space, p)), 'not a repeat of a finished or running trial');
    // S* of this problem is 16.7; refinements stay in its neighbourhood, with a near-best knob.
    assert.ok(Math.abs((p.s as number) - saturating.log2SStar) < 4, `s = ${p.s}`);
    assert.ok(Math.abs((p.knob as number) - KNOB_BEST) < 0.35, `knob = ${p.knob}`);
  }
  assert.equal(await withBalanceRefinement(fixedInner(), space, 7).propose(6, hist), got, 'same seed and history → same proposals');
  assert.not.equal(await withBalanceRefinement(fixedInner(), space, 8).propose(6, hist), got, 'another seed → other refinements');
});

test('interpolation along the frontier', () => {
  const frontier = [
    { log2Size: 10, params: { s: 10, knob: 0.2, junk: 0 } },
    { log2Size: 14, params: { s: 14, knob: 0.4, junk: 1 } },
  ];
  const u = interpolateFrontier(space, frontier, 11);
  const p = decode(space, u);
  assert.ok(Math.abs((p.s as number) - 11) < 1e-9);
  assert.ok(Math.abs((p.knob as number) - 0.25) < 1e-9);
  assert.ok(Math.abs((p.junk as number) - 0.25) < 1e-9);
  assert.equal(decode(space, interpolateFrontier(space, frontier, 20)), frontier[1]!.params, 'beyond the ends: the end trial');
});

test.run();
