import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { balancePoints, computeBalance, efficiencySe, fitJoint, jointWindow, noisy, saturating, type BalanceModel } from '../../src/balance/index.js';
import { Rng } from '../../src/math/index.js';
import { evaluate, parseExpression, type Params } from '../../src/space/index.js';
import type { Trial } from '../../src/study/index.js';
import { makeTrial } from '../pareto/fixtures.js';

/** n trials at random (s, knob, junk), denser near the true S* (as the refinement samples), metrics with the problem's noise. */
function trials(problem: typeof noisy, n: number, seed: number): Trial[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const s = i % 2 ? 8 + 16 * rng.uniform() : problem.log2SStar - 3 + 6 * rng.uniform();
    const params: Params = { s, knob: rng.uniform(), junk: rng.uniform() };
    return makeTrial(i, { ...problem.evaluate(params, () => rng.normal()) }, 'complete', params);
  });
}

test('joint: on the noisy problem S* comes out near the truth, inside its interval, from draws over more candidates than were tried', () => {
  const t = trials(noisy, 80, 3);
  const r = computeBalance(noisy.space, t, { seed: 1 })!;
  assert.is(r.method, 'joint');
  const truth = noisy.log2SStar;
  assert.ok(Math.abs(r.log2SStar.median - truth) < 0.6, `median ${r.log2SStar.median} vs ${truth}`);
  assert.ok(r.log2SStar.lo <= truth && truth <= r.log2SStar.hi, `[${r.log2SStar.lo}, ${r.log2SStar.hi}] vs ${truth}`);
  // The dense candidates win some draws: the tried configurations' shares add up to less than 1.
  const fit = fitJoint(noisy.space, balancePoints(noisy.space, t).points, 1, 500);
  const tried = fit.candidates.reduce((sum, c) => sum + c.pBest, 0);
  assert.ok(tried > 0 && tried < 1, `share of tried configurations ${tried}`);
  const observedOnly = fitJoint(noisy.space, balancePoints(noisy.space, t).points, 1, 500, { dense: false });
  assert.ok(Math.abs(observedOnly.candidates.reduce((sum, c) => sum + c.pBest, 0) - 1) < 1e-9);
});

test('joint: a repeated configuration is one candidate; the window leaves out the worst trials', () => {
  const base = trials(saturating, 30, 4);
  const again = base.slice(0, 3).map((x, i) => makeTrial(30 + i, { ...x.metrics! }, 'complete', x.params));
  const points = balancePoints(saturating.space, [...base, ...again]).points;
  const fit = fitJoint(saturating.space, points, 0, 200, { dense: false });
  const counts = fit.candidates.map((c) => c.points.length);
  const kept = jointWindow(points);
  assert.is(counts.reduce((a, b) => a + b, 0), kept.length);
  assert.ok(kept.length < points.length, 'some trials below the window');
  const cut = Math.max(...points.map((p) => p.e)) - 0.5 * (Math.max(...points.map((p) => p.e)) - Math.min(...points.map((p) => p.e)));
  assert.ok(kept.every((p) => p.e >= cut));
  const firsts = kept.filter((p) => p.trial.number < 3);
  assert.ok(firsts.length > 0, 'a repeated configuration inside the window');
  for (const p of firsts) {
    const c = fit.candidates.find((x) => x.points.some((q) => q.trial.number === p.trial.number))!;
    assert.is(c.points.length, 2, `trial ${p.trial.number} and its repeat are one candidate`);
  }
});

test('joint: on scattered noiseless trials S* is within half a log2, closer than the envelope curve\'s', () => {
  const t = trials(saturating, 60, 5);
  const a = computeBalance(saturating.space, t, { seed: 2 })!;
  const b = computeBalance(saturating.space, t, { seed: 2, method: 'envelope' })!;
  assert.is(b.method, 'envelope');
  const err = (x: number) => Math.abs(x - saturating.log2SStar);
  assert.ok(err(a.log2SStar.median) < 0.5, `joint ${a.log2SStar.median} vs ${saturating.log2SStar}`);
  assert.ok(err(a.log2SStar.median) < err(b.log2SStar.median), `joint ${a.log2SStar.median}, envelope ${b.log2SStar.median}`);
  assert.ok(a.log2SStar.lo <= saturating.log2SStar && saturating.log2SStar <= a.log2SStar.hi);
});

