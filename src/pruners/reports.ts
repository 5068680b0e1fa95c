/**
 * What a trial had reported by a given step, and how such partial metrics become points to rank:
 * the pruners' shared reading of intermediate values.
 *
 * A metric keeps its last reported value until reported again, so a metric known from step 0
 * (the size of a configuration, say) counts at every later step. Points use the space's metrics
 * that the judged trial has (a trial with fewer compares on what it has) and the constraints
 * whose every name is known; a constraint on a metric reported only at the end waits till then.
 */
import { compileConstraints, constraintViolation, toMinimization, type CompiledConstraint, type ConstrainedPoint } from '../pareto/index.js';
import { expressionNames, type Space } from '../space/index.js';
import type { Metrics, Trial } from '../study/index.js';

/** Each metric's value in the latest report at or before `step` (empty before the first report). */
export function metricsAt(trial: Trial, step: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of trial.intermediate) {
    if (v.step > step) break;
    Object.assign(out, v.metrics);
  }
  return out;
}

/** Step of the trial's first report at or after `step`, or null when it has not got there. */
export function crossingStep(trial: Trial, step: number): number | null {
  for (const v of trial.intermediate) if (v.step >= step) return v.step;
  return null;
}

/** The trial's metrics when it first reached `step` (see crossingStep), or null. */
export function metricsWhenReached(trial: Trial, step: number): Record<string, number> | null {
  const at = crossingStep(trial, step);
  return at === null ? null : metricsAt(trial, at);
}

/** Turns partial metrics into minimisation points over one set of objective names. */
export class PointMaker {
  readonly #space: Space;
  readonly #constraints: readonly { readonly compiled: CompiledConstraint; readonly names: readonly string[] }[];

  constructor(space: Space) {
    this.#space = space;
    this.#constraints = compileConstraints(space.constraints).map((compiled) => ({
      compiled,
      names: [...expressionNames(compiled.lhs), ...expressionNames(compiled.rhs)],
    }));
  }

  /** The space's metrics present in `metrics`, in file order. */
  objectivesIn(metrics: Metrics): string[] {
    return Object.keys(this.#space.metrics).filter((m) => Number.isFinite(metrics[m]));
  }

  /** The point of `metrics` over `objectives` (each must be present), or null when one is missing. */
  point(metrics: Metrics, objectives: readonly string[]): ConstrainedPoint | null {
    const values: number[] = [];
    for (const m of objectives) {
      const v = metrics[m];
      if (v === undefined || !Number.isFinite(v)) return null;
      values.push(v);
    }
    const specs = objectives.map((name) => ({ name, direction: this.#space.metrics[name]! }));
    let violation = 0;
    for (const c of this.#constraints) if (c.names.every((n) => n in metrics)) violation += constraintViolation(c.compiled, metrics);
    return { values: toMinimization(specs, values), violation };
  }
}
