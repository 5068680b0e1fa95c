import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitGP, GPError } from '../../src/gp/index.js';
import { makeFitData, negLogPosterior } from '../../src/gp/likelihood.js';
import { ExactGP } from '../../src/gp/model.js';
import { lcg, randomMatrix } from './helpers.js';

const f = (x: readonly number[]): number => Math.sin(6 * x[0]!) + 0.5 * Math.cos(4 * x[1]!) + x[0]! * x[1]!;

test('log posterior gradient matches central finite differences', () => {
  const X = randomMatrix(15, 3, 1);
  const y = Float64Array.from(X, (x) => f(x) + 0.3 * x[2]!);
  for (const [fixed, density] of [[null, 'log-lengthscale'], [0.01, 'log-lengthscale'], [null, 'lengthscale']] as const) {
    const data = makeFitData(X, y, fixed, density);
    const theta = Float64Array.from([-0.7, 0.2, 0.9, 0.3, -3, 0.1]);
    const { grad } = negLogPosterior(theta, data);
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-5;
      const tp = Float64Array.from(theta);
      const tm = Float64Array.from(theta);
      tp[i] += h;
      tm[i] -= h;
      const fd = (negLogPosterior(tp, data).value - negLogPosterior(tm, data).value) / (2 * h);
      assert.ok(Math.abs(fd - grad[i]!) < 1e-5 * Math.max(1, Math.abs(fd)), `d/dθ${i} (fixed noise ${fixed}, prior over ${density}): analytic ${grad[i]}, numeric ${fd}`);
    }
  }
});

test('lengthscale prior over ℓ: with few points in six dimensions the fit keeps lengthscales near the prior mode (≈ 0.5), not near 10', () => {
  // Twelve points of a function of all six inputs: too few to pin the lengthscales, so the prior
  // decides. Over log ℓ its pull is towards ≈ 10 (inputs called irrelevant), over ℓ towards ≈ 0.5.
  const X = randomMatrix(12, 6, 3);
  const y = X.map((x) => x.reduce((a, v, k) => a + Math.sin(3 * v + k), 0));
  const overEll = fitGP(X, y, { seed: 1, lengthscaleDensity: 'lengthscale' });
  const overLog = fitGP(X, y, { seed: 1 });
  const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  assert.ok(median(overEll.hyper.lengthscales) < 2, `over ℓ: ${overEll.hyper.lengthscales.map((l) => l.toFixed(2))}`);
  assert.ok(median(overLog.hyper.lengthscales) > 2 * median(overEll.hyper.lengthscales), `over log ℓ: ${overLog.hyper.lengthscales.map((l) => l.toFixed(2))}`);
});

test('recovers a known 2-d function with calibrated 95% intervals', () => {
  const X = randomMatrix(40, 2, 2);
  const y = X.map(f);
  const gp = fitGP(X, y, { seed: 1 });
  const T = randomMatrix(300, 2, 3);
  const truth = T.map(f);
  const { mean, variance } = gp.posterior(T);
  let se = 0;
  let inside = 0;
  let tv = 0;
  const tm = truth.reduce((a, b) => a + b, 0) / truth.length;
  truth.forEach((t, i) => {
    se += (mean[i]! - t) ** 2;
    tv += (t - tm) ** 2;
    if (Math.abs(mean[i]! - t) <= 1.96 * Math.sqrt(variance[i]!) + 1e-9) inside++;
  });
  const r2 = 1 - se / tv;
  assert.ok(r2 > 0.98, `R² of posterior mean on held-out points should exceed 0.98, got ${r2}`);
  // Calibration: a noise-free function should fall inside the 95% band most of the time, and the
  // band must not be uselessly wide (checked by the R² above and the width below).
  assert.ok(inside / T.length > 0.85, `coverage of 95% intervals should exceed 85%, got ${inside / T.length}`);
  const meanSd = variance.reduce((a, v) => a + Math.sqrt(v), 0) / variance.length;
  assert.ok(meanSd < 0.2, `posterior sd should be small with 40 points, got mean sd ${meanSd}`);
  // Interpolates the training data.
  const fit = gp.posterior(X).mean;
  fit.forEach((m, i) => assert.ok(Math.abs(m - y[i]!) < 1e-2, `training point ${i}: mean ${m} vs ${y[i]}`));
});

test('learns noise on noisy data, and warm start reproduces the fit', () => {
  const r = lcg(4);
  const X = randomMatrix(60, 1, 5);
  const y = X.map((x) => Math.sin(8 * x[0]!) + 0.2 * r.normal());
  const gp = fitGP(X, y, { seed: 2 });
  const noiseVar = gp.hyper.noise * gp.yStd ** 2;
  assert.ok(noiseVar > 0.015 && noiseVar < 0.08, `noise variance should be near 0.04, got ${noiseVar}`);
  const again = fitGP(X, y, { warmStart: gp.hyper, restarts: 1 });
  assert.ok(again.logMarginalLikelihood >= gp.logMarginalLikelihood - 1e-3, `warm start LML ${again.logMarginalLikelihood} vs ${gp.logMarginalLikelihood}`);
});

