/**
 * ParEGO-style random scalarization (Knowles 2006), the fallback for four or more objectives:
 * objectives are normalized to [0, 1] over the observed points, then combined by the augmented
 * Chebyshev function max_j(w_j y_j) + ρ Σ_j w_j y_j with weights drawn uniformly from the simplex
 * for each proposal; one GP on the scalarized values and log EI do the rest.
 */

/** A weight vector uniform on the simplex from m uniforms in (0, 1). */
export function simplexWeights(uniforms: readonly number[]): number[] {
  const e = uniforms.map((u) => -Math.log(Math.max(u, 1e-300)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Y is `n × m` (minimized); returns n scalarized values (minimized). */
export function chebyshevScalarize(Y: readonly (readonly number[])[], weights: readonly number[], rho = 0.05): number[] {
  const m = weights.length;
  const lo = new Array<number>(m).fill(Infinity);
  const hi = new Array<number>(m).fill(-Infinity);
  for (const y of Y)
    for (let j = 0; j < m; j++) {
      lo[j] = Math.min(lo[j]!, y[j]!);
      hi[j] = Math.max(hi[j]!, y[j]!);
    }
  return Y.map((y) => {
    let mx = -Infinity;
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const span = hi[j]! - lo[j]!;
      const v = (weights[j]! * (y[j]! - lo[j]!)) / (span > 0 ? span : 1);
      mx = Math.max(mx, v);
      sum += v;
    }
    return mx + rho * sum;
  });
}
