import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  computeBalance,
  explainBalance,
  fitWindow,
  frontierCsv,
  KNOB_BEST,
  saturating,
  cliff,
  unimodalEnvelopeIndices,
  type BalanceModel,
  type RawPoint,
} from '../../src/balance/index.js';
import { Rng } from '../../src/math/index.js';
import type { Params } from '../../src/space/index.js';
import type { Trial } from '../../src/study/index.js';
import { makeSpace, makeTrial } from '../pareto/fixtures.js';

/** A design with known answers: sizes every 0.5 log2 from 8 to 24 at the best knob, plus bad-knob trials. */
function design(problem: typeof saturating, seed: number): Trial[] {
  const rng = new Rng(seed);
  const trials: Trial[] = [];
  let n = 0;
  for (let s = 8; s <= 24; s += 0.5) {
    const good: Params = { s, knob: KNOB_BEST, junk: rng.uniform() };
    trials.push(makeTrial(n++, { ...problem.evaluate(good, () => rng.normal()) }, 'complete', good));
    const bad: Params = { s: Math.min(24, s + 0.25), knob: rng.uniform(), junk: rng.uniform() };
    trials.push(makeTrial(n++, { ...problem.evaluate(bad, () => rng.normal()) }, 'complete', bad));
  }
  return trials;
}

for (const problem of [saturating, cliff]) {
  test(`S* on the synthetic '${problem.name}' objective matches the analytic S* (${problem.log2SStar.toFixed(3)})`, () => {
    const trials = design(problem, 1);
    const r = computeBalance(problem.space, trials, { seed: 3 })!;
    assert.ok(r, 'a result');
    const truth = problem.log2SStar;
    assert.ok(Math.abs(r.log2SStar.median - truth) < 0.5, `median ${r.log2SStar.median} vs ${truth}`);
    assert.ok(r.log2SStar.lo <= truth && truth <= r.log2SStar.hi, `interval [${r.log2SStar.lo}, ${r.log2SStar.hi}] vs ${truth}`);
    // The noise floors keep the interval from collapsing even on exact data: about 2 log2 wide on
    // the saturating curve, 3 on the cliff (a stationary GP over all trials reads part of the
    // cliff as noise, so NOISE_SCALE's floor is not 0 there).
    assert.ok(r.log2SStar.hi - r.log2SStar.lo < 3.5, `interval width ${r.log2SStar.hi - r.log2SStar.lo}`);
    assert.ok(Math.abs(r.sStar.median - 2 ** r.log2SStar.median) < 1e-6 * r.sStar.median);
    const trueE = problem.accuracyAt(truth) - problem.c * truth;
    assert.ok(Math.abs(r.expectedE - trueE) < 0.005, `expected E ${r.expectedE} vs ${trueE}`);
    // The recommended trial is an envelope trial near S*, with its parameters.
    assert.ok(r.recommended);
    const rec = r.points.find((p) => p.trial === r.recommended!.trial)!;
    assert.ok(rec.onEnvelope);
    assert.ok(Math.abs(rec.log2Size - r.log2SStar.median) <= 0.5);
    assert.is(r.recommended.params.s, rec.log2Size);
    // Near S* (where E is flat) only trials within a hair of the best at their size are on the envelope.
    for (const p of r.points) {
      const best = problem.accuracyAt(p.log2Size) - problem.c * p.log2Size;
      if (p.onEnvelope && Math.abs(p.log2Size - truth) < 2) assert.ok(best - p.e < 0.002, `trial ${p.trial} (knob ${p.params.knob}) on the envelope`);
    }
    // The curve spans the fitted sizes and its 90% band contains the true E* at most grid points.
    const inside = r.curve.filter((c) => {
      const e = problem.accuracyAt(c.log2Size) - problem.c * c.log2Size;
      return c.lo <= e && e <= c.hi;
    }).length;
    assert.ok(inside / r.curve.length > 0.8, `band covers the truth at ${inside}/${r.curve.length} grid points`);
    assert.ok(r.knee, 'a knee');
    assert.ok(r.knee!.size > 0 && r.knee!.metrics.accuracy! > 0);
    assert.is(r.nTrials, trials.length);
    assert.is(r.sizeMetric, 'size_bits');
  });
}

test('same seed and trials → same result; results do not depend on trial order', () => {
  const trials = design(saturating, 2);
  const a = computeBalance(saturating.space, trials, { seed: 5, samples: 200 });
  const b = computeBalance(saturating.space, [...trials].reverse(), { seed: 5, samples: 200 });
  assert.equal(a, b);
});

test('envelope method: S* comes from the model\'s posterior draws (injected model with a known posterior)', () => {
  const trials = design(saturating, 4);
  // Draw k is a parabola peaking at 12 + 4·u_k, u_k uniform: S* median 14, interval [12.2, 15.8].
  const model: BalanceModel = {
    posterior: (X) => ({ mean: X.map(([s]) => -((s! - 14) ** 2)), variance: X.map(() => 0.01) }),
    samplePosterior: (X, count) =>
      Array.from({ length: count }, (_, k) => {
        const mu = 12 + (4 * k) / (count - 1);
        return X.map(([s]) => -((s! - mu) ** 2));
      }),
  };
  const r = computeBalance(saturating.space, trials, { method: 'envelope', fit: () => model, samples: 1001, gridSize: 1601 })!;
  assert.is(r.method, 'envelope');
  const step = r.curve[1]!.log2Size - r.curve[0]!.log2Size;
  assert.ok(Math.abs(r.log2SStar.median - 14) <= step, `median ${r.log2SStar.median}`);
  assert.ok(Math.abs(r.log2SStar.lo - 12.2) <= step && Math.abs(r.log2SStar.hi - 15.8) <= step, `${r.log2SStar.lo} ${r.log2SStar.hi}`);
  assert.ok(Math.abs(r.expectedE) <= step * step + 1e-12, 'posterior mean at the median');
  assert.ok(Math.abs(r.curve[0]!.hi - r.curve[0]!.mean - 1.6448536269514722 * 0.1) < 1e-12, '90% band is mean ± 1.645 sd');
});

