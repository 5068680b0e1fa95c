/**
 * Checking what an objective returned against the space: every declared metric present and
 * finite, numbers as metrics and strings as attributes. (Constraint violation is src/pareto's.)
 */
import type { Space } from '../space/index.js';
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
