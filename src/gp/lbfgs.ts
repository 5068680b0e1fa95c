/**
 * A small box-constrained L-BFGS (projected two-loop direction, backtracking Armijo search along
 * the projected path). Enough for GP hyperparameters (d + 3 variables) and the acquisition's local
 * refinement; not a general L-BFGS-B. An evaluation that throws or returns a non-finite value is
 * treated as +∞ so the line search backs away from it (e.g. a kernel matrix that will not factor).
 */

export interface Objective {
  (x: Float64Array): { value: number; grad: Float64Array };
}

export interface LbfgsOptions {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  readonly maxIter?: number;
  /** Stop when the projected gradient's max-norm falls below this. */
  readonly gradTol?: number;
  /** Stop when the relative decrease of f in one step falls below this. */
  readonly fTol?: number;
  readonly memory?: number;
  /** Stop after this many evaluations of f, line-search trials included (default unlimited). */
  readonly maxEvaluations?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
}

function safeEval(f: Objective, x: Float64Array): { value: number; grad: Float64Array } | null {
  try {
    const r = f(x);
    if (!Number.isFinite(r.value) || r.grad.some((g) => !Number.isFinite(g))) return null;
    return r;
  } catch {
    return null;
  }
}

export function minimizeLbfgs(f: Objective, x0: ArrayLike<number>, options: LbfgsOptions): LbfgsResult {
  const { lower, upper } = options;
  const maxIter = options.maxIter ?? 100;
  const gradTol = options.gradTol ?? 1e-5;
  const fTol = options.fTol ?? 1e-9;
  const mem = options.memory ?? 8;
  const maxEvaluations = options.maxEvaluations ?? Infinity;
  const n = x0.length;
  const project = (x: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++) x[i] = Math.min(upper[i]!, Math.max(lower[i]!, x[i]!));
    return x;
  };
  let x = project(Float64Array.from(x0));
  let evaluations = 1;
  let cur = safeEval(f, x);
  if (!cur) return { x, value: Infinity, iterations: 0, evaluations };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const g = cur.grad;
    // Variables at a bound with the gradient pushing outward are held fixed this step.
    const free = new Uint8Array(n);
    let pgNorm = 0;
    for (let i = 0; i < n; i++) {
      const atLow = x[i]! <= lower[i]! && g[i]! > 0;
      const atHigh = x[i]! >= upper[i]! && g[i]! < 0;
      free[i] = atLow || atHigh ? 0 : 1;
      if (free[i]) pgNorm = Math.max(pgNorm, Math.abs(g[i]!));
    }
    if (pgNorm < gradTol) break;
    // Two-loop recursion on the free variables.
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = free[i] ? -g[i]! : 0;
    const alphas: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const rho = 1 / dot(Y[k]!, S[k]!);
      const a = rho * dot(S[k]!, q);
      alphas[k] = a;
      axpy(-a, Y[k]!, q);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) q[i] *= gamma;
    } else {
      // First step: scale so the largest move is about 1 unit in θ.
      const s = 1 / Math.max(pgNorm, 1);
      for (let i = 0; i < n; i++) q[i] *= s;
    }
    for (let k = 0; k < S.length; k++) {
      const rho = 1 / dot(Y[k]!, S[k]!);
      const b = rho * dot(Y[k]!, q);
      axpy(alphas[k]! - b, S[k]!, q);
    }
    for (let i = 0; i < n; i++) if (!free[i]) q[i] = 0;
    let slope = dot(q, g);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): fall back to steepest descent.
      S.length = 0;
      Y.length = 0;
      for (let i = 0; i < n; i++) q[i] = free[i] ? -g[i]! / Math.max(pgNorm, 1) : 0;
      slope = dot(q, g);
    }
    let step = 1;
    let next: { value: number; grad: Float64Array } | null = null;
    let xn = x;
    for (let ls = 0; ls < 30 && evaluations < maxEvaluations; ls++) {
      xn = project(Float64Array.from(x, (v, i) => v + step * q[i]!));
      evaluations++;
      next = safeEval(f, xn);
      let dec = 0;
      for (let i = 0; i < n; i++) dec += g[i]! * (xn[i]! - x[i]!);
      if (next && next.value <= cur.value + 1e-4 * Math.min(dec, 0)) break;
      next = null;
      step *= 0.5;
    }
    if (!next) break;
    const s = Float64Array.from(xn, (v, i) => v - x[i]!);
    const yv = Float64Array.from(next.grad, (v, i) => v - g[i]!);
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(yv);
      if (S.length > mem) {
        S.shift();
        Y.shift();
      }
    }
    const rel = (cur.value - next.value) / Math.max(Math.abs(cur.value), Math.abs(next.value), 1);
    x = xn;
    cur = next;
    if (rel < fTol || evaluations >= maxEvaluations) {
      iter++;
      break;
    }
  }
  return { x, value: cur.value, iterations: iter, evaluations };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i]!;
}
