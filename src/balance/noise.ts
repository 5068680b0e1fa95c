/**
 * The observation-noise level of E, estimated from every usable trial.
 *
 * Why: the E(S) surrogate sees only the upper envelope, and the envelope keeps the luckiest of
 * noisy trials. A GP fitted to those few points alone cannot tell noise from shape, so it follows
 * the lucky draws, S* is pulled toward where the sweep already sampled, and the interval is too
 * narrow. All trials together can tell: a GP of E over every parameter (the unit-cube encoding of
 * src/space) separates what the parameters explain (size, a badly tuned knob) from what they
 * cannot (noise), and its learned noise is the scatter of E among similar configurations. On
 * noiseless objectives it learns a noise near 0, so the floor it sets changes little there.
 */
import { fitGP } from '../gp/index.js';
import { encode, type Space } from '../space/index.js';
import type { RawPoint } from './points.js';

/**
 * Standard deviation of E's observation noise (E's units): the learned noise of a GP (src/gp) of
 * E over the encoded parameters of all `points` (X: n × d, d = number of parameters). At 40 trials
 * it comes out near half the true σ on the synthetic noisy problem (the GP explains part of the
 * noise as shape), which is why balance.ts scales it by NOISE_SCALE. Throws GPError when the GP
 * cannot be fitted.
 */
export function estimateNoiseSd(space: Space, points: readonly RawPoint[], seed = 0): number {
  const X = points.map((p) => encode(space, p.trial.params));
  const y = points.map((p) => p.e);
  const model = fitGP(X, y, { seed });
  return Math.sqrt(model.hyper.noise) * model.yStd;
}
