/**
 * Probability of feasibility from constraint models (Gardner et al. 2014): constraint c is
 * modelled as g_c(x) with a GP, feasible when g_c ≥ 0 (`sense` +1) or g_c ≤ 0 (`sense` −1); the
 * constraints are treated as independent, so log PoF = Σ_c log Φ(sense_c · μ_c / σ_c). It is added
 * to a log acquisition (EI × PoF in log space).
 */
import { logNormCdf } from '../gp/index.js';
import type { MarginalScore } from './types.js';

/** log PoF over models `offset .. offset + senses.length − 1` of the marginals. */
export function logFeasibility(mu: Float64Array, sd: Float64Array, senses: readonly number[], offset: number): number {
  let s = 0;
  for (let c = 0; c < senses.length; c++) s += logNormCdf((senses[c]! * mu[offset + c]!) / Math.max(sd[offset + c]!, 1e-12));
  return s;
}

/** Adds log PoF of constraint models (after the first `offset` models) to `score`; null score = PoF alone. */
export function withFeasibility(score: MarginalScore | null, senses: readonly number[], offset: number): MarginalScore {
  if (senses.length === 0 && score) return score;
  return (mu, sd) => (score ? score(mu, sd) : 0) + logFeasibility(mu, sd, senses, offset);
}
