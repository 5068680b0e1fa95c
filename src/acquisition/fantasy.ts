/**
 * Monte Carlo batch acquisition with joint fantasies over pending points (after BoTorch's qLogNEI
 * and qLogNEHVI, and Optuna 5's batch acquisition for running trials). While p trials are pending
 * (running, or proposed earlier in the same batch), a candidate x is scored by
 *
 *   log (1/S) Σ_s a(x | f(P) = F_s),
 *
 * where F_s (`p × k`) is one of S joint draws of the k objectives at the p pending points, from
 * fixed base samples z_s in antithetic pairs (so the estimate is a smooth, deterministic function of x that the
 * optimizer can compare across candidates), and a(x | F_s) is a closed-form score (log EI with
 * incumbent min(best, F_s); exact 2-D log EHVI over front ∪ F_s) under the candidate's posterior
 * conditioned on that draw: mean μ_x + l·z_s and sd √(σ²_x − |l|²), with l = L_P⁻¹ Σ_Px and
 * L_P L_Pᵀ = Σ_PP. That is a joint draw of f at pending + candidate whose candidate part is
 * integrated exactly instead of sampled (Rao–Blackwellized), which keeps the log finite and
 * informative far from the front. The Kriging believer is the case S = 1, z = 0.
 *
 * Models are independent (one per objective). No gradient: the optimizer falls back to finite
 * differences, evaluated as one batch.
 */
import { cholesky, solveLower, type GPModel, type NormalSource } from '../gp/index.js';
import type { AcquisitionFunction, MarginalScore } from './types.js';

export interface FantasyOptions {
  /** One model per objective, in the score's order. */
  readonly models: readonly GPModel[];
  /** Pending points, `p × d` in the models' input space (p ≥ 1). */
  readonly pending: readonly (readonly number[])[];
  /** Number of joint draws S. */
  readonly samples: number;
  readonly rng: NormalSource;
  /** The closed-form score of a candidate given one draw of the objectives at the pending points (`p × k`). */
  scoreFor(outcomes: readonly (readonly number[])[]): MarginalScore;
}

interface PendingModel {
  readonly model: GPModel;
  /** `p × p` lower factor of the posterior covariance at the pending points. */
  readonly L: Float64Array;
  /** `S × p` base samples. */
  readonly z: Float64Array[];
}

export function fantasyAcquisition(options: FantasyOptions): AcquisitionFunction {
  const { pending, samples } = options;
  const p = pending.length;
  const k = options.models.length;
  const per: PendingModel[] = options.models.map((model) => {
    const { cov } = model.jointPosterior(pending);
    const { L } = cholesky(Float64Array.from(cov.flat()), p, 1);
    // Antithetic pairs (z, −z): the draws' mean is exactly the posterior mean, so a candidate's
    // average conditional mean is unbiased whatever S, and half the draws come for free.
    const z: Float64Array[] = [];
    while (z.length < samples) {
      const draw = Float64Array.from({ length: p }, () => options.rng.normal());
      z.push(draw);
      if (z.length < samples) z.push(draw.map((v) => -v));
    }
    return { model, L, z };
  });
  // Draw s of the objectives at the pending points: μ_P + L_P z_s, per model.
  const means = options.models.map((m) => m.posterior(pending).mean);
  const scores: MarginalScore[] = [];
  for (let s = 0; s < samples; s++) {
    const outcomes = pending.map((_, a) =>
      per.map(({ L, z }, j) => {
        let v = means[j]![a]!;
        for (let b = 0; b <= a; b++) v += L[a * p + b]! * z[s]![b]!;
        return v;
      }),
    );
    scores.push(options.scoreFor(outcomes));
  }
  const logS = Math.log(samples);
  return {
    evaluate(X) {
      const posts = per.map(({ model }) => model.posteriorCross(X, pending));
      const shift = per.map(() => new Float64Array(samples));
      const sd = new Float64Array(k);
      const mu = new Float64Array(k);
      const values = new Float64Array(samples);
      const l = new Float64Array(p);
      return X.map((_, i) => {
        for (let j = 0; j < k; j++) {
          const post = posts[j]!;
          for (let a = 0; a < p; a++) l[a] = post.cross[i * p + a]!;
          solveLower(per[j]!.L, p, l);
          let ll = 0;
          for (let a = 0; a < p; a++) ll += l[a]! * l[a]!;
          const v = post.variance[i]!;
          sd[j] = Math.sqrt(Math.max(v - ll, 1e-12 * v));
          const z = per[j]!.z;
          const sh = shift[j]!;
          for (let s = 0; s < samples; s++) {
            let t = 0;
            for (let a = 0; a < p; a++) t += l[a]! * z[s]![a]!;
            sh[s] = t;
          }
        }
        let max = -Infinity;
        for (let s = 0; s < samples; s++) {
          for (let j = 0; j < k; j++) mu[j] = posts[j]!.mean[i]! + shift[j]![s]!;
          const v = scores[s]!(mu, sd);
          values[s] = Number.isNaN(v) ? -Infinity : v;
          if (values[s]! > max) max = values[s]!;
        }
        if (max === -Infinity) return -Infinity;
        let sum = 0;
        for (let s = 0; s < samples; s++) sum += Math.exp(values[s]! - max);
        return max + Math.log(sum) - logS;
      });
    },
  };
}

/** The sum of acquisition values (e.g. a log acquisition plus log probability of feasibility); no gradient. */
export function sumAcquisitions(parts: readonly AcquisitionFunction[]): AcquisitionFunction {
  return {
    evaluate(X) {
      const out = new Array<number>(X.length).fill(0);
      for (const a of parts) a.evaluate(X).forEach((v, i) => (out[i] += v));
      return out;
    },
  };
}
