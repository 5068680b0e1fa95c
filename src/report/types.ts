/**
 * The report's input and its view model. `buildModel` turns a study (space, record, trials) plus
 * the Pareto and balance analyses into a ReportModel; every chart and table is a pure function of
 * the model, which keeps rendering testable without running an analysis.
 */
import type { Direction, ParamValue, Space } from '../space/index.js';
import type { StudyRecord } from '../study/storage.js';
import type { Trial, TrialState } from '../study/trial.js';
import type { ImportanceResult } from '../analysis/index.js';
import type { BalanceExplanation, Replicated } from '../balance/index.js';

export interface ReportInput {
  readonly space: Space;
  readonly study: StudyRecord;
  /** All trials of the study, any state, in number order. */
  readonly trials: readonly Trial[];
  /** Time the report describes (elapsed time of running studies, "generated at"); default: now. */
  readonly now?: Date | string | number;
  /** A declared hypervolume reference point (metric → value), e.g. a built-in benchmark's (src/pareto/reference.ts). */
  readonly declaredReference?: Readonly<Record<string, number>>;
  /** The balance analysis of these trials when the caller has it already (a run's SharedBalance); computed otherwise. */
  readonly balance?: BalanceExplanation;
}

/** A chart rendered to SVG text, with what the page and the tests need to know about it. */
export interface Chart {
  /** DOM id of the <svg>, also the file name of its SVG export. */
  readonly id: string;
  readonly title: string;
  readonly svg: string;
  /** One or two sentences under the chart: what is drawn and how to read it. */
  readonly caption: string;
  /** Number of per-trial marks (points, lines, bars) drawn, for the tests. */
  readonly marks: number;
}

export interface ParetoView {
  /** Size-like metric on the x axis and quality metric on the y axis. */
  readonly x: { readonly metric: string; readonly direction: Direction; readonly log: boolean };
  readonly y: { readonly metric: string; readonly direction: Direction; readonly log: boolean };
  /** Trial numbers on the non-dominated front, sorted by x. */
  readonly front: readonly number[];
  readonly dominated: readonly number[];
  /** Complete trials that break a constraint. */
  readonly infeasible: readonly number[];
  /** Hypervolume after each finished trial: `k` entries. */
  readonly hypervolume: readonly { readonly trial: number; readonly value: number }[];
  /** Trial number at the knee of the front, when there is one. */
  readonly knee: number | null;
  /** Metrics the front and hypervolume are computed over (may be more than x and y). */
  readonly objectives: readonly string[];
}

export interface BalanceView {
  readonly sizeMetric: string;
  readonly efficiency: string;
  /** Usable trials (complete, feasible, positive size, finite E): `k` points at log2 S with their efficiency; `onEnvelope` marks the frontier the surrogate was fitted to. */
  readonly points: readonly { readonly trial: number; readonly log2Size: number; readonly e: number; readonly onEnvelope: boolean }[];
  /** Surrogate posterior on a grid over log2 S: four arrays of equal length `g`. */
  readonly curve: { readonly log2Size: readonly number[]; readonly mean: readonly number[]; readonly lo: readonly number[]; readonly hi: readonly number[] };
  /** S* = argmax E(S) in log2 S: median and 90% credible interval. */
  readonly sStar: { readonly median: number; readonly lo: number; readonly hi: number };
  readonly expectedE: number | null;
  /** Recommended trial number (observed frontier trial nearest S*). */
  readonly recommended: number | null;
  readonly knee: number | null;
  /** Configurations run several times (balance.repeats): E and metrics as mean ± sd. */
  readonly replicated: readonly Replicated[];
}

export interface TrialView {
  readonly number: number;
  readonly state: TrialState;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly metrics: Readonly<Record<string, number>> | null;
  readonly attrs: Readonly<Record<string, string>>;
  readonly error: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  /** Efficiency E when the space has a balance block and the trial has the metrics. */
  readonly e: number | null;
  /** Whether every constraint holds (null when not complete). */
  readonly feasible: boolean | null;
  readonly onFront: boolean;
  /** The worker thread that ran the trial (0-based), or null. */
  readonly worker: number | null;
  /** The note a person attached to the trial (`sweetspot notes --trial`), or null. */
  readonly note: string | null;
  /** `s × 2`: [step, value] of the learning-curve metric per intermediate report. */
  readonly curve: readonly (readonly [number, number])[];
}

export interface ReportModel {
  readonly space: Space;
  readonly study: StudyRecord;
  readonly generatedAt: string;
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly elapsedMs: number | null;
  /** Distinct backends reported by the study or its trials (e.g. tfjs-node, wasm). */
  readonly backends: readonly string[];
  readonly paramNames: readonly string[];
  /** Metrics of the space first, then any other metric the trials report. */
  readonly metricNames: readonly string[];
  readonly trials: readonly TrialView[];
  readonly pareto: ParetoView | null;
  readonly balance: BalanceView | null;
  /** Why the balance block is missing (no balance section, too few trials, analysis error). */
  readonly balanceNote: string | null;
  readonly paretoNote: string | null;
  /** The efficiency expression E (from the balance analysis or the space), or null when E is not defined. */
  readonly efficiency: string | null;
  readonly importance: ImportanceResult;
  /** The parameter points are coloured by (bits when present), or null for colouring by state. */
  readonly colourBy: string | null;
  /** Metric shown in the learning curves, or null when no trial reported intermediate values. */
  readonly curveMetric: string | null;
  /** The pruner and the steps it saved ("hyperband η=2, steps 1–4: 12 pruned; 1,240 of 3,000 steps run (41%)"); null without a pruner. */
  readonly earlyStopping: string | null;
}
