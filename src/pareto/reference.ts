/**
 * The hypervolume reference point, chosen once per study and in this order:
 * 1. `given`: the caller's (e.g. from the CLI or a benchmark's declared point);
 * 2. `problem`: the built-in benchmark's reference point (src/objectives), when the space's
 *    objective is that benchmark and its metrics are the benchmark's objectives;
 * 3. `nadir+10%`: the nadir of the first `REFERENCE_TRIALS` complete feasible trials plus 10% of
 *    their range per objective (1e-8 · max(1, |nadir|) when the range is 0). Taking it from the
 *    first trials only keeps it fixed once they exist, so the hypervolume history of a study never
 *    moves under later trials.
 */
import { BENCHMARKS } from '../objectives/index.js';
import type { Space } from '../space/index.js';
import type { ObjectiveSpec, ReferencePoint } from './types.js';

export const REFERENCE_TRIALS = 10;

export function problemReferencePoint(space: Space, objectives: readonly ObjectiveSpec[]): number[] | null {
  const name = space.objective.builtin;
  if (name === undefined || !Object.prototype.hasOwnProperty.call(BENCHMARKS, name)) return null;
  const problem = BENCHMARKS[name]!;
  if (!problem.refPoint) return null;
  const out: number[] = [];
  for (const o of objectives) {
    const k = problem.objectives.indexOf(o.name);
    if (k < 0 || o.direction !== 'minimize') return null;
    out.push(problem.refPoint[k]!);
  }
  return out;
}

/**
 * `early`: metric vectors (objective order, own directions) of the first complete feasible trials,
 * n × m. Returns null when there are none.
 */
export function nadirReferencePoint(objectives: readonly ObjectiveSpec[], early: readonly (readonly number[])[]): number[] | null {
  const first = early.slice(0, REFERENCE_TRIALS);
  if (first.length === 0) return null;
  return objectives.map((o, i) => {
    const vals = first.map((v) => v[i]!);
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const span = hi - lo > 0 ? hi - lo : 1e-8 * Math.max(1, Math.abs(hi));
    return o.direction === 'minimize' ? hi + 0.1 * span : lo - 0.1 * span;
  });
}

export function chooseReferencePoint(
  space: Space,
  objectives: readonly ObjectiveSpec[],
  early: readonly (readonly number[])[],
  given?: readonly number[],
): ReferencePoint | null {
  if (given) return { point: [...given], source: 'given' };
  const problem = problemReferencePoint(space, objectives);
  if (problem) return { point: problem, source: 'problem' };
  const nadir = nadirReferencePoint(objectives, early);
  return nadir ? { point: nadir, source: 'nadir+10%' } : null;
}
