/**
 * Checking what an objective returned against the space: every declared metric present and
 * finite, numbers as metrics and strings as attributes, constraints evaluated.
 */
import { evaluate, type Space } from '../space/index.js';
import { ExpressionError, oneLine } from '../errors.js';
import type { Attrs, Metrics } from './trial.js';

export type CheckedOutput = { ok: true; metrics: Metrics; attrs: Attrs } | { ok: false; error: string };

export function checkOutput(space: Space, output: Readonly<Record<string, unknown>>): CheckedOutput {
  const metrics: Record<string, number> = {};
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(output)) {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { ok: false, error: `metric '${name}' is not finite (got ${value})` };
      metrics[name] = value;
    } else if (typeof value === 'string') {
      attrs[name] = value;
    } else {
      return { ok: false, error: `output '${name}' must be a number (metric) or a string (attribute), got ${typeof value}` };
    }
  }
  for (const name of Object.keys(space.metrics)) {
    if (!(name in metrics)) {
      const got = Object.keys(metrics).join(', ') || 'no metrics';
      return { ok: false, error: `metric '${name}' missing from the objective's output (it returned ${got})` };
    }
  }
  return { ok: true, metrics, attrs };
}

/**
 * Total constraint violation of a metric set: 0 when feasible, else the sum over broken
 * constraints of how far each side is from satisfying it. An unknown name throws ExpressionError.
 */
export function constraintViolation(space: Space, metrics: Metrics): number {
  let total = 0;
  for (const c of space.constraints) {
    let lhs: number;
    let rhs: number;
    try {
      lhs = evaluate(c.lhs, metrics);
      rhs = evaluate(c.rhs, metrics);
    } catch (err) {
      throw new ExpressionError(`constraint "${c.text}": ${oneLine(err)}`);
    }
    const gap = c.op === '>=' || c.op === '>' ? rhs - lhs : lhs - rhs;
    const strictlyBroken = (c.op === '>' || c.op === '<') && gap === 0;
    if (gap > 0) total += gap;
    else if (strictlyBroken) total += Number.EPSILON;
  }
  return total;
}
