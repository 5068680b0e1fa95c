/**
 * sampleHyperModels draws θ from p(θ | y). With one observation the likelihood does not depend on
 * the lengthscale, so its draws must follow the prior (log ℓ ~ Normal(√2, √3) at d = 1): a sampler
 * that does not move, or moves towards the data's MAP, fails. With many points from a smooth
 * function the draws stay near the fitted θ and every model still fits the data.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitGP, sampleHyperModels } from '../../src/gp/index.js';
import { lengthscalePrior, thetaBounds } from '../../src/gp/hyper.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

test('one observation: the lengthscale draws follow its prior', () => {
  const X = [[0.3]];
  const y = [0.7];
  const model = fitGP(X, y, { seed: 1 });
  const draws = sampleHyperModels(model, X, y, { count: 600, thin: 1, burn: 10, seed: 3 }).map((m) => Math.log(m.hyper.lengthscales[0]!));
  const prior = lengthscalePrior(1);
  assert.ok(Math.abs(mean(draws) - prior.loc) < 0.35, `mean log ℓ ${mean(draws)} vs prior ${prior.loc}`);
  assert.ok(Math.abs(sd(draws) - prior.scale) < 0.35, `sd log ℓ ${sd(draws)} vs prior ${prior.scale}`);
  const { lower, upper } = thetaBounds(1);
  assert.ok(draws.every((t) => t >= lower[0]! && t <= upper[0]!), 'inside the bounds');
});

test('many points of a smooth function: draws differ, stay near the fit, and each model fits the data', () => {
  const X = Array.from({ length: 30 }, (_, i) => [i / 29, ((i * 7) % 30) / 29]);
  const y = X.map(([a, b]) => Math.sin(5 * a!) + 0.3 * b!);
  const model = fitGP(X, y, { seed: 0 });
  const models = sampleHyperModels(model, X, y, { count: 8, seed: 2 });
  assert.is(models.length, 8);
  const l0 = models.map((m) => Math.log(m.hyper.lengthscales[0]!));
  assert.ok(sd(l0) > 0, 'the draws differ');
  assert.ok(Math.abs(mean(l0) - Math.log(model.hyper.lengthscales[0]!)) < 1, `mean log ℓ₀ ${mean(l0)} vs fitted ${Math.log(model.hyper.lengthscales[0]!)}`);
  for (const m of models) {
    const fit = m.posterior(X).mean;
    assert.ok(Math.max(...fit.map((f, i) => Math.abs(f - y[i]!))) < 0.05, 'fits the data');
  }
  // Same seed, same draws; a fixed noise stays fixed.
  assert.equal(sampleHyperModels(model, X, y, { count: 3, seed: 2 }).map((m) => m.hyper), models.slice(0, 3).map((m) => m.hyper));
  assert.ok(sampleHyperModels(model, X, y, { count: 3, seed: 5, fixedNoise: true }).every((m) => m.hyper.noise === model.hyper.noise));
});

test.run();
