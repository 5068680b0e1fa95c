/** Acquisition pieces against values worked out by hand or from their closed forms. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  chebyshevScalarize,
  hypervolumeImprovement,
  logEHVI2d,
  logEHVIScore,
  logEIScore,
  logExpectedImprovement,
  logFeasibility,
  logMCEHVIScore,
  marginalAcquisition,
  simplexWeights,
  stripes2d,
  withFeasibility,
} from '../../src/acquisition/index.js';
import { fitGP, logNormCdf, normCdf, normPdf } from '../../src/gp/index.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `expected ${b}, got ${a}`);
const f64 = (...v: number[]) => Float64Array.from(v);

test('ParEGO: simplex weights from exponential spacings; augmented Chebyshev on normalized objectives', () => {
  simplexWeights([Math.exp(-1), Math.exp(-2), Math.exp(-3)]).forEach((w, j) => close(w, (j + 1) / 6));
  assert.ok(simplexWeights([0, 0.5]).every(Number.isFinite), 'a zero uniform is clamped');
  // Objective 1 spans [0, 2], objective 2 spans [0, 10]; w = (0.25, 0.75), ρ = 0.05.
  const s = chebyshevScalarize([[0, 10], [2, 0], [1, 5]], [0.25, 0.75]);
  [0.75 + 0.05 * 0.75, 0.25 + 0.05 * 0.25, 0.375 + 0.05 * 0.5].forEach((v, i) => close(s[i]!, v));
  // A constant objective contributes 0 (its span counts as 1).
  const c = chebyshevScalarize([[1, 3], [1, 5]], [0.5, 0.5], 0.1);
  close(c[0]!, 0);
  close(c[1]!, 0.5 + 0.1 * 0.5);
});

test('hypervolume improvement: a box minus what the front already covers; 0 outside the reference box', () => {
  const front = [[1, 3], [2, 2], [3, 1]];
  // [1.5, 1.5] adds the part of [1.5, 4] × [1.5, 4] not covered: 2.5² − covered (clip to the box).
  const covered = (4 - 1.5) * (4 - 3) + (4 - 2) * (3 - 2) + (4 - 3) * (2 - 1.5); // 2.5 + 2 + 0.5
  close(hypervolumeImprovement([1.5, 1.5], front, [4, 4]), 2.5 * 2.5 - covered);
  assert.is(hypervolumeImprovement([2.5, 2.5], front, [4, 4]), 0, 'a dominated point adds nothing');
  assert.is(hypervolumeImprovement([5, 0], front, [4, 4]), 0);
  assert.is(hypervolumeImprovement([4, 0], front, [4, 4]), 0, 'on the reference boundary');
});

test('2-D stripes: non-dominated points inside the reference box, sorted; EHVI of a sure point is its improvement', () => {
  const st = stripes2d([[3, 1], [1, 3], [2, 2.5], [2.5, 3.5], [5, 0.5], [0.5, 4.5], [4, 0.2]], [4, 4]);
  assert.equal(Array.from(st.a), [-Infinity, 1, 2, 3]);
  assert.equal(Array.from(st.b), [1, 2, 3, 4]);
  assert.equal(Array.from(st.c), [4, 3, 2.5, 1]);
  const front = [[1, 3], [2, 2.5], [3, 1]];
  const sure = Math.exp(logEHVI2d(stripes2d(front, [4, 4]), 1.5, 1e-9, 1.5, 1e-9));
  close(sure, hypervolumeImprovement([1.5, 1.5], front, [4, 4]), 1e-6);
  // Empty front: EHVI = ψ1(ref1) · ψ2(ref2), ψ(c) = σ h((c − μ)/σ), h(z) = φ(z) + zΦ(z).
  const psi = (c: number, mu: number, sd: number) => sd * (normPdf((c - mu) / sd) + ((c - mu) / sd) * normCdf((c - mu) / sd));
  close(Math.exp(logEHVI2d(stripes2d([], [1, 1]), 0.3, 0.2, 0.6, 0.4)), psi(1, 0.3, 0.2) * psi(1, 0.6, 0.4), 1e-10);
  // The score reads objective 1 from the first model and objective 2 from the second.
  close(logEHVIScore([], [1, 1])(f64(0.3, 0.6), f64(0.2, 0.4)), Math.log(psi(1, 0.3, 0.2) * psi(1, 0.6, 0.4)), 1e-10);
});

test('log EI: a sure improvement is log(best − μ); the closed form elsewhere', () => {
  close(logExpectedImprovement(0.2, 0, 1), Math.log(0.8), 1e-9);
  close(logEIScore(1)(f64(0.2), f64(1e-13)), Math.log(0.8), 1e-9);
  const z = (0.5 - 0.9) / 0.3;
  close(logExpectedImprovement(0.9, 0.3, 0.5), Math.log(0.3 * (normPdf(z) + z * normCdf(z))), 1e-10);
});

test('MC EHVI with no spread is the improvement of the mean; front points outside the box are ignored', () => {
  const front = [[0.2, 0.8, 0.5], [0.6, 0.3, 0.4], [2, 0, 0]];
  const base = [[0.3, -1, 2], [1, 1, -1]];
  const score = logMCEHVIScore(front, [1, 1, 1], base);
  const hvi = hypervolumeImprovement([0.4, 0.4, 0.3], front.slice(0, 2), [1, 1, 1]);
  close(Math.exp(score(f64(0.4, 0.4, 0.3), f64(0, 0, 0))), hvi, 1e-12);
  // With spread, the average over the base samples.
  const mu = [0.4, 0.4, 0.3];
  const sd = [0.1, 0.2, 0.05];
  const avg = base.reduce((s, z) => s + hypervolumeImprovement(mu.map((m, j) => m + sd[j]! * z[j]!), front.slice(0, 2), [1, 1, 1]), 0) / base.length;
  close(Math.exp(score(f64(...mu), f64(...sd))), avg, 1e-12);
});

test('feasibility: log Φ(sense · μ / σ) summed over constraint models after the offset', () => {
  const mu = f64(9, 0.5, -0.2);
  const sd = f64(9, 0.25, 0.4);
  close(logFeasibility(mu, sd, [1, -1], 1), logNormCdf(0.5 / 0.25) + logNormCdf(0.2 / 0.4));
  const obj = (m: Float64Array) => -m[0]!;
  close(withFeasibility(obj, [1, -1], 1)(mu, sd), -9 + logNormCdf(2) + logNormCdf(0.5));
  close(withFeasibility(null, [1], 1)(mu, sd), logNormCdf(2), 1e-12);
  assert.is(withFeasibility(obj, [], 1), obj, 'no constraints: the score itself');
});

test('marginal acquisition: NaN scores become −∞, values match the posterior the score sees', () => {
  const X = [[0.1], [0.5], [0.9]];
  const gp = fitGP(X, [1, 0, 1], { seed: 1 });
  const seen: number[][] = [];
  const acq = marginalAcquisition([gp], (mu, sd) => {
    seen.push([mu[0]!, sd[0]!]);
    return mu[0]! > 0.5 ? NaN : mu[0]! + sd[0]!;
  });
  const values = acq.evaluate([[0.5], [0.1]]);
  const post = gp.posterior([[0.5], [0.1]]);
  close(seen[0]![0]!, post.mean[0]!);
  close(seen[0]![1]!, Math.sqrt(post.variance[0]!));
  assert.is(values[1], -Infinity);
  close(values[0]!, post.mean[0]! + Math.sqrt(post.variance[0]!));
  assert.is(acq.evaluateWithGradient!([0.1]).value, -Infinity);
});

test('EHVI and MC EHVI stay defined at the edges: zero spread, a dominated mean, an undefined mean', () => {
  // Reference box 4 × 6 (not square, so the two axes cannot stand in for each other).
  const st = stripes2d([[1, 5], [2, 2], [0.5, 6.5], [4.5, 1]], [4, 6]);
  assert.equal(Array.from(st.a), [-Infinity, 1, 2]);
  assert.equal(Array.from(st.c), [6, 5, 2]);
  close(Math.exp(logEHVI2d(st, 1.5, 0, 1.5, 0)), hypervolumeImprovement([1.5, 1.5], [[1, 5], [2, 2]], [4, 6]), 1e-9);
  assert.is(logEHVI2d(st, Infinity, 1, 0.5, 1), -1e10, 'no finite term: a very low score, not NaN');
  const mc = logMCEHVIScore([[0.2, 0.2, 0.2]], [1, 1, 1], [[0, 0, 0]]);
  const dominated = mc(f64(0.5, 0.5, 0.5), f64(0, 0, 0));
  assert.ok(Number.isFinite(dominated) && dominated < -600, `log of a zero improvement is finite: ${dominated}`);
});

test.run();
