import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExactGP } from '../../src/gp/model.js';
import { crossKernel, kernelMatrix, matern52, matern52DerivR2, scaledDist2 } from '../../src/gp/kernel.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `expected ${b}, got ${a}`);

test('Matérn-5/2 and its derivative in r², from the closed form', () => {
  for (const r of [0, 0.1, 0.5, 1, 2.5]) {
    const s5 = Math.sqrt(5) * r;
    close(matern52(r * r), (1 + s5 + (s5 * s5) / 3) * Math.exp(-s5));
    close(matern52DerivR2(r * r), -(5 / 6) * (1 + s5) * Math.exp(-s5));
    // Central difference of k in r² agrees with the derivative (away from 0, where r² ≥ h).
    if (r > 0.2) {
      const h = 1e-6;
      close((matern52(r * r + h) - matern52(r * r - h)) / (2 * h), matern52DerivR2(r * r), 1e-6);
    }
  }
  close(scaledDist2([1, 2], [0, 0], [1 / 4, 1], 2), 1 / 4 + 4);
});

test('kernelMatrix: s²·k off the diagonal, s² + noise on it; crossKernel has no noise', () => {
  const X = [[0, 0], [0.5, 0], [0, 1]];
  const ls = [0.5, 2];
  const K = kernelMatrix(X, ls, 2, 0.1);
  const invL2 = ls.map((l) => 1 / (l * l));
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      const expected = i === j ? 2 + 0.1 : 2 * matern52(scaledDist2(X[i]!, X[j]!, invL2, 2));
      close(K[i * 3 + j]!, expected);
    }
  const C = crossKernel(X, X, ls, 2);
  for (let i = 0; i < 3; i++) close(C[i * 3 + i]!, 2);
  close(C[1]!, K[1]!);
});

test('the noise term reaches the posterior: variance at a lone training point is s²·noise / (s² + noise)', () => {
  // One point, standardized output 0 (mean 0, std 1), unit box: f's posterior variance there.
  for (const noise of [1e-6, 0.1, 1]) {
    const gp = new ExactGP({ lengthscales: [0.3], outputScale: 1.5, noise, mean: 0 }, [Float64Array.from([0.4])], Float64Array.from([0]), 0, 1, { lower: [0], span: [1] });
    const v = gp.posterior([[0.4]]).variance[0]!;
    close(v, (1.5 * noise) / (1.5 + noise), 1e-9);
  }
});

test.run();
