/**
 * Feasibility: the one definition of when a trial's metrics meet the space's constraints, shared by
 * the Pareto front, the balance points and the GP sampler's constraint models.
 *
 * Each constraint `lhs op rhs` has a slack: lhs − rhs for `>=`/`>`, rhs − lhs for `<=`/`<` (NaN
 * when a side is not finite). It is met when the slack is ≥ 0, or > 0 for a strict comparison.
 * Its violation is how far it misses: 0 when met, −slack otherwise; a strict comparison met with
 * equality misses by the smallest representable step at that magnitude; a non-finite side misses
 * by Infinity.
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

/** Signed slack of one constraint (see the file comment). Throws ExpressionError naming the constraint on unknown names. */
export function constraintSlack(c: CompiledConstraint, metrics: Readonly<Record<string, number>>): number {
  let l: number;
  let r: number;
  try {
    l = evaluateExpression(c.lhs, metrics);
    r = evaluateExpression(c.rhs, metrics);
  } catch (err) {
    if (err instanceof ExpressionError) throw new ExpressionError(`constraint "${c.constraint.text}": ${err.message}`, { cause: err });
    throw err;
  }
  if (!Number.isFinite(l) || !Number.isFinite(r)) return NaN;
  return c.constraint.op === '>=' || c.constraint.op === '>' ? l - r : r - l;
}

/** Whether a slack (observed or predicted) meets a constraint with operator `op`. */
export function slackMeets(op: Constraint['op'], slack: number): boolean {
  return op === '>' || op === '<' ? slack > 0 : slack >= 0;
}

/** Violation of one constraint (≥ 0). Throws ExpressionError naming the constraint on unknown names. */
export function constraintViolation(c: CompiledConstraint, metrics: Readonly<Record<string, number>>): number {
  const slack = constraintSlack(c, metrics);
  if (Number.isNaN(slack)) return Infinity;
  if (slackMeets(c.constraint.op, slack)) return 0;
  return slack < 0 ? -slack : Math.max(Number.MIN_VALUE, Number.EPSILON * Math.abs(evaluateExpression(c.rhs, metrics)));
}

/** Sum of the violations of every constraint; 0 means feasible. */
export function totalViolation(compiled: readonly CompiledConstraint[], metrics: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const c of compiled) total += constraintViolation(c, metrics);
  return total;
}
