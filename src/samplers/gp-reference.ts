/**
 * The GP sampler's EHVI reference point when the user gives none comes from the *models'* front
 * rather than the observed one. For each objective j, the configuration minimizing an optimistic
 * estimate of objective j (the lower confidence bound μ − EXTREME_OPTIMISM·σ, plus a small weight
 * on the other objectives' bounds, so that a flat objective such as DTLZ2's f2 = 0 along a whole
 * face of the cube is broken towards the best point on it) is found with the acquisition
 * optimizer; the bounds there are the models' extremes, and src/pareto's `extremesReferencePoint`
 * turns them into the point (their nadir plus 10 % of the predicted front's extent: the
 * convention of BoTorch's and the benchmarks' points, relative to the true front).
 *
 * Why not the observed front: early in a run it is too narrow and its extremes lie too far out.
 * ZDT2's front grows from f1 = 0 by less than the margin per proposal and never reaches f1 = 1
 * within 50 evaluations; DTLZ2's points at x0 = 0 or 1 lie on the axes whatever their g, so the
 * observed nadir stays at 1 + g of the best of them and the EHVI spends its proposals on the axes.
 * Why optimistic: the posterior *mean* regresses to the prior mean away from the data, so it
 * never predicts that an unexplored region (ZDT2's x0 near 1 with the other coordinates at 0)
 * beats the observed front, and the point stayed as narrow as the observed one (zdt2 0.914).
 * docs/benchmarks.md ("No reference point") has the variants measured.
 */
import { marginalAcquisition, optimizeAcquisition, withFeasibility, type MarginalScore } from '../acquisition/index.js';
import type { GPModel } from '../gp/index.js';
import type { FeatureMap } from '../space/index.js';
import { acquisitionBudget, type AcquisitionBudget } from './acquisition-budget.js';

/** Standard deviations below the posterior mean at which an objective is taken to be reachable. */
export const EXTREME_OPTIMISM = 2;
/** Weight of the other objectives (each scaled by its observed range) when minimizing one. */
export const EXTREME_TIE_WEIGHT = 0.05;
/** Raw candidates and L-BFGS starts per extreme (up to 100 points; fewer beyond, as the acquisition's). */
const EXTREME_RAW_SAMPLES = 256;
const EXTREME_RESTARTS = 2;

/**
 * The search spent on each extreme. Up to 100 points, the acquisition's rule with the constants
 * above. Past 100 points the observed points alone locate an extreme well (there are hundreds of
 * them, and the reference point only needs the extreme's value to within its 10 % margin), so a
 * few Sobol candidates, the best observed points on this weighting, and one short refinement:
 * at 1,000 trials the full rule made the two extremes cost as much as the proposal itself (CPU s
 * per proposal 0.35 → 0.66, cold 0.93 → 1.25; docs/benchmarks.md, bench:bo latency).
 */
export function extremesBudget(points: number): AcquisitionBudget {
  if (points <= 100) return acquisitionBudget(points, EXTREME_RAW_SAMPLES, EXTREME_RESTARTS);
  return { rawSamples: 32, restarts: 1, maxIter: 10, perAnchor: 4, maxEvaluations: 12 };
}

export interface ExtremesInput {
  /** One model per objective (minimized), then one per constraint. */
  readonly models: readonly GPModel[];
  readonly objectives: number;
  /** +1 / −1 per constraint model (src/acquisition's feasibility convention). */
  readonly senses: readonly number[];
  /** Feature vectors of the feasible observed points, n × p (n ≥ 1), and their fitted objective values, n × m. */
  readonly X: readonly (readonly number[])[];
  readonly fitted: readonly (readonly number[])[];
  readonly features: FeatureMap;
  readonly seed: number;
}

/**
 * m × m: row j is the vector of lower confidence bounds (minimized objectives) at the
 * configuration that minimizes objective j's bound plus EXTREME_TIE_WEIGHT times the others',
 * each scaled by its range over `fitted` (with constraints, plus the log probability of
 * feasibility).
 */
export function predictedExtremes(input: ExtremesInput): number[][] {
  const { models, objectives: m, fitted } = input;
  const scale = Array.from({ length: m }, (_, k) => {
    const col = fitted.map((y) => y[k]!);
    const r = Math.max(...col) - Math.min(...col);
    return r > 0 ? r : 1;
  });
  const weighted = (y: readonly number[], j: number): number => y.reduce((s, v, k) => s + ((k === j ? 1 : EXTREME_TIE_WEIGHT) * v) / scale[k]!, 0);
  const budget = extremesBudget(fitted.length);
  return Array.from({ length: m }, (_, j) => {
    const score: MarginalScore = (mu, sd) => -weighted(Array.from(mu.subarray(0, m), (v, k) => v - EXTREME_OPTIMISM * sd[k]!), j);
    const acq = marginalAcquisition(models, withFeasibility(score, input.senses, m));
    // Anchors: the observed points best on this weighting (of their fitted values).
    const anchors = fitted
      .map((y, r) => ({ r, v: weighted(y, j) }))
      .sort((a, b) => a.v - b.v)
      .slice(0, 3)
      .map(({ r }) => input.X[r]!);
    const best = optimizeAcquisition(acq, {
      features: input.features,
      seed: input.seed + j,
      rawSamples: budget.rawSamples,
      restarts: budget.restarts,
      maxIter: budget.maxIter,
      maxEvaluations: budget.maxEvaluations,
      anchors,
      perAnchor: Math.min(8, budget.perAnchor),
    });
    const x = best ? best.x : anchors[0]!;
    return models.slice(0, m).map((g) => {
      const post = g.posterior([x]);
      return post.mean[0]! - EXTREME_OPTIMISM * Math.sqrt(post.variance[0]!);
    });
  });
}
