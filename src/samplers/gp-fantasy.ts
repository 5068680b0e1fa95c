/**
 * The GP sampler's `batch: mc` treatment of pending trials (running ones, and earlier proposals of
 * the same batch): instead of believing each pending point's posterior mean (Kriging believer),
 * the objective models are left unconditioned and every candidate is scored by the closed-form
 * acquisition averaged over joint posterior draws of the objectives at the pending points
 * (src/acquisition/fantasy.ts): log EI against min(best, draw) for one objective, exact 2-D log EHVI
 * against front ∪ draw for two. Constraint models keep the believer's conditioning (probability of
 * feasibility needs only marginals). Which one is the default is measured in bench:batch.
 */
import {
  fantasyAcquisition,
  logEHVIScore,
  logEIScore,
  marginalAcquisition,
  sumAcquisitions,
  withFeasibility,
  type AcquisitionFunction,
} from '../acquisition/index.js';
import type { GPModel, NormalSource } from '../gp/index.js';

/** Joint draws per proposal: 16, for time (scoring work is proportional to the count); other counts were not compared for quality. */
export const FANTASY_SAMPLES = 16;

export interface PendingFantasyInput {
  /** One model per objective (one or two), conditioned on observations only. */
  readonly objectives: readonly GPModel[];
  /** Constraint models (believer-conditioned on the pending points). */
  readonly constraints: readonly GPModel[];
  /** Pending points, `p × d` features. */
  readonly pending: readonly (readonly number[])[];
  /** Whether each pending point is feasible by the constraint models' means (length p). */
  readonly pendingFeasible: readonly boolean[];
  /** Fitted objective values of the feasible observed trials, `f × k` (minimized). */
  readonly front: readonly (readonly number[])[];
  /** Hypervolume reference point for two objectives (minimized units); unused for one. */
  readonly ref: readonly number[] | null;
  readonly rng: NormalSource;
}

export function pendingFantasyAcquisition(input: PendingFantasyInput): AcquisitionFunction {
  const single = input.objectives.length === 1;
  if (!single && !input.ref) throw new RangeError('a two-objective fantasy acquisition needs a reference point');
  const objective = fantasyAcquisition({
    models: input.objectives,
    pending: input.pending,
    samples: FANTASY_SAMPLES,
    rng: input.rng,
    scoreFor(outcomes) {
      const front = [...input.front, ...outcomes.filter((_, a) => input.pendingFeasible[a])];
      return single ? logEIScore(Math.min(...front.map((y) => y[0]!))) : logEHVIScore(front, input.ref!);
    },
  });
  if (input.constraints.length === 0) return objective;
  return sumAcquisitions([objective, marginalAcquisition(input.constraints, withFeasibility(null, input.constraints.map(() => 1), 0))]);
}
