import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { minimizeLbfgs } from '../../src/gp/index.js';
import { lengthscalePrior, MEAN_PRIOR, negLogPrior, NOISE_FLOOR, NOISE_PRIOR, OUTPUT_SCALE_PRIOR, packHyper, priorMode, thetaBounds, unpackHyper } from '../../src/gp/hyper.js';

const box = (n: number, lo: number, hi: number) => ({ lower: new Float64Array(n).fill(lo), upper: new Float64Array(n).fill(hi) });

test('L-BFGS: Rosenbrock from (−1.2, 1) to (1, 1)', () => {
  const f = (x: Float64Array) => {
    const [a, b] = [x[0]!, x[1]!];
    return { value: 100 * (b - a * a) ** 2 + (1 - a) ** 2, grad: Float64Array.from([-400 * a * (b - a * a) - 2 * (1 - a), 200 * (b - a * a)]) };
  };
  const r = minimizeLbfgs(f, [-1.2, 1], { ...box(2, -5, 5), maxIter: 200, gradTol: 1e-8, fTol: 0 });
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-4 && Math.abs(r.x[1]! - 1) < 1e-4, `got ${Array.from(r.x)}`);
  // 77 iterations today; a two-loop recursion that drops a correction or the γ scaling needs 84–94.
  assert.ok(r.iterations <= 80, `${r.iterations} iterations`);
});

test('L-BFGS: an ill-conditioned quadratic needs far fewer steps than steepest descent would', () => {
  // f = ½ Σ c_i (x_i − 1)², condition number 100: steepest descent takes hundreds of steps.
  // (At condition 1e4 this L-BFGS needs about 500 iterations, more than it should: noted in docs/engine.md.)
  const c = Array.from({ length: 10 }, (_, i) => 10 ** ((2 * i) / 9));
  const f = (x: Float64Array) => ({
    value: 0.5 * c.reduce((s, ci, i) => s + ci * (x[i]! - 1) ** 2, 0),
    grad: Float64Array.from(c, (ci, i) => ci * (x[i]! - 1)),
  });
  const r = minimizeLbfgs(f, new Float64Array(10), { ...box(10, -10, 10), maxIter: 200, gradTol: 1e-8, fTol: 0 });
  for (let i = 0; i < 10; i++) assert.ok(Math.abs(r.x[i]! - 1) < 1e-6, `x${i} = ${r.x[i]}`);
  // 77 iterations today; a two-loop recursion that drops a correction or the γ scaling needs 84–94.
  assert.ok(r.iterations <= 80, `${r.iterations} iterations`);
});

test('L-BFGS: bounds hold; a variable pushed outward at its bound stays there while the others move', () => {
  // Coupled quadratic whose unconstrained minimum (−1, 0.8…) has x0 outside [0, 1].
  const f = (x: Float64Array) => {
    const [a, b] = [x[0]!, x[1]!];
    return { value: (a + 1) ** 2 + (b - 0.3) ** 2 + 0.8 * (a + 1) * (b - 0.3), grad: Float64Array.from([2 * (a + 1) + 0.8 * (b - 0.3), 2 * (b - 0.3) + 0.8 * (a + 1)]) };
  };
  const r = minimizeLbfgs(f, [0, 0.9], { ...box(2, 0, 1), gradTol: 1e-9, fTol: 0 });
  assert.is(r.x[0], 0);
  // With a = 0 fixed: ∂f/∂b = 2(b − 0.3) + 0.8 = 0 → b = −0.1, outside: b sits at 0.
  assert.is(r.x[1], 0);
  // A start already at the bound with an outward gradient of 0.5: nothing to do, one evaluation.
  const lin = minimizeLbfgs((x) => ({ value: 0.5 * x[0]!, grad: Float64Array.from([0.5]) }), [0], { ...box(1, 0, 1) });
  assert.equal([lin.x[0], lin.iterations, lin.evaluations], [0, 0, 1]);
});

test('L-BFGS: evaluations that throw or are not finite are treated as +∞', () => {
  const bad = minimizeLbfgs(() => { throw new Error('no'); }, [0.5], box(1, 0, 1));
  assert.equal([bad.value, bad.iterations], [Infinity, 0]);
  // (x − 2)² on [0, 3], but undefined past 0.75: the line search backs away and ends below it.
  const f = (x: Float64Array) => {
    if (x[0]! > 0.75) return { value: NaN, grad: Float64Array.from([NaN]) };
    return { value: (x[0]! - 2) ** 2, grad: Float64Array.from([2 * (x[0]! - 2)]) };
  };
  const r = minimizeLbfgs(f, [0], { ...box(1, 0, 3), maxIter: 50 });
  assert.ok(r.x[0]! <= 0.75 && r.x[0]! > 0.6, `x = ${r.x[0]}`);
  assert.ok(Number.isFinite(r.value));
});

