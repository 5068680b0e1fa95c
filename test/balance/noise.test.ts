import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { balancePoints, computeBalance, estimateNoiseSd, NOISE_SCALE, noisy, saturating, type BalanceModel } from '../../src/balance/index.js';
import { Rng } from '../../src/math/index.js';
import type { Params } from '../../src/space/index.js';
import type { Trial } from '../../src/study/index.js';
import { makeTrial } from '../pareto/fixtures.js';

/** n trials at uniformly random (s, knob, junk), metrics from the problem (with its noise). */
function randomTrials(problem: typeof noisy, n: number, seed: number): Trial[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const params: Params = { s: 8 + 16 * rng.uniform(), knob: rng.uniform(), junk: rng.uniform() };
    return makeTrial(i, { ...problem.evaluate(params, () => rng.normal()) }, 'complete', params);
  });
}

test('noise estimate: near the true σ on the noisy problem, near 0 on the noiseless one', () => {
  const trials = (p: typeof noisy): ReturnType<typeof balancePoints>['points'] => balancePoints(p.space, randomTrials(p, 120, 5)).points;
  const sdNoisy = estimateNoiseSd(noisy.space, trials(noisy), 0);
  // σ = 0.004 on accuracy is σ = 0.004 on E (E = accuracy − c·log2 S, S exact).
  assert.ok(sdNoisy > 0.002 && sdNoisy < 0.008, `noisy: ${sdNoisy}`);
  const sdExact = estimateNoiseSd(saturating.space, trials(saturating), 0);
  assert.ok(sdExact < 0.001, `noiseless: ${sdExact}`);
  assert.ok(sdExact < sdNoisy / 4, `noiseless ${sdExact} vs noisy ${sdNoisy}`);
});

test('computeBalance hands the surrogate a noise floor of NOISE_SCALE × the estimated noise sd', () => {
  const trials = randomTrials(noisy, 40, 7);
  const pts = balancePoints(noisy.space, trials).points;
  const sd = estimateNoiseSd(noisy.space, pts, 3);
  let seen = NaN;
  const model: BalanceModel = {
    posterior: (X) => ({ mean: X.map(() => 0), variance: X.map(() => 1) }),
    samplePosterior: (X, count) => Array.from({ length: count }, () => X.map(([x]) => -((x! - 16) ** 2))),
  };
  const r = computeBalance(noisy.space, trials, {
    seed: 3,
    method: 'envelope',
    fit: (_X, _y, _seed, minNoiseVariance) => {
      seen = minNoiseVariance ?? NaN;
      return model;
    },
  });
  assert.ok(r);
  assert.ok(Math.abs(seen - (NOISE_SCALE * sd) ** 2) <= 1e-12 * Math.max(1, seen), `floor ${seen} vs (${NOISE_SCALE} × ${sd})²`);
  assert.ok(seen > 0);
});

test('when the all-trials GP cannot be fitted (parameters missing), the floor is 0 and a result still comes', () => {
  // Metrics only, no parameters: the encoding is NaN and fitGP refuses it.
  const trials = randomTrials(noisy, 30, 8).map((t) => makeTrial(t.number, { ...t.metrics! }, 'complete', {}));
  assert.throws(() => estimateNoiseSd(noisy.space, balancePoints(noisy.space, trials).points, 0), /finite/);
  let seen = NaN;
  const model: BalanceModel = {
    posterior: (X) => ({ mean: X.map(() => 0), variance: X.map(() => 1) }),
    samplePosterior: (X, count) => Array.from({ length: count }, () => X.map(([x]) => -((x! - 16) ** 2))),
  };
  const r = computeBalance(noisy.space, trials, { fit: (_X, _y, _s, v) => ((seen = v ?? NaN), model) });
  assert.ok(r);
  assert.is(seen, 0);
  assert.is(r!.method, 'envelope', 'S* from the envelope curve when the joint GP cannot be fitted');
});

test.run();
