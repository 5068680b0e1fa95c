/**
 * Log expected improvement for minimization, log E[(best − f(x))⁺] = log σ + log h((best − μ)/σ),
 * computed in log space so it stays finite and informative far from the incumbent (Ament et al.
 * 2023). Noise-aware: the caller passes as `best` the lowest *posterior mean* among observed
 * (feasible) points rather than the lowest noisy observation.
 */
import { logH } from '../gp/index.js';
import type { MarginalScore } from './types.js';

/** log EI(μ, σ; best) for minimization. */
export function logExpectedImprovement(mu: number, sd: number, best: number): number {
  const s = Math.max(sd, 1e-12);
  return Math.log(s) + logH((best - mu) / s);
}

/** Score over the first model's marginal. */
export function logEIScore(best: number): MarginalScore {
  return (mu, sd) => logExpectedImprovement(mu[0]!, sd[0]!, best);
}
