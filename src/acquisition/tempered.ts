/**
 * Tempered exploration for a proposal made while several trials are pending (q simulated or real
 * workers, q ≥ 4): the objectives' posterior standard deviations are scaled by
 * PENDING_SD_SCALE before the score sees them, so the proposal leans on the posterior mean.
 *
 * Why: with the Kriging believer each pending point removes the uncertainty around itself, so
 * with q − 1 of them the next proposal goes to whatever region is still uncertain — on DTLZ2 with
 * eight in flight, one corner of the cube after another (g up to its maximum 1.25), and 50
 * evaluations end before the front converges. The batch as a whole still explores (each pending
 * point pushes the next one away); each member needs less of it. bench:batch and
 * docs/benchmarks.md ("batch") have the measurements; with one or two pending points (q ≤ 3)
 * nothing changes.
 */
import type { MarginalScore } from './types.js';

/** Pending points from which the objectives' uncertainty is tempered. */
export const PENDING_TEMPER_FROM = 3;
/** The factor on each objective's posterior standard deviation from then on. */
export const PENDING_SD_SCALE = 0.25;

/**
 * `score`: over the marginals of `objectives` objective models followed by any constraint models
 * (whose deviations are left alone: feasibility is not explored, only estimated). Returns `score`
 * itself below PENDING_TEMPER_FROM pending points.
 */
export function temperedForPending(score: MarginalScore | null, objectives: number, pending: number): MarginalScore | null {
  if (!score || pending < PENDING_TEMPER_FROM) return score;
  return (mu, sd) => {
    const scaled = Float64Array.from(sd);
    for (let j = 0; j < objectives; j++) scaled[j] = sd[j]! * PENDING_SD_SCALE;
    return score(mu, scaled);
  };
}
