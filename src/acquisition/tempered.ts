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
 *
 * Only with two or more objectives (EHVI). With one (EI) the same tempering cost quality: on
 * hartmann6 at q = 8 (tuning seeds 100–109, the lengthscale prior over ℓ) the median best was
 * −3.188 untempered, −3.167 at × 0.5, −3.153 at × 0.25 and −3.111 at × 0.1 — EI's exploration is
 * what carries a run from Hartmann-6's second basin to the first, and the pending points already
 * keep the batch apart. On dtlz2 at q = 8 (same seeds) × 0.25 took the median hv ratio from 0.573
 * to 0.785; zdt1 and branin_currin were unchanged (0.9997 → 0.9998, 0.9763 → 0.9763).
 */
import type { MarginalScore } from './types.js';

/** Pending points from which the objectives' uncertainty is tempered. */
export const PENDING_TEMPER_FROM = 3;
/** The factor on each objective's posterior standard deviation from then on. */
export const PENDING_SD_SCALE = 0.25;

/**
 * `score`: over the marginals of `objectives` objective models followed by any constraint models
 * (whose deviations are left alone: feasibility is not explored, only estimated). Returns `score`
 * itself below PENDING_TEMPER_FROM pending points and with a single objective.
 */
export function temperedForPending(score: MarginalScore | null, objectives: number, pending: number): MarginalScore | null {
  if (!score || objectives < 2 || pending < PENDING_TEMPER_FROM) return score;
  return (mu, sd) => {
    const scaled = Float64Array.from(sd);
    for (let j = 0; j < objectives; j++) scaled[j] = sd[j]! * PENDING_SD_SCALE;
    return score(mu, scaled);
  };
}
