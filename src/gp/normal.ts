/**
 * Standard normal functions accurate in the far tails, which expected improvement needs: far from
 * the data EI is like 1e-300 and a naive φ(z) + zΦ(z) rounds to 0 with zero gradient, so the
 * acquisition optimizer would see a flat landscape (Ament et al., "Unexpected improvements to
 * expected improvement", NeurIPS 2023). Everything is built on erfcx(x) = exp(x²) erfc(x).
 */

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Scaled complementary error function exp(x²)·erfc(x), for any real x, relative error ~1e-14.
 * x < 2.5: erf from its all-positive series (no cancellation); x ≥ 2.5: Laplace continued fraction.
 */
export function erfcx(x: number): number {
  if (x < 0) {
    // erfc(x) = 2 − erfc(−x)
    if (x < -26) return Infinity;
    return 2 * Math.exp(x * x) - erfcx(-x);
  }
  if (x < 2.5) {
    // erf(x) = 2/√π · exp(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
    let term = x;
    let sum = x;
    const x2 = 2 * x * x;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    // exp(x²)·erfc(x) = exp(x²) − 2/√π · sum
    return Math.exp(x * x) - (2 / SQRT_PI) * sum;
  }
  // erfcx(x) = 1/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated backwards.
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return 1 / (SQRT_PI * f);
}

export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Φ(z), accurate relative to its value in both tails. */
export function normCdf(z: number): number {
  const t = -z / SQRT2;
  if (t >= 0) return 0.5 * erfcx(t) * Math.exp(-t * t);
  return 1 - 0.5 * erfcx(-t) * Math.exp(-t * t);
}

/** log Φ(z), finite for any finite z. */
export function logNormCdf(z: number): number {
  if (z < -1) {
    const t = -z / SQRT2;
    return Math.log(0.5 * erfcx(t)) - t * t;
  }
  return Math.log1p(-0.5 * erfcx(z / SQRT2) * Math.exp(-0.5 * z * z));
}

/**
 * log h(z) with h(z) = φ(z) + zΦ(z) = E[(Y − ... )⁺] for unit variance, i.e. EI = σ·h((μ − best)/σ).
 * For z < −1 uses h(z) = φ(z)·(1 − |z|·√(π/2)·erfcx(|z|/√2)), and the asymptotic series where that
 * bracket cancels catastrophically.
 */
export function logH(z: number): number {
  if (z > -1) return Math.log(normPdf(z) + z * normCdf(z));
  const a = -z;
  if (a > 1e3) {
    // 1 − a√(π/2) erfcx(a/√2) = 1/a² − 3/a⁴ + 15/a⁶ − …
    const a2 = a * a;
    return -0.5 * a2 - LOG_SQRT_2PI + Math.log(1 / a2 - 3 / (a2 * a2) + 15 / (a2 * a2 * a2));
  }
  const bracket = 1 - a * Math.sqrt(Math.PI / 2) * erfcx(a / SQRT2);
  return -0.5 * a * a - LOG_SQRT_2PI + Math.log(Math.max(bracket, 1e-300));
}

/** h(z) = φ(z) + zΦ(z) ≥ 0 (expected positive part of z + N(0,1)). */
export function hFun(z: number): number {
  return Math.exp(logH(z));
}