test('no result, with the reason, when too few usable trials', () => {
  const space = saturating.space;
  const few = design(saturating, 5).slice(0, 4);
  const e = explainBalance(space, few);
  assert.is(e.result, null);
  assert.match(e.reason!, /at least 5 complete feasible trials .* got 4/);
  const failed = [...few, makeTrial(10, null, 'failed'), makeTrial(11, { accuracy: 0.9 })];
  assert.match(explainBalance(space, failed).reason!, /skipped: 1 × no size metric 'size_bits'/);
});

test('an efficiency reading an unknown metric is reported by name', () => {
  const space = makeSpace(`
objective: { module: ./x.js }
params: { w: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
balance: { efficiency: "acc - 0.01 * log2(size_bits)" }
`);
  const trials = Array.from({ length: 8 }, (_, i) => makeTrial(i, { accuracy: 0.5 + i / 20, size_bits: 2 ** (10 + i) }));
  const e = explainBalance(space, trials);
  assert.is(e.result, null);
  assert.match(e.reason!, /8 × efficiency "acc - 0\.01 \* log2\(size_bits\)": unknown name 'acc'; known: accuracy, size_bits/);
});

test('infeasible trials are not balance points; the default balance applies without a block', () => {
  const space = makeSpace(`
objective: { module: ./x.js }
params: { w: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
constraints: ["accuracy >= 0.6"]
`);
  const trials = Array.from({ length: 12 }, (_, i) =>
    makeTrial(i, { accuracy: 0.95 - 0.5 * 2 ** (-i / 2), size_bits: 2 ** (10 + i) }, 'complete', { w: i / 12 }),
  );
  const r = computeBalance(space, trials)!;
  assert.is(r.efficiency, 'accuracy - 0.005 * log2(size_bits)');
  const infeasible = trials.filter((t) => t.metrics!.accuracy! < 0.6).map((t) => t.number);
  assert.ok(infeasible.length > 0);
  for (const n of infeasible) assert.not.ok(r.points.some((p) => p.trial === n));
});

test('unimodal envelope: records from the left and from the right', () => {
  const pts = (xs: [number, number][]): RawPoint[] =>
    xs.map(([s, e], i) => ({ trial: makeTrial(i, {}), size: 2 ** s, log2Size: s, e, eSe: 0 }));
  // Peak at s=3; (2, 0.2) is below (1, 0.5) on the left and below the peak on the right.
  const p = pts([[1, 0.5], [2, 0.2], [3, 1], [4, 0.7], [5, 0.8], [6, 0.1]]);
  assert.equal(unimodalEnvelopeIndices(p), [0, 2, 4, 5]);
  // Of two points of one size only the better can be on it, whatever side of the peak.
  const q = pts([[1, 0.5], [3, 1], [6, 0.1], [6, 0.05], [1, 0.4]]);
  assert.equal(unimodalEnvelopeIndices(q), [0, 1, 2]);
});

test('fit window keeps the upper part of the envelope and brackets the peak', () => {
  const pts = (es: number[]): RawPoint[] => es.map((e, i) => ({ trial: makeTrial(i, {}), size: 2 ** i, log2Size: i, e, eSe: 0 }));
  // Range 0..1, cut 0.75: indices 3..5; the peak (index 5) is the last → extend to 6.
  const w = fitWindow(pts([0, 0.2, 0.5, 0.8, 0.9, 1, 0.6, 0.3]));
  assert.equal(w.map((p) => p.log2Size), [3, 4, 5, 6]);
  // Peak inside the run: no extension.
  assert.equal(fitWindow(pts([0, 0.8, 1, 0.9, 0])).map((p) => p.log2Size), [1, 2, 3]);
  // At least 3 sizes.
  assert.equal(fitWindow(pts([0, 0, 1, 0, 0])).map((p) => p.log2Size), [1, 2, 3]);
});

test('frontier CSV: envelope rows by size, flags, params and metrics, RFC 4180 quoting', () => {
  const trials = design(saturating, 6).map((t) => ({ ...t, params: { ...t.params, note: t.number === 0 ? 'a,"b"' : 'x' } }));
  const r = computeBalance(saturating.space, trials, { samples: 100 })!;
  const csv = frontierCsv(r);
  const lines = csv.trimEnd().split('\n');
  assert.is(lines[0], 'trial,size_bits,log2_size,efficiency,recommended,knee,param_s,param_knob,param_junk,param_note,metric_accuracy,metric_size_bits');
  const env = r.points.filter((p) => p.onEnvelope);
  assert.is(lines.length, env.length + 1);
  const sizes = lines.slice(1).map((l) => Number(l.split(',')[2]));
  assert.equal(sizes, [...sizes].sort((a, b) => a - b));
  assert.is(lines.filter((l) => l.split(',')[4] === '1').length, 1, 'one recommended row');
  assert.ok(csv.includes('"a,""b"""'), 'quoted field');
});

test.run();
