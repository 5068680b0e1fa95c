/**
 * Turns models + a marginal score into an AcquisitionFunction over the models' input space.
 * Gradients: exact through the GP (∂μ/∂x, ∂σ²/∂x from `posteriorGradient`), times the score's
 * partial derivatives in (μ, σ), which are central differences of a cheap closed form.
 */
import type { GPModel } from '../gp/index.js';
import type { AcquisitionFunction, MarginalScore } from './types.js';

export function marginalAcquisition(models: readonly GPModel[], score: MarginalScore): AcquisitionFunction {
  const k = models.length;
  return {
    evaluate(X) {
      const posts = models.map((m) => m.posterior(X));
      const mu = new Float64Array(k);
      const sd = new Float64Array(k);
      return X.map((_, i) => {
        for (let j = 0; j < k; j++) {
          mu[j] = posts[j]!.mean[i]!;
          sd[j] = Math.sqrt(posts[j]!.variance[i]!);
        }
        const v = score(mu, sd);
        return Number.isNaN(v) ? -Infinity : v;
      });
    },
    evaluateWithGradient(x) {
      const gs = models.map((m) => m.posteriorGradient(x));
      const mu = Float64Array.from(gs, (g) => g.mean);
      const sd = Float64Array.from(gs, (g) => Math.sqrt(g.variance));
      const value = score(mu, sd);
      const grad = new Array<number>(x.length).fill(0);
      for (let j = 0; j < k; j++) {
        const h = 1e-6 * Math.max(sd[j]!, 1e-9);
        const m0 = mu[j]!;
        mu[j] = m0 + h;
        const up = score(mu, sd);
        mu[j] = m0 - h;
        const down = score(mu, sd);
        mu[j] = m0;
        const dMu = (up - down) / (2 * h);
        const s0 = sd[j]!;
        sd[j] = s0 + h;
        const up2 = score(mu, sd);
        sd[j] = Math.max(s0 - h, 1e-300);
        const down2 = score(mu, sd);
        sd[j] = s0;
        const dSd = (up2 - down2) / (s0 + h - Math.max(s0 - h, 1e-300));
        const g = gs[j]!;
        for (let p = 0; p < x.length; p++) {
          const dsd = s0 > 0 ? g.dVariance[p]! / (2 * s0) : 0;
          const t = dMu * g.dMean[p]! + dSd * dsd;
          if (Number.isFinite(t)) grad[p] += t;
        }
      }
      return { value: Number.isNaN(value) ? -Infinity : value, grad };
    },
  };
}
