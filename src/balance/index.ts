export type * from './types.js';
export { computeBalance, explainBalance, fitWindow, WINDOW, NOISE_FLOOR, NOISE_SCALE, MIN_POINTS, MIN_ENVELOPE_SIZES, type BalanceOptions, type BalanceExplanation, type BalanceModel } from './balance.js';
export { SharedBalance } from './shared.js';
export { estimateNoiseSd } from './noise.js';
export { balancePoints, balanceConfig, DEFAULT_BALANCE, type RawPoint } from './points.js';
export { frontierIndices, unimodalEnvelopeIndices, qualityMetrics } from './envelope.js';
export { sStarFromDraws, argmaxPerDraw, quantile, linspace } from './s-star.js';
export { frontierCsv } from './csv.js';
export { SYNTHETIC_BALANCE_PROBLEMS, saturating, cliff, noisy, S_LOW, S_HIGH, KNOB_BEST, type SyntheticBalanceProblem } from './synthetic.js';
