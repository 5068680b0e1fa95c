/**
 * From trials to balance points: the size S and the efficiency E of every complete, feasible trial
 * whose S is finite and positive and whose E is finite. Trials that cannot be used are counted by
 * reason so that a missing metric or a typo in the efficiency expression is reported, not hidden.
 */
import { ExpressionError } from '../errors.js';
import { compileConstraints, totalViolation } from '../pareto/index.js';
import { evaluateExpression, expressionNames, parseExpression, type BalanceConfig, type Expr, type Space } from '../space/index.js';
import type { Trial } from '../study/index.js';

/** What a space gets when its file has no balance block (the schema's defaults). */
export const DEFAULT_BALANCE: BalanceConfig = { size: 'size_bits', efficiency: 'accuracy - 0.005 * log2(size_bits)' };

export interface RawPoint {
  readonly trial: Trial;
  readonly size: number;
  readonly log2Size: number;
  readonly e: number;
  /**
   * Standard error of E from the standard errors the objective reported with its metrics (see
   * SE_SUFFIX), 0 when it reported none for the metrics E reads.
   */
  readonly eSe: number;
}

/**
 * A metric named `<m>_se` is the standard error of metric `<m>` (the compression objective reports
 * `accuracy_se`, the binomial standard error of its test accuracy). Why: with few trials over many
 * parameters the balance GPs cannot tell noise from shape and learn a noise near 0, so S* comes
 * out certain when it is not (the README's 14-trial sweep had a 90% interval of zero width); a
 * measured standard error is a floor on the noise they assume (Ax's metrics report a SEM the same way).
 */
export const SE_SUFFIX = '_se';

/**
 * The standard error of E = f(metrics) by the delta method: sqrt(Σ_m (∂f/∂m · se_m)²) over the
 * metrics m that E reads and whose `<m>_se` is a finite number > 0; each term is a central
 * difference (f(m + se) − f(m − se)) / 2, one-sided where a side is not finite (a log near 0).
 * Exact when E is linear in those metrics, as the default efficiency is in accuracy.
 */
export function efficiencySe(expr: Expr, metrics: Readonly<Record<string, number>>, e: number): number {
  let variance = 0;
  for (const name of expressionNames(expr)) {
    const se = metrics[name + SE_SUFFIX];
    const value = metrics[name];
    if (typeof se !== 'number' || !(Number.isFinite(se) && se > 0) || typeof value !== 'number') continue;
    const at = (v: number): number => evaluateExpression(expr, { ...metrics, [name]: v });
    const up = at(value + se);
    const down = at(value - se);
    const step = Number.isFinite(up) && Number.isFinite(down) ? (up - down) / 2 : Number.isFinite(up) ? up - e : Number.isFinite(down) ? e - down : 0;
    variance += step * step;
  }
  return Math.sqrt(variance);
}

/** Mean of eSe² over `points`: the observation-noise variance of E the objective measured, 0 when it measured none. */
export function meanSquaredSe(points: readonly RawPoint[]): number {
  return points.length === 0 ? 0 : points.reduce((sum, p) => sum + p.eSe * p.eSe, 0) / points.length;
}

export interface PointsResult {
  readonly points: RawPoint[];
  /** Reason → number of complete trials skipped for it. */
  readonly skipped: Readonly<Record<string, number>>;
}

export function balanceConfig(space: Space): BalanceConfig {
  return space.balance ?? DEFAULT_BALANCE;
}

export function balancePoints(space: Space, trials: readonly Trial[]): PointsResult {
  const config = balanceConfig(space);
  const expr = parseExpression(config.efficiency);
  const constraints = compileConstraints(space.constraints);
  const points: RawPoint[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  for (const trial of [...trials].sort((a, b) => a.number - b.number)) {
    if (trial.state !== 'complete' || !trial.metrics) continue;
    const size = trial.metrics[config.size];
    if (typeof size !== 'number') {
      skip(`no size metric '${config.size}'`);
      continue;
    }
    if (!(Number.isFinite(size) && size > 0)) {
      skip(`size '${config.size}' not finite and > 0`);
      continue;
    }
    let e: number;
    try {
      e = evaluateExpression(expr, trial.metrics);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      skip(`efficiency "${config.efficiency}": ${err.message}`);
      continue;
    }
    if (!Number.isFinite(e)) {
      skip(`efficiency "${config.efficiency}" not finite`);
      continue;
    }
    if (totalViolation(constraints, trial.metrics) > 0) {
      skip('infeasible (violates a constraint)');
      continue;
    }
    points.push({ trial, size, log2Size: Math.log2(size), e, eSe: efficiencySe(expr, trial.metrics, e) });
  }
  return { points, skipped };
}
