/**
 * Study + analyses → ReportModel. Everything the charts need is decided here once (axes, colour
 * parameter, learning-curve metric, feasibility), so the renderers stay small and pure.
 */
import { describeEarlyStopping } from '../pruners/index.js';
import { evaluate, type Space } from '../space/index.js';
import { TRIAL_STATES, type Trial, type TrialState } from '../study/trial.js';
import { trialNotes } from '../study/index.js';
import { computeImportance } from '../analysis/index.js';
import type { BalanceView, ParetoView, ReportInput, ReportModel, TrialView } from './types.js';

export interface Analyses {
  readonly pareto: ParetoView | null;
  readonly balance: BalanceView | null;
  readonly paretoNote: string | null;
  readonly balanceNote: string | null;
}


export function toDate(now: ReportInput['now']): Date {
  return now === undefined ? new Date() : new Date(now);
}

/** Whether a complete trial meets every constraint of the space (null when it has no metrics). */
export function isFeasible(space: Space, metrics: Readonly<Record<string, number>> | null): boolean | null {
  if (!metrics) return null;
  for (const c of space.constraints) {
    let l: number;
    let r: number;
    try {
      l = evaluate(c.lhs, metrics);
      r = evaluate(c.rhs, metrics);
    } catch {
      return false; // a metric the constraint needs is missing: it cannot be shown to hold
    }
    const ok = c.op === '<=' ? l <= r : c.op === '>=' ? l >= r : c.op === '<' ? l < r : l > r;
    if (!ok) return false;
  }
  return true;
}

function efficiency(expr: string | null, metrics: Readonly<Record<string, number>> | null): number | null {
  if (!expr || !metrics) return null;
  try {
    const e = evaluate(expr, metrics);
    return Number.isFinite(e) ? e : null;
  } catch {
    return null;
  }
}

/**
 * The metric shown in learning curves: the Pareto y metric, else a space metric, else any reported
 * one; among metrics reported after step 0 (at step 0 an objective reports what is known before
 * training, such as a size, which has no curve) when there are any.
 */
function chooseCurveMetric(space: Space, trials: readonly Trial[], preferred: string | null): string | null {
  const later = new Set<string>();
  const any = new Set<string>();
  for (const t of trials) for (const iv of t.intermediate) for (const k of Object.keys(iv.metrics)) (iv.step > 0 ? later : any).add(k);
  const seen = later.size > 0 ? later : any;
  if (seen.size === 0) return null;
  if (preferred && seen.has(preferred)) return preferred;
  for (const m of Object.keys(space.metrics)) if (seen.has(m)) return m;
  return [...seen][0]!;
}

/** Colour points by bit width when the space has one, else by a small ordered/categorical parameter. */
function chooseColourBy(space: Space): string | null {
  if (space.params.bits) return 'bits';
  for (const [name, spec] of Object.entries(space.params))
    if ((spec.type === 'ordinal' || spec.type === 'categorical') && spec.choices.length <= 8) return name;
  return null;
}

export function buildModel(input: ReportInput, analyses: Analyses): ReportModel {
  const { space, study, trials } = input;
  const now = toDate(input.now);
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  for (const t of trials) counts[t.state]++;

  const metricNames = Object.keys(space.metrics);
  for (const t of trials) for (const k of Object.keys(t.metrics ?? {})) if (!metricNames.includes(k)) metricNames.push(k);

  const infeasible = analyses.pareto ? new Set(analyses.pareto.infeasible) : null;
  const front = new Set(analyses.pareto?.front ?? []);
  const notes = trialNotes(input.study.attrs);
  // E as the balance analysis defined it (its defaults apply when the space has no balance block).
  const efficiencyExpr = analyses.balance?.efficiency ?? space.balance?.efficiency ?? null;
  const curveMetric = chooseCurveMetric(space, trials, analyses.pareto?.y.metric ?? null);

  const views: TrialView[] = trials.map((t) => {
    const complete = t.state === 'complete' && t.metrics !== null;
    const start = t.startedAt ? Date.parse(t.startedAt) : NaN;
    const end = t.finishedAt ? Date.parse(t.finishedAt) : t.state === 'running' ? now.getTime() : NaN;
    const curve: [number, number][] = [];
    if (curveMetric)
      for (const iv of t.intermediate) {
        const v = iv.metrics[curveMetric];
        if (v !== undefined && Number.isFinite(v)) curve.push([iv.step, v]);
      }
    return {
      number: t.number,
      state: t.state,
      params: t.params,
      metrics: t.metrics,
      attrs: t.attrs,
      error: t.error,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      durationMs: Number.isFinite(end - start) ? end - start : null,
      e: complete ? efficiency(efficiencyExpr, t.metrics) : null,
      feasible: complete ? (infeasible ? !infeasible.has(t.number) : isFeasible(space, t.metrics)) : null,
      onFront: front.has(t.number),
      worker: t.worker,
      note: notes.get(t.number) ?? null,
      curve,
    };
  });

  const created = Date.parse(study.createdAt);
  const starts = trials.map((t) => (t.startedAt ? Date.parse(t.startedAt) : NaN)).filter(Number.isFinite);
  const ends = trials.map((t) => (t.finishedAt ? Date.parse(t.finishedAt) : NaN)).filter(Number.isFinite);
  const begin = Number.isFinite(created) ? created : starts.length ? Math.min(...starts) : NaN;
  const live = counts.running + counts.waiting > 0;
  const last = live || ends.length === 0 ? now.getTime() : Math.max(...ends);
  const elapsedMs = Number.isFinite(begin) && trials.length > 0 ? Math.max(0, last - begin) : null;

  const backends = new Set<string>();
  if (study.attrs.backend) backends.add(study.attrs.backend);
  for (const t of trials) if (t.attrs.backend) backends.add(t.attrs.backend);

  return {
    space,
    study,
    generatedAt: now.toISOString(),
    counts,
    elapsedMs,
    backends: [...backends],
    paramNames: Object.keys(space.params),
    metricNames,
    trials: views,
    pareto: analyses.pareto,
    balance: analyses.balance,
    paretoNote: analyses.paretoNote,
    balanceNote: analyses.balanceNote,
    efficiency: efficiencyExpr,
    importance: computeImportance(space, trials, { efficiency: efficiencyExpr }),
    colourBy: chooseColourBy(space),
    curveMetric,
    earlyStopping: describeEarlyStopping(space.pruner, trials),
  };
}
