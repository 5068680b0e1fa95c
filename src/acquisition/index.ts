/**
 * Acquisition functions (log EI, exact 2-D log EHVI, Monte-Carlo EHVI, probability of
 * feasibility, ParEGO scalarization) and the mixed-space acquisition optimizer. Models come in as
 * `GPModel`s from src/gp; nothing here knows about trials.
 */
export type { AcquisitionFunction, MarginalScore } from './types.js';
export { logExpectedImprovement, logEIScore } from './log-ei.js';
export { logEHVI2d, logEHVIScore, stripes2d } from './ehvi.js';
export { logMCEHVIScore } from './mc-ehvi.js';
export { chebyshevScalarize, simplexWeights } from './parego.js';
export { logFeasibility, withFeasibility } from './feasibility.js';
export { marginalAcquisition } from './marginal.js';
export { PENDING_SD_SCALE, PENDING_TEMPER_FROM, temperedForPending } from './tempered.js';
export { fantasyAcquisition, sumAcquisitions, type FantasyOptions } from './fantasy.js';
export { hypervolumeImprovement } from './hypervolume-improvement.js';
export { optimizeAcquisition, type FeatureSpace, type OptimizeOptions, type OptimizeResult } from './optimize.js';
