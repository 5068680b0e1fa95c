/**
 * `learning-curves`: a synthetic training run with known final values, for measuring early
 * stopping without training anything. Parameters x0..x3 in [0, 1]; metrics `accuracy`
 * (maximise) and `size` (minimise), two objectives that pull apart as in a compression sweep.
 *
 * - size = 2^(10 + 10·x0), known before training: reported at step 0.
 * - final accuracy A(x) = 0.1 + 0.85·(1 − e^(−3(0.2 + x0)))·q(x1)·r(x3) + bonus(x2): capacity
 *   grows with size, x1 acts as a learning rate (best at 0.55), x3 as a mild regulariser.
 * - the curve's shape is set by x2: fast (x2 < 0.4: 1 − e^(−6u)), steady (x2 < 0.75: √u), or a
 *   late bloomer (x2 ≥ 0.75: a logistic rise centred at u = 0.6), which learns little early but
 *   ends up to 0.06 higher (bonus) — the trials a careless pruner throws away.
 * - step t = 1..steps reports accuracy at u = t/steps, plus Gaussian noise (sd `noise`, drawn from
 *   ctx.seed) on every step but the last; the final step and the result are exactly A(x).
 *
 * Options: steps (27), noise (0.01), stepMs (0: steps cost nothing but a turn of the event loop,
 * which is where an abort is seen).
 */
import { ObjectiveError } from '../errors.js';
import { Rng } from '../math/index.js';
import type { Params } from '../space/index.js';
import type { Objective, ObjectiveContext } from './types.js';

export interface CurveFacts {
  readonly size: number;
  readonly finalAccuracy: number;
  readonly shape: 'fast' | 'steady' | 'late';
  /** Fraction of the final gain over the starting accuracy reached at u in [0, 1]. */
  readonly progress: (u: number) => number;
}

const START = 0.1;
const LATE_BONUS = 0.06;

/** The facts of configuration x (length 4, each in [0, 1]). */
export function curveFacts(x: readonly number[]): CurveFacts {
  const [x0, x1, x2, x3] = x as [number, number, number, number];
  const size = 2 ** (10 + 10 * x0);
  const shape = x2 < 0.4 ? 'fast' : x2 < 0.75 ? 'steady' : 'late';
  const q = 1 - 2.5 * (x1 - 0.55) ** 2;
  const r = 1 - 0.1 * Math.abs(x3 - 0.3);
  const bonus = shape === 'late' ? (LATE_BONUS * (x2 - 0.75)) / 0.25 : 0;
  const finalAccuracy = Math.min(0.99, START + 0.85 * (1 - Math.exp(-3 * (0.2 + x0))) * q * r + bonus);
  const logistic = (u: number): number => 1 / (1 + Math.exp(-12 * (u - 0.6)));
  const progress =
    shape === 'fast'
      ? (u: number) => (1 - Math.exp(-6 * u)) / (1 - Math.exp(-6))
      : shape === 'steady'
        ? (u: number) => Math.sqrt(u)
        : (u: number) => (logistic(u) - logistic(0)) / (logistic(1) - logistic(0));
  return { size, finalAccuracy, shape, progress };
}

function readOption(options: Readonly<Record<string, unknown>>, name: string, fallback: number, min: number, integer: boolean): number {
  const v = options[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new ObjectiveError(`learning-curves: option '${name}' must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export const learningCurves: Objective = async (params: Params, ctx: ObjectiveContext) => {
  const x = [0, 1, 2, 3].map((i) => {
    const v = params[`x${i}`];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ObjectiveError(`learning-curves needs a parameter x${i} in [0, 1], got ${JSON.stringify(v)}`);
    return v;
  });
  const steps = readOption(ctx.options, 'steps', 27, 1, true);
  const noise = readOption(ctx.options, 'noise', 0.01, 0, false);
  const stepMs = readOption(ctx.options, 'stepMs', 0, 0, false);
  const facts = curveFacts(x);
  const rand = new Rng(ctx.seed);
  ctx.report(0, { size: facts.size });
  for (let t = 1; t <= steps; t++) {
    await new Promise((r) => (stepMs > 0 ? setTimeout(r, stepMs) : setImmediate(r)));
    ctx.signal.throwIfAborted();
    const clean = START + (facts.finalAccuracy - START) * facts.progress(t / steps);
    ctx.report(t, { accuracy: t === steps ? facts.finalAccuracy : clean + noise * rand.normal() });
  }
  return { accuracy: facts.finalAccuracy, size: facts.size, steps };
};