test('fixed noise is respected', () => {
  const X = randomMatrix(20, 2, 6);
  const y = X.map(f);
  const gp = fitGP(X, y, { noise: 0.25 });
  assert.ok(Math.abs(gp.hyper.noise * gp.yStd ** 2 - 0.25) < 1e-9, `noise ${gp.hyper.noise * gp.yStd ** 2}`);
});

test('a fixed noise of 0 is floored (1e-10 in standardized units) so duplicate inputs still factor', () => {
  const X = [[0.2], [0.2], [0.7], [0.9]];
  const gp = fitGP(X, [1, 1, 0, 2], { noise: 0 });
  assert.is(gp.hyper.noise, 1e-10);
  assert.ok(Number.isFinite(gp.posterior([[0.5]]).mean[0]!));
});

test('joint posterior and samples agree with the marginal posterior', () => {
  const X = randomMatrix(12, 2, 7);
  const gp = fitGP(X, X.map(f));
  const Q = randomMatrix(4, 2, 8);
  const { mean, variance } = gp.posterior(Q);
  const joint = gp.jointPosterior(Q);
  joint.mean.forEach((m, i) => assert.ok(Math.abs(m - mean[i]!) < 1e-9));
  joint.cov.forEach((row, i) => assert.ok(Math.abs(row[i]! - variance[i]!) < 1e-9 * Math.max(1, variance[i]!)));
  const draws = gp.samplePosterior(Q, 4000, lcg(9));
  assert.is(draws.length, 4000);
  for (let j = 0; j < 4; j++) {
    const col = draws.map((d) => d[j]!);
    const m = col.reduce((a, b) => a + b, 0) / col.length;
    const v = col.reduce((a, b) => a + (b - m) ** 2, 0) / (col.length - 1);
    const sd = Math.sqrt(variance[j]!);
    assert.ok(Math.abs(m - mean[j]!) < 5 * sd / Math.sqrt(col.length) + 1e-9, `sample mean ${m} vs ${mean[j]}`);
    assert.ok(Math.abs(v / variance[j]! - 1) < 0.15, `sample variance ${v} vs ${variance[j]}`);
  }
});

test('conditioning on a fantasy equals building the GP on all points with the same hyperparameters', () => {
  const X = randomMatrix(10, 2, 10);
  const y = X.map(f);
  const gp = fitGP(X, y);
  const xn = [[0.3, 0.7], [0.31, 0.69]];
  const yn = [1.5, 1.4];
  const cond = gp.condition(xn, yn);
  const direct = new ExactGP(
    gp.hyper,
    [...X, ...xn].map((x) => Float64Array.from(x)),
    Float64Array.from([...y, ...yn], (v) => (v - gp.yMean) / gp.yStd),
    gp.yMean,
    gp.yStd,
    gp.inputTransform,
  );
  const Q = randomMatrix(6, 2, 13);
  const a = cond.posterior(Q);
  const b = direct.posterior(Q);
  Q.forEach((_, i) => {
    assert.ok(Math.abs(a.mean[i]! - b.mean[i]!) < 1e-8, `mean ${a.mean[i]} vs ${b.mean[i]}`);
    assert.ok(Math.abs(a.variance[i]! - b.variance[i]!) < 1e-8, `variance ${a.variance[i]} vs ${b.variance[i]}`);
  });
  assert.ok(Math.abs(cond.logMarginalLikelihood - direct.logMarginalLikelihood) < 1e-6);
  assert.ok(cond.posterior([xn[0]!]).variance[0]! < gp.posterior([xn[0]!]).variance[0]! * 0.1, 'variance collapses at the fantasy');
  assert.is(cond.n, 12);
});

test('degenerate data: one point, all-equal outputs, duplicates, inputs outside the unit cube', () => {
  const one = fitGP([[0.5, 0.5]], [3]);
  const p1 = one.posterior([[0.5, 0.5], [0.9, 0.1]]);
  assert.ok(Math.abs(p1.mean[0]! - 3) < 0.1 && p1.mean.every(Number.isFinite) && p1.variance.every((v) => v > 0 && Number.isFinite(v)));

  const flat = fitGP(randomMatrix(8, 3, 11), new Array(8).fill(2));
  const pf = flat.posterior(randomMatrix(5, 3, 12));
  pf.mean.forEach((m) => assert.ok(Math.abs(m - 2) < 1e-6, `flat data mean ${m}`));
  pf.variance.forEach((v) => assert.ok(Number.isFinite(v) && v >= 0));

  const Xd = [[0.2, 0.2], [0.2, 0.2], [0.2, 0.2], [0.8, 0.1], [0.8, 0.1]];
  const dup = fitGP(Xd, [1, 1.1, 0.9, 2, 2.05]);
  const pd = dup.posterior([[0.2, 0.2]]);
  assert.ok(Math.abs(pd.mean[0]! - 1) < 0.1, `duplicate mean ${pd.mean[0]}`);

  // log2 sizes, as the balance surrogate passes them: scaled to the data's box internally.
  const S = [[10], [12], [14], [16], [18], [20]];
  const E = S.map((s) => -((s[0]! - 15) ** 2) / 20);
  const g = fitGP(S, E);
  const pm = g.posterior([[15]]).mean[0]!;
  assert.ok(Math.abs(pm) < 0.15, `peak of a parabola on [10, 20] recovered, got ${pm}`);
});

