import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cholesky, cholSolve, halfLogDet, solveLower, solveUpperT } from '../../src/gp/linalg.js';
import { ExactGP } from '../../src/gp/model.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `expected ${b}, got ${a}`);

test('triangular solves and the Cholesky factor on a 3 × 3 example worked by hand', () => {
  // A = L Lᵀ with L = [[2, 0, 0], [1, 3, 0], [−1, 2, 4]].
  const L = Float64Array.from([2, 0, 0, 1, 3, 0, -1, 2, 4]);
  const A = Float64Array.from([4, 2, -2, 2, 10, 5, -2, 5, 21]);
  const { L: chol } = cholesky(A, 3);
  Array.from(chol).forEach((v, i) => close(v, L[i]!));
  // L x = b with x = [1, 2, 3]: b = [2, 7, 15].
  assert.equal(Array.from(solveLower(L, 3, Float64Array.from([2, 7, 15]))), [1, 2, 3]);
  // Lᵀ x = b with x = [1, 2, 3]: b = [2·1 + 1·2 − 1·3, 3·2 + 2·3, 4·3] = [1, 12, 12].
  assert.equal(Array.from(solveUpperT(L, 3, Float64Array.from([1, 12, 12]))), [1, 2, 3]);
  // A x = b with x = [1, −1, 2].
  const b = [4 - 2 - 4, 2 - 10 + 10, -2 - 5 + 42];
  Array.from(cholSolve(L, 3, b)).forEach((v, i) => close(v, [1, -1, 2][i]!));
  close(halfLogDet(L, 3), Math.log(2 * 3 * 4));
});

test('log marginal likelihood of a GP matches the closed form', () => {
  // Two points, standardized outputs r, K = s²·[[1, k], [k, 1]] + noise·I, yStd = 2.
  const hyper = { lengthscales: [0.5], outputScale: 1.3, noise: 0.2, mean: 0.1 };
  const ys = Float64Array.from([0.7, -0.4]);
  const gp = new ExactGP(hyper, [Float64Array.from([0.2]), Float64Array.from([0.6])], ys, 3, 2, { lower: [0], span: [1] });
  const r = [0.7 - 0.1, -0.4 - 0.1];
  const rr = Math.sqrt(5) * (0.4 / 0.5);
  const k = 1.3 * (1 + rr + (rr * rr) / 3) * Math.exp(-rr);
  const a = 1.3 + 0.2;
  const det = a * a - k * k;
  const quad = (a * r[0]! ** 2 - 2 * k * r[0]! * r[1]! + a * r[1]! ** 2) / det;
  const expected = -0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI) - 2 * Math.log(2);
  close(gp.logMarginalLikelihood, expected, 1e-10);
});

test.run();
