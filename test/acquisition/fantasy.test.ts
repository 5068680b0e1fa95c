import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fantasyAcquisition, logEHVIScore, logEIScore, sumAcquisitions, type MarginalScore } from '../../src/acquisition/index.js';
import { fitGP, type GPModel } from '../../src/gp/index.js';
import { Rng } from '../../src/math/index.js';

// A 1-d GP on six points of a smooth function, incumbent 0.05 near x = 0.8.
const X1 = [[0.05], [0.2], [0.35], [0.5], [0.65], [0.95]];
const g = (x: number): number => Math.cos(5 * x) + x;
const model1 = fitGP(X1, X1.map(([x]) => g(x!)), { seed: 1, noise: 1e-6 });
const best1 = Math.min(...X1.map(([x]) => g(x!)));
const eiGiven = (outcomes: readonly (readonly number[])[]): MarginalScore => logEIScore(Math.min(best1, ...outcomes.map((y) => y[0]!)));

const acqWith = (pending: number[][], samples = 64, seed = 3) => fantasyAcquisition({ models: [model1], pending, samples, rng: new Rng(seed), scoreFor: eiGiven });

test('a pending point near a candidate lowers that candidate\'s value; a far one barely changes it', () => {
  const candidate = [[0.72]];
  const near = acqWith([[0.73]]).evaluate(candidate)[0]!;
  const far = acqWith([[0.1]]).evaluate(candidate)[0]!;
  const alone = logEIScore(best1)(Float64Array.of(model1.posterior(candidate).mean[0]!), Float64Array.of(Math.sqrt(model1.posterior(candidate).variance[0]!)));
  assert.ok(near < far - 1, `near pending ${near} should be well below far pending ${far}`);
  assert.ok(Math.abs(far - alone) < 0.3, `far pending ${far} should be close to no pending ${alone}`);
});

test('the fantasy average equals brute-force joint sampling of pending and candidate (qEI)', () => {
  // E over joint draws (f(P), f(x)) of (min(best, f(P)) − f(x))⁺, by plain Monte Carlo with many draws.
  // Three points only, so the posterior between them is wide and the improvement is not rare.
  const X = [[0.05], [0.45], [0.95]];
  const model = fitGP(X, X.map(([x]) => g(x!)), { seed: 1, noise: 1e-6 });
  const best = Math.min(...X.map(([x]) => g(x!)));
  for (const [P, x] of [[0.75, 0.62], [0.62, 0.66]] as const) {
    const draws = model.samplePosterior([[P], [x]], 40000, new Rng(11));
    let sum = 0;
    for (const [fp, fx] of draws) sum += Math.max(Math.min(best, fp!) - fx!, 0);
    const brute = Math.log(sum / draws.length);
    const acq = fantasyAcquisition({ models: [model], pending: [[P]], samples: 2048, rng: new Rng(3), scoreFor: (out) => logEIScore(Math.min(best, out[0]![0]!)) });
    const value = acq.evaluate([[x]])[0]!;
    // 40,000 plain draws estimate log qEI to about ±0.03 here (measured −3.040 vs −3.029, −5.998 vs −5.968).
    assert.ok(Math.abs(value - brute) < 0.08, `pending ${P}, candidate ${x}: fantasy log qEI ${value} vs brute force ${brute}`);
  }
});

test('two objectives: a pending point that would improve the front where the candidate would lowers its value', () => {
  const X = [[0.1, 0.1], [0.9, 0.2], [0.5, 0.5], [0.2, 0.8], [0.8, 0.9], [0.4, 0.3], [0.6, 0.7]];
  const f1 = (x: number[]): number => x[0]!;
  const f2 = (x: number[]): number => 1 - Math.sqrt(x[0]!) + x[1]!;
  const models: GPModel[] = [fitGP(X, X.map(f1), { seed: 1 }), fitGP(X, X.map(f2), { seed: 2 })];
  const front = X.map((x) => [f1(x), f2(x)]);
  const ref = [1.2, 2.2];
  const make = (pending: number[][]) =>
    fantasyAcquisition({ models, pending, samples: 32, rng: new Rng(5), scoreFor: (out) => logEHVIScore([...front, ...out], ref) });
  const candidate = [[0.3, 0.02]];
  const near = make([[0.31, 0.03]]).evaluate(candidate)[0]!;
  const far = make([[0.95, 0.95]]).evaluate(candidate)[0]!;
  assert.ok(near < far - 0.5, `near pending ${near} should be below far pending ${far}`);
});

test('deterministic for a fixed seed; another seed gives other draws', () => {
  const cands = [[0.3], [0.61], [0.77], [0.9]];
  const a = acqWith([[0.7], [0.4]], 16, 7).evaluate(cands);
  const b = acqWith([[0.7], [0.4]], 16, 7).evaluate(cands);
  const c = acqWith([[0.7], [0.4]], 16, 8).evaluate(cands);
  assert.equal(a, b);
  assert.ok(a.some((v, i) => v !== c[i]), 'another seed should change some value');
  // Evaluating candidates one at a time or together gives the same values.
  cands.forEach((x, i) => assert.ok(Math.abs(acqWith([[0.7], [0.4]], 16, 7).evaluate([x])[0]! - a[i]!) < 1e-12));
});

test('sumAcquisitions adds values', () => {
  const one = { evaluate: (X: readonly (readonly number[])[]) => X.map((x) => x[0]!) };
  const two = { evaluate: (X: readonly (readonly number[])[]) => X.map(() => -1) };
  assert.equal(sumAcquisitions([one, two]).evaluate([[3], [5]]), [2, 4]);
});

test.run();
