/**
 * Synthetic balance problems whose best efficiency at each size, E*(S), is known in closed form,
 * so the true S* is known: used by the tests and by `npm run bench:balance`.
 *
 * Parameters: `s` = log2 of the model size (8..24), `knob` ∈ [0, 1] (a training knob such as a
 * distillation temperature: it changes accuracy, not size, with its best value inside the range)
 * and `junk` ∈ [0, 1] (irrelevant). Metrics: accuracy = A(s) − 0.5·(knob − 0.35)² (+ noise), so a
 * bad knob costs up to 0.21; size_bits = 2^s. The best configuration at each size has knob = 0.35,
 * so E*(S) = A(log2 S) − c·log2 S and S* = argmax E*, found by golden-section search on the closed
 * form (after a dense scan, since A may have a cliff).
 */
import { parseSpace, type Params, type Space } from '../space/index.js';
import type { Metrics } from '../study/index.js';

export interface SyntheticBalanceProblem {
  readonly name: string;
  readonly description: string;
  readonly space: Space;
  /** Best accuracy at log2 size s (knob at its best, no noise). */
  readonly accuracyAt: (s: number) => number;
  /** Weight c of log2 size in E = accuracy − c·log2(size_bits). */
  readonly c: number;
  /** Standard deviation of the Gaussian noise added to accuracy. */
  readonly noise: number;
  /** True log2 S*. */
  readonly log2SStar: number;
  /** Metrics of a configuration; `normal` supplies the noise draws. */
  evaluate(params: Params, normal: () => number): Metrics;
}

export const S_LOW = 8;
export const S_HIGH = 24;
export const KNOB_BEST = 0.35;
const KNOB_COST = 0.5;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function argmax(f: (s: number) => number, lo: number, hi: number): number {
  // Dense scan to find the right basin, then golden-section to 1e-9.
  const n = 4000;
  let best = lo;
  for (let i = 0; i <= n; i++) {
    const s = lo + ((hi - lo) * i) / n;
    if (f(s) > f(best)) best = s;
  }
  let a = Math.max(lo, best - (hi - lo) / n);
  let b = Math.min(hi, best + (hi - lo) / n);
  const g = (Math.sqrt(5) - 1) / 2;
  while (b - a > 1e-9) {
    const x1 = b - g * (b - a);
    const x2 = a + g * (b - a);
    if (f(x1) >= f(x2)) b = x2;
    else a = x1;
  }
  return (a + b) / 2;
}

function spaceFor(name: string, c: number): Space {
  return parseSpace(
    `name: ${name}
objective: { module: ./synthetic.js }
params:
  s: { type: float, low: ${S_LOW}, high: ${S_HIGH} }
  knob: { type: float, low: 0, high: 1 }
  junk: { type: float, low: 0, high: 1 }
metrics: { accuracy: maximize, size_bits: minimize }
balance: { size: size_bits, efficiency: "accuracy - ${c} * log2(size_bits)" }
budget: { trials: 40, workers: 1 }
seed: 1
`,
    `${name}.yaml`,
  );
}

function problem(name: string, description: string, accuracyAt: (s: number) => number, c: number, noise: number): SyntheticBalanceProblem {
  return {
    name,
    description,
    space: spaceFor(name, c),
    accuracyAt,
    c,
    noise,
    log2SStar: argmax((s) => accuracyAt(s) - c * s, S_LOW, S_HIGH),
    evaluate(params, normal) {
      const s = params.s as number;
      const accuracy = accuracyAt(s) - KNOB_COST * ((params.knob as number) - KNOB_BEST) ** 2 + (noise > 0 ? noise * normal() : 0);
      return { accuracy, size_bits: 2 ** s };
    },
  };
}

/** Accuracy saturating exponentially in log2 size: 0.97 − 0.6·2^(−(s − 8)/1.5). */
export const saturating = problem('saturating', 'saturating accuracy', (s) => 0.97 - 0.6 * 2 ** (-(s - 8) / 1.5), 0.005, 0);

/** Chance-level accuracy below a cliff at s = 13, saturating above it. */
export const cliff = problem(
  'cliff',
  'cliff at small sizes',
  (s) => 0.1 + sigmoid((s - 13) / 0.15) * (0.87 - 0.3 * 2 ** (-(s - 13) / 1.2)),
  0.005,
  0,
);

/** The saturating curve with Gaussian noise (σ = 0.004) on accuracy. */
export const noisy = problem('noisy', 'saturating, noisy (σ = 0.004)', (s) => 0.97 - 0.6 * 2 ** (-(s - 8) / 1.5), 0.005, 0.004);

export const SYNTHETIC_BALANCE_PROBLEMS: readonly SyntheticBalanceProblem[] = [saturating, cliff, noisy];