test('hyperparameter prior: a sum of ½z² per parameter, the noise term only when noise is learned', () => {
  const d = 2;
  const t = Float64Array.from([0.3, -0.2, 0.5, -4, 0.7]);
  const z2 = (v: number, p: { loc: number; scale: number }) => 0.5 * ((v - p.loc) / p.scale) ** 2;
  const lp = lengthscalePrior(d);
  const learned = new Float64Array(d + 3);
  const fixed = new Float64Array(d + 3);
  const vLearned = negLogPrior(t, d, learned, false);
  const vFixed = negLogPrior(t, d, fixed, true);
  const common = z2(0.3, lp) + z2(-0.2, lp) + z2(0.5, OUTPUT_SCALE_PRIOR) + z2(0.7, MEAN_PRIOR);
  assert.ok(Math.abs(vFixed - common) < 1e-12);
  assert.ok(Math.abs(vLearned - common - z2(-4, NOISE_PRIOR)) < 1e-12);
  assert.ok(Math.abs(learned[d + 1]! - (-4 - NOISE_PRIOR.loc) / NOISE_PRIOR.scale ** 2) < 1e-12);
  assert.is(fixed[d + 1], 0);
  assert.ok(Math.abs(learned[0]! - (0.3 - lp.loc) / lp.scale ** 2) < 1e-12);
});

test('lengthscale prior over ℓ (the GP sampler\'s): log ℓ added per lengthscale, its minimum the log-normal mode exp(loc − scale²), ≈ 0.5 at d = 6', () => {
  const d = 2;
  const t = Float64Array.from([0.3, -0.2, 0.5, -4, 0.7]);
  const overLog = negLogPrior(t, d, new Float64Array(d + 3), false);
  const grad = new Float64Array(d + 3);
  const overEll = negLogPrior(t, d, grad, false, 'lengthscale');
  assert.ok(Math.abs(overEll - overLog - (0.3 - 0.2)) < 1e-12);
  const lp = lengthscalePrior(d);
  assert.ok(Math.abs(grad[0]! - ((0.3 - lp.loc) / lp.scale ** 2 + 1)) < 1e-12);
  for (const dim of [1, 2, 6, 20]) {
    const mode = priorMode(dim, 'lengthscale');
    const p = lengthscalePrior(dim);
    assert.ok(Math.abs(mode[0]! - (p.loc - p.scale ** 2)) < 1e-12);
    const g = new Float64Array(dim + 3);
    negLogPrior(mode, dim, g, false, 'lengthscale');
    for (let k = 0; k < dim; k++) assert.ok(Math.abs(g[k]!) < 1e-12, `d = ${dim}: gradient ${g[k]} at the mode`);
    const at = (shift: number): number => negLogPrior(Float64Array.from(mode, (v, i) => (i < dim ? v + shift : v)), dim, new Float64Array(dim + 3), false, 'lengthscale');
    assert.ok(at(-0.5) > at(0) && at(0.5) > at(0));
  }
  assert.ok(Math.abs(Math.exp(priorMode(6, 'lengthscale')[0]!) - 0.5) < 0.01);
  assert.ok(Math.abs(Math.exp(priorMode(6)[0]!) - 10.1) < 0.1, 'the default (over log ℓ) is unchanged');
});

test('hyperparameters pack to θ and back; the box and the prior mode are the documented ones', () => {
  const h = { lengthscales: [0.2, 3], outputScale: 1.7, noise: 0.01, mean: -0.4 };
  const back = unpackHyper(packHyper(h), 2);
  back.lengthscales.forEach((l, k) => assert.ok(Math.abs(l - h.lengthscales[k]!) < 1e-12));
  assert.ok(Math.abs(back.outputScale - 1.7) < 1e-12 && Math.abs(back.noise - 0.01) < 1e-12 && back.mean === -0.4);
  assert.is(unpackHyper(packHyper({ ...h, noise: 0 }), 2).noise > NOISE_FLOOR, true, 'the noise never goes below the floor');
  const { lower, upper } = thetaBounds(2);
  assert.equal(Array.from(lower), [Math.log(5e-3), Math.log(5e-3), Math.log(1e-3), Math.log(1e-9), -5]);
  assert.equal(Array.from(upper), [Math.log(1e3), Math.log(1e3), Math.log(1e2), Math.log(2), 5]);
  assert.equal(Array.from(priorMode(2)), [lengthscalePrior(2).loc, lengthscalePrior(2).loc, OUTPUT_SCALE_PRIOR.loc, NOISE_PRIOR.loc, MEAN_PRIOR.loc]);
});

test.run();
