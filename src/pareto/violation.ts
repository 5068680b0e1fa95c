/**
 * Total constraint violation of a trial's metrics. Each constraint `lhs op rhs` contributes how far
 * it misses: for `>=`/`>` that is max(0, rhs − lhs), for `<=`/`<` max(0, lhs − rhs). A strict
 * comparison met with equality misses by the smallest representable step at that magnitude, so it
 * counts as infeasible. Non-finite sides count as an infinite violation.
 */
import { ExpressionError } from '../errors.js';
import { evaluateExpression, parseExpression, type Constraint, type Expr } from '../space/index.js';

export interface CompiledConstraint {
  readonly constraint: Constraint;
  readonly lhs: Expr;
  readonly rhs: Expr;
}

export function compileConstraints(constraints: readonly Constraint[]): CompiledConstraint[] {
  return constraints.map((c) => ({ constraint: c, lhs: parseExpression(c.lhs), rhs: parseExpression(c.rhs) }));
}

/** Violation of one constraint (≥ 0). Throws ExpressionError naming the constraint on unknown names. */
export function constraintViolation(c: CompiledConstraint, metrics: Readonly<Record<string, number>>): number {
  let l: number;
  let r: number;
  try {
    l = evaluateExpression(c.lhs, metrics);
    r = evaluateExpression(c.rhs, metrics);
  } catch (err) {
    if (err instanceof ExpressionError) throw new ExpressionError(`constraint "${c.constraint.text}": ${err.message}`, { cause: err });
    throw err;
  }
  if (!Number.isFinite(l) || !Number.isFinite(r)) return Infinity;
  const miss = c.constraint.op === '>=' || c.constraint.op === '>' ? r - l : l - r;
  if (miss > 0) return miss;
  if (miss === 0 && (c.constraint.op === '>' || c.constraint.op === '<')) return Math.max(Number.MIN_VALUE, Number.EPSILON * Math.abs(r));
  return 0;
}

/** Sum of the violations of every constraint; 0 means feasible. */
export function totalViolation(compiled: readonly CompiledConstraint[], metrics: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const c of compiled) total += constraintViolation(c, metrics);
  return total;
}
