import { parseSpace, type Space } from '../../src/space/index.js';
import type { IntermediateValue, Trial, TrialState } from '../../src/study/index.js';

/** A space with the given metrics (and constraints), for judging hand-made trials. */
export function metricSpace(metrics: string, extra = ''): Space {
  return parseSpace(`objective: { builtin: zdt1 }\nparams: { x0: { type: float, low: 0, high: 1 } }\nmetrics: { ${metrics} }\n${extra}`, 'hand.yaml');
}

/** A trial with these reports: `curve[i]` is [step, metrics]. */
export function trialWith(number: number, curve: readonly (readonly [number, Record<string, number>])[], state: TrialState = 'running'): Trial {
  const intermediate: IntermediateValue[] = curve.map(([step, metrics]) => ({ step, metrics }));
  return { study: 'hand', number, state, params: { x0: number / 100 }, metrics: null, attrs: {}, intermediate, error: null, worker: 0, startedAt: null, finishedAt: null, attempt: 1, interrupted: false, owner: null };
}

/** One accuracy value per step from 1. */
export const accCurve = (...values: number[]): [number, Record<string, number>][] => values.map((acc, i) => [i + 1, { acc }]);
