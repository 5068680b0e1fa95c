/**
 * A fitted exact GP: hyperparameters fixed, Cholesky factor and weights cached. Posterior
 * quantities are for the latent function f (observation noise excluded) in original output units.
 */
import { cholesky, choleskyExtend, cholSolve, halfLogDet, solveLower, solveLowerMany, solveUpperT } from './linalg.js';
import { crossKernel, kernelMatrix, matern52, matern52DerivR2 } from './kernel.js';
import type { GPHyper } from './hyper.js';

/** What `samplePosterior` needs from a random source (the project's seeded Rng fits). */
export interface NormalSource {
  normal(): number;
}

export interface Posterior {
  /** Length m. */
  readonly mean: number[];
  /** Length m, latent-function variance (no observation noise), ≥ 0. */
  readonly variance: number[];
}

export interface JointPosterior {
  /** Length m. */
  readonly mean: number[];
  /** `m × m` covariance of the latent function. */
  readonly cov: number[][];
}

/** Affine map from the caller's input units to the model's unit box, per dimension. */
export interface InputTransform {
  /** Length d. */
  readonly lower: readonly number[];
  /** Length d, > 0. */
  readonly span: readonly number[];
}

export interface GPModel {
  /** Hyperparameters in standardized output units and the model's unit input box. */
  readonly hyper: GPHyper;
  /** Log marginal likelihood of the training outputs in original units at `hyper` (no prior). */
  readonly logMarginalLikelihood: number;
  /** Number of training points (including conditioned fantasies). */
  readonly n: number;
  /** Input dimension d. */
  readonly dim: number;
  /** Output standardization: y_std = (y − yMean) / yStd. */
  readonly yMean: number;
  readonly yStd: number;
  readonly inputTransform: InputTransform;
  /** X is `m × d` in the caller's units. */
  posterior(X: readonly (readonly number[])[]): Posterior;
  /**
   * Marginals at X (`m × d`) and their posterior covariances with f at P (`p × d`): `cross` is
   * `m × p` row-major, Cov(f(X_i), f(P_a)). What a batch acquisition needs to sample f at P and a
   * candidate jointly while scoring many candidates: O(n² (m + p)), no `m × m` covariance.
   */
  posteriorCross(X: readonly (readonly number[])[], P: readonly (readonly number[])[]): Posterior & { readonly cross: Float64Array };
  /** X is `m × d`; returns the joint posterior of f at X. */
  jointPosterior(X: readonly (readonly number[])[]): JointPosterior;
  /**
   * Posterior mean of f at the n training inputs (length n, original units), in O(n):
   * μ(X) = m + K_f α = y − noise·α. Cheaper than `posterior(X)` (O(n³)) for incumbents.
   */
  trainingMeans(): number[];
  /**
   * Posterior mean and variance at one point x (length d) with their gradients in x (each length d),
   * for gradient-based acquisition optimization. O(n²) like a single `posterior` call, plus O(n d).
   */
  posteriorGradient(x: readonly number[]): { mean: number; variance: number; dMean: number[]; dVariance: number[] };
  /** `count × m` joint draws of f at the `m` points X (`m × d`). */
  samplePosterior(X: readonly (readonly number[])[], count: number, rng: NormalSource): number[][];
  /**
   * The same GP (same hyperparameters and standardization) with extra observations: X is `k × d`,
   * y length k in original units. Used for Kriging-believer fantasies; O((n+k)² k).
   */
  condition(X: readonly (readonly number[])[], y: readonly number[]): GPModel;
}

export class ExactGP implements GPModel {
  readonly n: number;
  readonly dim: number;
  readonly logMarginalLikelihood: number;
  /** Training inputs in the unit box, `n × d`. */
  private readonly Xs: Float64Array[];
  /** Standardized training outputs, length n. */
  private readonly ys: Float64Array;
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;

  constructor(
    readonly hyper: GPHyper,
    Xs: Float64Array[],
    ys: Float64Array,
    readonly yMean: number,
    readonly yStd: number,
    readonly inputTransform: InputTransform,
    L?: Float64Array,
  ) {
    this.n = Xs.length;
    this.dim = hyper.lengthscales.length;
    this.Xs = Xs;
    this.ys = ys;
    const n = this.n;
    this.L = L ?? cholesky(kernelMatrix(Xs, hyper.lengthscales, hyper.outputScale, hyper.noise), n, 1).L;
    const r = Float64Array.from(ys, (v) => v - hyper.mean);
    this.alpha = cholSolve(this.L, n, r);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += r[i]! * this.alpha[i]!;
    this.logMarginalLikelihood = -0.5 * quad - halfLogDet(this.L, n) - 0.5 * n * Math.log(2 * Math.PI) - n * Math.log(yStd);
  }

