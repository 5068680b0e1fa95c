import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExactGP } from '../../src/gp/model.js';
import { fitGP } from '../../src/gp/index.js';
import { deriveSeed } from '../../src/math/index.js';
import { COLD_SCREEN_ITER, ModelCache, REFIT_ALWAYS, REFIT_GROWTH, SAMPLER_LENGTHSCALE_DENSITY } from '../../src/samplers/model-cache.js';
import { lcg } from '../gp/helpers.js';

const f = (x: readonly number[]): number => Math.sin(4 * x[0]!) + x[1]! * x[1]! - 0.5 * x[2]!;

function data(n: number, seed: number): { X: number[][]; y: number[]; ids: number[] } {
  const r = lcg(seed);
  const X = Array.from({ length: n }, () => [r.random(), r.random(), r.random()]);
  return { X, y: X.map(f), ids: X.map((_, i) => i) };
}

test('the sampler\'s models take the lengthscale prior over ℓ (BoTorch\'s MAP), not the fitGP default over log ℓ', () => {
  assert.is(SAMPLER_LENGTHSCALE_DENSITY, 'lengthscale');
  // Few points in three dimensions: the prior decides the lengthscales, so the two densities differ.
  const { X, y, ids } = data(6, 7);
  const model = new ModelCache(1, 2).fit('obj:0', ids, X, y);
  const overEll = fitGP(X, y, { seed: 0, lengthscaleDensity: 'lengthscale' }).hyper.lengthscales;
  const overLog = fitGP(X, y, { seed: 0 }).hyper.lengthscales;
  const dist = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((v, k) => Math.abs(Math.log(v / b[k]!))));
  assert.ok(dist(model.hyper.lengthscales, overEll) < dist(model.hyper.lengthscales, overLog), `cache ${model.hyper.lengthscales}, over ℓ ${overEll}, over log ℓ ${overLog}`);
});

test('between refits the model is extended: it equals a GP built on all rows with the same hyperparameters and scaling', () => {
  const cache = new ModelCache(1, 2);
  const { X, y, ids } = data(REFIT_ALWAYS + 20, 3);
  const first = cache.fit('obj:0', ids.slice(0, 110), X.slice(0, 110), y.slice(0, 110));
  const grown = cache.fit('obj:0', ids.slice(0, 118), X.slice(0, 118), y.slice(0, 118));
  assert.is(grown.n, 118);
  assert.is(grown.hyper, first.hyper);
  assert.is(grown.yStd, first.yStd);
  const fresh = new ExactGP(first.hyper, X.slice(0, 118).map((x) => Float64Array.from(x)), Float64Array.from(y.slice(0, 118), (v) => (v - first.yMean) / first.yStd), first.yMean, first.yStd, first.inputTransform);
  const Q = data(9, 4).X;
  const a = grown.posterior(Q);
  const b = fresh.posterior(Q);
  Q.forEach((_, i) => {
    assert.ok(Math.abs(a.mean[i]! - b.mean[i]!) < 1e-9, `mean ${a.mean[i]} vs ${b.mean[i]}`);
    assert.ok(Math.abs(a.variance[i]! - b.variance[i]!) < 1e-9, `variance ${a.variance[i]} vs ${b.variance[i]}`);
  });
  assert.ok(Math.abs(grown.logMarginalLikelihood - fresh.logMarginalLikelihood) < 1e-6);
  // The same rows again: the same model, no work.
  assert.is(cache.fit('obj:0', ids.slice(0, 118), X.slice(0, 118), y.slice(0, 118)), grown);
});

test(`hyperparameters are refitted once the data has grown by ${REFIT_GROWTH}× and on every call up to ${REFIT_ALWAYS} points`, () => {
  const cache = new ModelCache(1, 2);
  const { X, y, ids } = data(140, 5);
  const a = cache.fit('k', ids.slice(0, 60), X.slice(0, 60), y.slice(0, 60));
  const b = cache.fit('k', ids.slice(0, 61), X.slice(0, 61), y.slice(0, 61));
  assert.is.not(b.hyper, a.hyper);
  const c = cache.fit('k', ids.slice(0, 110), X.slice(0, 110), y.slice(0, 110));
  const d = cache.fit('k', ids.slice(0, 120), X.slice(0, 120), y.slice(0, 120));
  assert.is(d.hyper, c.hyper);
  const e = cache.fit('k', ids.slice(0, 122), X.slice(0, 122), y.slice(0, 122));
  assert.is.not(e.hyper, c.hyper);
});

test('the previous path (incremental off) rebuilds on all rows with the last hyperparameters', () => {
  const cache = new ModelCache(1, 2, false);
  const { X, y, ids } = data(118, 6);
  const first = cache.fit('k', ids.slice(0, 110), X.slice(0, 110), y.slice(0, 110));
  const next = cache.fit('k', ids, X, y);
  assert.equal(next.hyper, first.hyper);
  assert.is.not(next.yStd, first.yStd);
});

test('rows keep their order across calls; new trials are appended by number; a lost trial starts over', () => {
  const cache = new ModelCache(1, 2);
  const t = (number: number): { number: number } => ({ number });
  assert.equal(cache.order([t(2), t(0), t(1)]).map((x) => x.number), [0, 1, 2]);
  assert.equal(cache.order([t(0), t(1), t(5), t(2), t(3)]).map((x) => x.number), [0, 1, 2, 3, 5]);
  assert.equal(cache.order([t(4), t(0), t(1), t(2), t(3), t(5)]).map((x) => x.number), [0, 1, 2, 3, 5, 4]);
  assert.equal(cache.order([t(1), t(0)]).map((x) => x.number), [0, 1]);
});

test(`a cold fit past ${REFIT_ALWAYS} points screens its starts (${COLD_SCREEN_ITER} iterations each, the best continues); up to ${REFIT_ALWAYS} every start runs in full`, () => {
  for (const [n, screened] of [
    [REFIT_ALWAYS + 30, true],
    [REFIT_ALWAYS - 10, false],
  ] as const) {
    const { X, y, ids } = data(n, 8);
    const cold = new ModelCache(1, 2).fit('k', ids, X, y);
    const seed = deriveSeed(1, 2, n);
    const expected = fitGP(X, y, { restarts: 3, seed, lengthscaleDensity: SAMPLER_LENGTHSCALE_DENSITY, ...(screened ? { screenIter: COLD_SCREEN_ITER } : {}) });
    const other = fitGP(X, y, { restarts: 3, seed, lengthscaleDensity: SAMPLER_LENGTHSCALE_DENSITY, ...(screened ? {} : { screenIter: COLD_SCREEN_ITER }) });
    assert.equal(cold.hyper, expected.hyper, `n=${n}`);
    // The two schedules end at different points, so the check above tells them apart.
    assert.not.equal(other.hyper, expected.hyper, `n=${n}`);
  }
});

test.run();
