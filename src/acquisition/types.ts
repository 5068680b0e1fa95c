/**
 * Acquisition functions. Every acquisition here scores a candidate from the *marginal* posteriors
 * of a list of models at that point (mean and standard deviation per model): with sequential
 * proposals and Kriging-believer fantasies (see samplers/gp.ts) nothing needs a joint posterior
 * across candidates. That split keeps each acquisition a cheap pure function of 2·k numbers, and
 * lets `marginalAcquisition` supply exact gradients through the GP (chain rule).
 */

/** A scalar to maximize from per-model posterior means `mu` and standard deviations `sd` (length k each). */
export type MarginalScore = (mu: Float64Array, sd: Float64Array) => number;

/** What the acquisition optimizer needs: batch values and, optionally, a gradient at one point. */
export interface AcquisitionFunction {
  /** X is `m × p` (feature space); returns m values, larger is better; −Infinity allowed. */
  evaluate(X: readonly (readonly number[])[]): number[];
  /** Value and gradient (length p) at one point. */
  evaluateWithGradient?(x: readonly number[]): { value: number; grad: number[] };
}
