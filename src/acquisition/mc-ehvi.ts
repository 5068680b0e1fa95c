/**
 * Monte-Carlo expected hypervolume improvement for three or more minimized objectives:
 * EHVI(x) ≈ (1/S) Σ_s HVI(μ + σ ∘ z_s), with the same base samples z_s (`S × m`) for every
 * candidate (common random numbers), so the estimate is a smooth deterministic function of (μ, σ)
 * that the optimizer can compare across candidates. Returned as log(EHVI + tiny).
 */
import { nonDominatedPoints } from '../pareto/index.js';
import { hypervolumeImprovement } from './hypervolume-improvement.js';
import type { MarginalScore } from './types.js';

/** `front` is `k × m`; `baseSamples` is `S × m` standard normals. */
export function logMCEHVIScore(front: readonly (readonly number[])[], ref: readonly number[], baseSamples: readonly (readonly number[])[]): MarginalScore {
  const m = ref.length;
  const pf = nonDominatedPoints(front.filter((p) => p.every((v, j) => v < ref[j]!)));
  const y = new Array<number>(m);
  return (mu, sd) => {
    let sum = 0;
    for (const z of baseSamples) {
      for (let j = 0; j < m; j++) y[j] = mu[j]! + sd[j]! * z[j]!;
      sum += hypervolumeImprovement(y, pf, ref);
    }
    return Math.log(sum / baseSamples.length + 1e-300);
  };
}
