/**
 * How much search the GP sampler spends on one acquisition optimization, by the number of points
 * the models hold. Each candidate costs O(n²) per model (a triangular solve) and each gradient
 * O(n²) too, so past 100 points fewer raw candidates, refinements and line-search trials keep a
 * proposal under a second up to 1,000 trials (bench:bo's latency table; docs/benchmarks.md says
 * what the smaller budget costs in acquisition value).
 */
import type { OptimizeOptions } from '../acquisition/index.js';

export type AcquisitionBudget = Required<Pick<OptimizeOptions, 'rawSamples' | 'restarts' | 'maxIter' | 'perAnchor' | 'maxEvaluations'>>;

/**
 * `rawSamples` and `restarts` are the sampler's options (their values up to 100 points).
 * `fantasies`: the acquisition averages over joint draws at pending points (`batch: mc`), each
 * candidate costing S closed-form scores and each gradient p + 1 candidates (finite differences),
 * so refinement is shorter: 3 starts of at most 20 iterations (bench:batch measures the result).
 */
export function acquisitionBudget(points: number, rawSamples: number, restarts: number, fantasies = false): AcquisitionBudget {
  if (fantasies && points <= 100) return { rawSamples, restarts: Math.min(3, restarts), maxIter: 20, perAnchor: 16, maxEvaluations: Infinity };
  if (points <= 100) return { rawSamples, restarts, maxIter: 30, perAnchor: 16, maxEvaluations: Infinity };
  if (points <= 200) return { rawSamples: Math.max(128, Math.round((rawSamples * 100) / points)), restarts: Math.min(3, restarts), maxIter: 20, perAnchor: 8, maxEvaluations: Infinity };
  if (points <= 500) return { rawSamples: Math.max(128, Math.round((rawSamples * 100) / points)), restarts: Math.min(2, restarts), maxIter: 15, perAnchor: 8, maxEvaluations: Infinity };
  // Past 500 points: line searches are capped too (one refinement took up to 200 evaluations).
  return { rawSamples: Math.max(96, Math.round((rawSamples * 100) / points)), restarts: Math.min(2, restarts), maxIter: 15, perAnchor: 6, maxEvaluations: 24 };
}
