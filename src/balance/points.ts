/**
 * From trials to balance points: the size S and the efficiency E of every complete, feasible trial
 * whose S is finite and positive and whose E is finite. Trials that cannot be used are counted by
 * reason so that a missing metric or a typo in the efficiency expression is reported, not hidden.
 */
import { ExpressionError } from '../errors.js';
import { compileConstraints, totalViolation } from '../pareto/index.js';
import { evaluateExpression, parseExpression, type BalanceConfig, type Space } from '../space/index.js';
import type { Trial } from '../study/index.js';

/** What a space gets when its file has no balance block (the schema's defaults). */
export const DEFAULT_BALANCE: BalanceConfig = { size: 'size_bits', efficiency: 'accuracy - 0.005 * log2(size_bits)' };

export interface RawPoint {
  readonly trial: Trial;
  readonly size: number;
  readonly log2Size: number;
  readonly e: number;
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
    points.push({ trial, size, log2Size: Math.log2(size), e });
  }
  return { points, skipped };
}
