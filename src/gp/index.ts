/**
 * Gaussian-process regression (Matérn-5/2 ARD, constant mean, learned noise, standardized
 * outputs). Imports nothing from study or storage: callers hand it plain `n × d` matrices.
 */
export { fitGP, type FitOptions } from './fit.js';
export { sampleHyperModels, type HyperSampleOptions } from './mcmc.js';
export type { GPModel, Posterior, JointPosterior, NormalSource, InputTransform } from './model.js';
export type { GPHyper, LengthscaleDensity } from './hyper.js';
export { GPError } from '../errors.js';
export { CholeskyError, cholesky, solveLower } from './linalg.js';
export { erfcx, normCdf, normPdf, logNormCdf, logH } from './normal.js';
export { minimizeLbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.js';