  private scale(X: readonly (readonly number[])[]): Float64Array[] {
    const { lower, span } = this.inputTransform;
    return X.map((x) => {
      if (x.length !== this.dim) throw new RangeError(`GP input must have ${this.dim} coordinates, got ${x.length}`);
      return Float64Array.from(x, (v, k) => (v - lower[k]!) / span[k]!);
    });
  }

  posterior(X: readonly (readonly number[])[]): Posterior {
    // Blocks of candidates keep the n × block work array in cache.
    const BLOCK = 96;
    if (X.length > BLOCK) {
      const mean: number[] = [];
      const variance: number[] = [];
      for (let s = 0; s < X.length; s += BLOCK) {
        const p = this.posterior(X.slice(s, s + BLOCK));
        mean.push(...p.mean);
        variance.push(...p.variance);
      }
      return { mean, variance };
    }
    const Q = this.scale(X);
    const m = Q.length;
    const n = this.n;
    const { outputScale, mean: m0 } = this.hyper;
    // V = L⁻¹ k(X_train, Q), `n × m` row-major, solved for all candidates at once: the inner loop
    // runs along candidates, contiguous and independent, several times faster than m separate solves.
    const V = crossKernel(this.Xs, Q, this.hyper.lengthscales, outputScale);
    const mu = new Float64Array(m).fill(m0);
    for (let i = 0; i < n; i++) {
      const a = this.alpha[i]!;
      const ri = i * m;
      for (let j = 0; j < m; j++) mu[j] += a * V[ri + j]!;
    }
    solveLowerMany(this.L, n, V, m);
    const ss = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const ri = i * m;
      for (let j = 0; j < m; j++) ss[j] += V[ri + j]! * V[ri + j]!;
    }
    const mean: number[] = new Array(m);
    const variance: number[] = new Array(m);
    for (let j = 0; j < m; j++) {
      mean[j] = this.yMean + this.yStd * mu[j]!;
      variance[j] = Math.max(outputScale - ss[j]!, 1e-12 * outputScale) * this.yStd * this.yStd;
    }
    return { mean, variance };
  }

  posteriorCross(X: readonly (readonly number[])[], P: readonly (readonly number[])[]): Posterior & { readonly cross: Float64Array } {
    const n = this.n;
    const p = P.length;
    const m = X.length;
    const { lengthscales, outputScale, mean: m0 } = this.hyper;
    const Qp = this.scale(P);
    const Vp = solveLowerMany(this.L, n, crossKernel(this.Xs, Qp, lengthscales, outputScale), p); // n × p
    const mean: number[] = new Array(m);
    const variance: number[] = new Array(m);
    const cross = new Float64Array(m * p);
    const s2 = this.yStd * this.yStd;
    const BLOCK = 96;
    for (let start = 0; start < m; start += BLOCK) {
      const Q = this.scale(X.slice(start, start + BLOCK));
      const b = Q.length;
      const V = crossKernel(this.Xs, Q, lengthscales, outputScale); // n × b
      const mu = new Float64Array(b).fill(m0);
      for (let i = 0; i < n; i++) for (let j = 0; j < b; j++) mu[j] += this.alpha[i]! * V[i * b + j]!;
      solveLowerMany(this.L, n, V, b);
      const ss = new Float64Array(b);
      const Kqp = crossKernel(Q, Qp, lengthscales, outputScale); // b × p
      for (let i = 0; i < n; i++) {
        const ri = i * b;
        const rp = i * p;
        for (let j = 0; j < b; j++) {
          const v = V[ri + j]!;
          ss[j] += v * v;
          for (let a = 0; a < p; a++) Kqp[j * p + a] -= v * Vp[rp + a]!;
        }
      }
      for (let j = 0; j < b; j++) {
        mean[start + j] = this.yMean + this.yStd * mu[j]!;
        variance[start + j] = Math.max(outputScale - ss[j]!, 1e-12 * outputScale) * s2;
      }
      for (let t = 0; t < b * p; t++) cross[start * p + t] = Kqp[t]! * s2;
    }
    return { mean, variance, cross };
  }

  trainingMeans(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) out.push(this.yMean + this.yStd * (this.ys[i]! - this.hyper.noise * this.alpha[i]!));
    return out;
  }

  posteriorGradient(x: readonly number[]): { mean: number; variance: number; dMean: number[]; dVariance: number[] } {
    const q = this.scale([x])[0]!;
    const n = this.n;
    const d = this.dim;
    const { lengthscales, outputScale, mean: m0 } = this.hyper;
    const invL2 = lengthscales.map((l) => 1 / (l * l));
    const k = new Float64Array(n);
    // dk[i*d + j] = ∂k(x, x_i)/∂x_j in the unit box.
    const dk = new Float64Array(n * d);
    let mu = m0;
    for (let i = 0; i < n; i++) {
      const xi = this.Xs[i]!;
      let r2 = 0;
      for (let j = 0; j < d; j++) {
        const t = q[j]! - xi[j]!;
        r2 += t * t * invL2[j]!;
      }
      k[i] = outputScale * matern52(r2);
      const dr = outputScale * matern52DerivR2(r2);
      for (let j = 0; j < d; j++) dk[i * d + j] = dr * 2 * (q[j]! - xi[j]!) * invL2[j]!;
      mu += this.alpha[i]! * k[i]!;
    }
    const w = solveUpperT(this.L, n, solveLower(this.L, n, Float64Array.from(k))); // K⁻¹k
    let quad = 0;
    for (let i = 0; i < n; i++) quad += k[i]! * w[i]!;
    const dMean = new Array<number>(d).fill(0);
    const dVariance = new Array<number>(d).fill(0);
    for (let i = 0; i < n; i++) {
      const a = this.alpha[i]!;
      const b = w[i]!;
      for (let j = 0; j < d; j++) {
        dMean[j] += a * dk[i * d + j]!;
        dVariance[j] -= 2 * b * dk[i * d + j]!;
      }
    }
    const s = this.yStd;
    const span = this.inputTransform.span;
    for (let j = 0; j < d; j++) {
      dMean[j] = (dMean[j]! * s) / span[j]!;
      dVariance[j] = (dVariance[j]! * s * s) / span[j]!;
    }
    const vRaw = outputScale - quad;
    const floor = 1e-12 * outputScale;
    if (vRaw <= floor) dVariance.fill(0);
    return { mean: this.yMean + s * mu, variance: Math.max(vRaw, floor) * s * s, dMean, dVariance };
  }

  jointPosterior(X: readonly (readonly number[])[]): JointPosterior {
    const Q = this.scale(X);
    const m = Q.length;
    const n = this.n;
    const { lengthscales, outputScale, mean: m0 } = this.hyper;
    const Kqx = crossKernel(Q, this.Xs, lengthscales, outputScale);
    const Kqq = crossKernel(Q, Q, lengthscales, outputScale);
    const V: Float64Array[] = [];
    const mean: number[] = [];
    for (let j = 0; j < m; j++) {
      const row = Kqx.subarray(j * n, (j + 1) * n);
      let mu = m0;
      for (let i = 0; i < n; i++) mu += row[i]! * this.alpha[i]!;
      mean.push(this.yMean + this.yStd * mu);
      V.push(solveLower(this.L, n, Float64Array.from(row)));
    }
    const s2 = this.yStd * this.yStd;
    const cov: number[][] = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        let s = Kqq[a * m + b]!;
        const va = V[a]!;
        const vb = V[b]!;
        for (let i = 0; i < n; i++) s -= va[i]! * vb[i]!;
        if (a === b) s = Math.max(s, 1e-12 * outputScale);
        cov[a]![b] = s * s2;
        cov[b]![a] = s * s2;
      }
    }
    return { mean, cov };
  }

  samplePosterior(X: readonly (readonly number[])[], count: number, rng: NormalSource): number[][] {
    const { mean, cov } = this.jointPosterior(X);
    const m = mean.length;
    const C = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) C[a * m + b] = cov[a]![b]!;
    // Posterior covariances are often numerically rank-deficient (points close together): jitter.
    const { L } = cholesky(C, m, 1);
    const out: number[][] = [];
    const z = new Float64Array(m);
    for (let s = 0; s < count; s++) {
      for (let i = 0; i < m; i++) z[i] = rng.normal();
      const draw = new Array<number>(m);
      for (let i = 0; i < m; i++) {
        let v = mean[i]!;
        for (let k = 0; k <= i; k++) v += L[i * m + k]! * z[k]!;
        draw[i] = v;
      }
      out.push(draw);
    }
    return out;
  }

  condition(X: readonly (readonly number[])[], y: readonly number[]): GPModel {
    if (X.length !== y.length) throw new RangeError(`condition needs one output per input, got ${X.length} inputs and ${y.length} outputs`);
    if (X.length === 0) return this;
    const Q = this.scale(X);
    const k = Q.length;
    const { lengthscales, outputScale, noise } = this.hyper;
    const cross = crossKernel(this.Xs, Q, lengthscales, outputScale); // n × k
    const block = kernelMatrix(Q, lengthscales, outputScale, noise);
    const L = choleskyExtend(this.L, this.n, cross, block, k);
    const ys = new Float64Array(this.n + k);
    ys.set(this.ys);
    y.forEach((v, i) => (ys[this.n + i] = (v - this.yMean) / this.yStd));
    return new ExactGP(this.hyper, [...this.Xs, ...Q], ys, this.yMean, this.yStd, this.inputTransform, L);
  }
}