test('efficiency standard error: the delta method over the metrics E reads that come with <m>_se', () => {
  const se = (text: string, metrics: Record<string, number>) => efficiencySe(parseExpression(text), metrics, evaluate(text, metrics));
  // Linear in accuracy: exactly accuracy_se; size_bits has no _se, so it adds nothing.
  assert.ok(Math.abs(se('accuracy - 0.005 * log2(size_bits)', { accuracy: 0.9, accuracy_se: 0.01, size_bits: 1024 }) - 0.01) < 1e-12);
  // Two metrics with standard errors: the terms add in quadrature (2·0.01 and 0.5·0.04).
  assert.ok(Math.abs(se('2 * accuracy + 0.5 * latency', { accuracy: 0.9, accuracy_se: 0.01, latency: 3, latency_se: 0.04 }) - Math.hypot(0.02, 0.02)) < 1e-12);
  // Curved: the central difference approximates the derivative (d log a = se / a).
  assert.ok(Math.abs(se('log(accuracy)', { accuracy: 0.5, accuracy_se: 0.001 }) - 0.002) < 1e-6);
  // One side not finite (log of a negative): the other side alone.
  const oneSided = se('log(accuracy)', { accuracy: 0.005, accuracy_se: 0.01 });
  assert.ok(Math.abs(oneSided - (Math.log(0.015) - Math.log(0.005))) < 1e-12, `one-sided ${oneSided}`);
  // No standard errors, or a negative or non-finite one: 0.
  assert.is(se('accuracy', { accuracy: 0.9 }), 0);
  assert.is(se('accuracy', { accuracy: 0.9, accuracy_se: -1 }), 0);
  assert.is(se('accuracy', { accuracy: 0.9, accuracy_se: Number.NaN }), 0);
  const points = balancePoints(saturating.space, [makeTrial(0, { accuracy: 0.9, accuracy_se: 0.02, size_bits: 4096 }, 'complete', { s: 12, knob: 0.35, junk: 0 })]).points;
  assert.ok(Math.abs(points[0]!.eSe - 0.02) < 1e-12, 'balancePoints carries it');
});

test('joint: a measured standard error is a floor on the noise, so few noiseless-looking trials do not give a certain S*', () => {
  // 14 trials, as the README's first sweep: too few for the GP to learn a noise of 0.01 from.
  const t = trials(saturating, 14, 6);
  const withSe = t.map((x) => makeTrial(x.number, { ...x.metrics!, accuracy_se: 0.01 }, 'complete', x.params));
  const plain = fitJoint(saturating.space, balancePoints(saturating.space, t).points, 0, 1000);
  const measured = fitJoint(saturating.space, balancePoints(saturating.space, withSe).points, 0, 1000);
  const noiseSd = (f: typeof plain) => Math.sqrt(f.model.hyper.noise) * f.model.yStd;
  assert.ok(noiseSd(plain) < 0.005, `without it the GP assumes little noise: ${noiseSd(plain)}`);
  assert.ok(noiseSd(measured) >= 0.01 - 1e-9, `with it at least the standard error: ${noiseSd(measured)}`);
  const width = (f: typeof plain) => f.log2SStar.hi - f.log2SStar.lo;
  assert.ok(width(measured) > width(plain), `interval ${width(plain)} → ${width(measured)}`);
  // The envelope curve is fitted with at least that noise too.
  let least = 0;
  const model: BalanceModel = { posterior: (X) => ({ mean: X.map(() => 0), variance: X.map(() => 1) }), samplePosterior: (X, n) => Array.from({ length: n }, () => X.map(() => 0)) };
  computeBalance(saturating.space, withSe, {
    fit: (_X, _y, _seed, minNoiseVariance = 0) => {
      least = minNoiseVariance;
      return model;
    },
  });
  assert.ok(least >= 0.01 ** 2 - 1e-12, `curve's least noise variance ${least}`);
});

test.run();