test('random restarts draw from src/math Rng: a seed fixes the fit, and a bad seed is refused by Rng', () => {
  const X = randomMatrix(12, 2, 4);
  const y = X.map(f);
  const a = fitGP(X, y, { seed: 9, restarts: 6 });
  const b = fitGP(X, y, { seed: 9, restarts: 6 });
  assert.equal(a.hyper, b.hyper);
  assert.throws(() => fitGP(X, y, { seed: -1, restarts: 6 }), /seed must be >= 0, got -1/);
});

test('bad inputs are rejected with the rule and the value', () => {
  assert.throws(() => fitGP([], []), (e: unknown) => e instanceof GPError && /at least one/.test((e as Error).message));
  assert.throws(() => fitGP([[0.1], [0.2]], [1]), /one output per input row, got 2 rows and 1 outputs/);
  assert.throws(() => fitGP([[0.1], [NaN]], [1, 2]), /finite, got NaN/);
  assert.throws(() => fitGP([[0.1], [0.2]], [1, Infinity]), /finite, got Infinity/);
});


test('posterior gradient matches finite differences of the posterior', () => {
  const X = randomMatrix(20, 3, 14).map((x) => [x[0]! * 4 - 1, x[1]!, x[2]! * 10]);
  const gp = fitGP(X, X.map((x) => Math.sin(x[0]!) + x[1]! ** 2 + 0.1 * x[2]!));
  const x = [0.4, 0.3, 4];
  const g = gp.posteriorGradient(x);
  const p = gp.posterior([x]);
  assert.ok(Math.abs(g.mean - p.mean[0]!) < 1e-9 && Math.abs(g.variance - p.variance[0]!) < 1e-9);
  for (let j = 0; j < 3; j++) {
    const h = 1e-6;
    const xp = [...x];
    const xm = [...x];
    xp[j] += h;
    xm[j] -= h;
    const [a, b] = [gp.posterior([xp]), gp.posterior([xm])];
    const dm = (a.mean[0]! - b.mean[0]!) / (2 * h);
    const dv = (a.variance[0]! - b.variance[0]!) / (2 * h);
    assert.ok(Math.abs(dm - g.dMean[j]!) < 1e-5 * Math.max(1, Math.abs(dm)), `dMean/dx${j}: ${g.dMean[j]} vs ${dm}`);
    assert.ok(Math.abs(dv - g.dVariance[j]!) < 1e-5 * Math.max(1, Math.abs(dv)), `dVar/dx${j}: ${g.dVariance[j]} vs ${dv}`);
  }
});


test('training means equal the posterior mean at the training inputs; batched posterior equals per-point', () => {
  const X = randomMatrix(30, 2, 15);
  const gp = fitGP(X, X.map(f), { noise: 0.01 });
  const direct = gp.posterior(X).mean;
  gp.trainingMeans().forEach((m, i) => assert.ok(Math.abs(m - direct[i]!) < 1e-8, `training mean ${m} vs ${direct[i]}`));
  const Q = randomMatrix(250, 2, 16);
  const all = gp.posterior(Q);
  [0, 97, 249].forEach((i) => {
    const one = gp.posterior([Q[i]!]);
    assert.ok(Math.abs(one.mean[0]! - all.mean[i]!) < 1e-12 && Math.abs(one.variance[0]! - all.variance[i]!) < 1e-12);
  });
});

test('posteriorCross: marginals equal posterior(), cross covariances equal jointPosterior\'s off-diagonal block', () => {
  const X = randomMatrix(25, 2, 21);
  const gp = fitGP(X, X.map(f), { seed: 4 });
  const Q = randomMatrix(130, 2, 22); // more than one block of candidates
  const P = randomMatrix(3, 2, 23);
  const r = gp.posteriorCross(Q, P);
  const plain = gp.posterior(Q);
  for (const i of [0, 1, 95, 96, 129]) {
    assert.ok(Math.abs(r.mean[i]! - plain.mean[i]!) < 1e-10);
    assert.ok(Math.abs(r.variance[i]! - plain.variance[i]!) < 1e-10);
    const { cov } = gp.jointPosterior([Q[i]!, ...P]);
    for (let a = 0; a < 3; a++) assert.ok(Math.abs(r.cross[i * 3 + a]! - cov[0]![a + 1]!) < 1e-10, `cross ${i},${a}: ${r.cross[i * 3 + a]} vs ${cov[0]![a + 1]}`);
  }
});

test.run();
