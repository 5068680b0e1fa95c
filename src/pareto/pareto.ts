/**
 * `paretoFront(space, trials)`: the study's front under constraint-aware dominance, its
 * hypervolume and hypervolume history, and the knee of a 2-objective front. Pure: trials in,
 * result out. Only complete trials whose every objective metric is finite take part.
 */
import { SweetspotError } from '../errors.js';
import type { Space } from '../space/index.js';
import type { Trial } from '../study/index.js';
import { nonDominatedIndices, toMinimization, type ConstrainedPoint } from './dominance.js';
import { hypervolume } from './hypervolume.js';
import { kneeIndex } from './knee.js';
import { chooseReferencePoint } from './reference.js';
import type { HypervolumeValue, ObjectiveSpec, ParetoHistoryEntry, ParetoKnee, ParetoResult, ReferencePoint } from './types.js';
import { compileConstraints, totalViolation } from './violation.js';

export interface ParetoOptions {
  /** Hypervolume reference point in the objectives' own units, one per objective (overrides the rule). */
  readonly referencePoint?: readonly number[];
  /** A declared reference point (metric → value), e.g. a built-in benchmark's; see reference.ts. */
  readonly declaredReference?: Readonly<Record<string, number>>;
  /** Objectives to use (default: every metric of the space, in file order). */
  readonly objectives?: readonly ObjectiveSpec[];
}

export function spaceObjectives(space: Space): ObjectiveSpec[] {
  return Object.entries(space.metrics).map(([name, direction]) => ({ name, direction }));
}

interface Row {
  readonly trial: Trial;
  readonly values: number[];
  readonly point: ConstrainedPoint;
}

export function paretoFront(space: Space, trials: readonly Trial[], options: ParetoOptions = {}): ParetoResult {
  const objectives = options.objectives ?? spaceObjectives(space);
  if (objectives.length === 0) throw new SweetspotError('pareto: at least one objective is needed, got none');
  if (options.referencePoint && options.referencePoint.length !== objectives.length) {
    throw new SweetspotError(
      `pareto: the reference point needs one value per objective (${objectives.length}), got ${options.referencePoint.length}`,
    );
  }
  const compiled = compileConstraints(space.constraints);
  const ordered = [...trials].sort((a, b) => a.number - b.number);
  const rows: Row[] = [];
  for (const t of ordered) {
    if (t.state !== 'complete' || !t.metrics) continue;
    const values = objectives.map((o) => t.metrics![o.name]);
    if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) continue;
    const violation = totalViolation(compiled, t.metrics);
    rows.push({ trial: t, values, point: { values: toMinimization(objectives, values), violation } });
  }

  const frontIdx = new Set(nonDominatedIndices(rows.map((r) => r.point)));
  const sizeName = space.balance?.size ?? 'size_bits';
  const sortAxis = Math.max(0, objectives.findIndex((o) => o.name === sizeName));
  const front = rows
    .filter((_, i) => frontIdx.has(i))
    .sort((a, b) => a.point.values[sortAxis]! - b.point.values[sortAxis]! || a.trial.number - b.trial.number);
  const dominated = rows.filter((r, i) => !frontIdx.has(i) && r.point.violation === 0).map((r) => r.trial);
  const infeasible = rows.filter((r, i) => !frontIdx.has(i) && r.point.violation > 0).map((r) => r.trial);

  const feasible = rows.filter((r) => r.point.violation === 0);
  const reference = chooseReferencePoint(
    objectives,
    feasible.map((r) => r.values),
    {
      ...(options.referencePoint ? { given: options.referencePoint } : {}),
      ...(options.declaredReference ? { declared: options.declaredReference } : {}),
    },
  );
  const refMin = reference ? toMinimization(objectives, reference.point) : null;
  const hv: HypervolumeValue = refMin
    ? hypervolume(feasible.filter((r) => front.includes(r)).map((r) => r.point.values), refMin)
    : { value: 0, method: 'none', standardError: 0 };

  return {
    objectives,
    front: front.map((r) => r.trial),
    dominated,
    infeasible,
    violation: Object.fromEntries(rows.map((r) => [r.trial.number, r.point.violation])),
    hypervolume: hv,
    referencePoint: reference,
    history: hypervolumeHistory(ordered, rows, refMin),
    knee: objectives.length === 2 ? knee(front.filter((r) => r.point.violation === 0), objectives, sizeName) : null,
  };
}

/** HV of the feasible front of trials numbered ≤ t, for every finished trial t (incremental front). */
function hypervolumeHistory(ordered: readonly Trial[], rows: readonly Row[], refMin: readonly number[] | null): ParetoHistoryEntry[] {
  const byNumber = new Map(rows.map((r) => [r.trial.number, r]));
  const current: (readonly number[])[] = [];
  let value = 0;
  const out: ParetoHistoryEntry[] = [];
  for (const t of ordered) {
    if (t.state === 'waiting' || t.state === 'running') continue;
    const row = byNumber.get(t.number);
    if (refMin && row && row.point.violation === 0) {
      const p = row.point.values;
      const isDominated = current.some((q) => q.every((v, i) => v <= p[i]!));
      if (!isDominated) {
        for (let i = current.length - 1; i >= 0; i--) if (current[i]!.every((v, k) => p[k]! <= v)) current.splice(i, 1);
        current.push(p);
        value = hypervolume(current, refMin).value;
      }
    }
    out.push({ trial: t.number, hypervolume: value });
  }
  return out;
}

function knee(front: readonly Row[], objectives: readonly ObjectiveSpec[], sizeName: string): ParetoKnee | null {
  const k = kneeIndex({
    points: front.map((r) => [r.point.values[0]!, r.point.values[1]!] as [number, number]),
    log: [objectives[0]!.name === sizeName, objectives[1]!.name === sizeName],
  });
  return k ? { trial: front[k.index]!.trial, distance: k.distance } : null;
}

export type { ReferencePoint };
