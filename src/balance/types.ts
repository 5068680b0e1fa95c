/**
 * The balance result: what `sweetspot balance` prints, what `export` embeds and what the HTML
 * report renders. This shape is a published contract (the report reads it): add fields, never
 * rename or remove them.
 *
 * Units: `size` fields are in the unit of the size metric (e.g. bits); `log2Size` fields are
 * log2 of that. `e` / `mean` / `lo` / `hi` / `expectedE` are values of the efficiency expression.
 * Trials are referred to by their number within the study.
 */
import type { Params } from '../space/index.js';
import type { Metrics } from '../study/index.js';

/** One complete, feasible trial with a finite positive size and a finite efficiency. */
export interface BalancePoint {
  /** Trial number. */
  readonly trial: number;
  /** Value of the size metric S. */
  readonly size: number;
  readonly log2Size: number;
  /** Value of the efficiency expression E. */
  readonly e: number;
  /** Whether the trial is on the upper envelope of (log2 S, E) that the E(S) surrogate is fitted to. */
  readonly onEnvelope: boolean;
  /** The trial's parameters and metrics (for tables, the frontier CSV and the report). */
  readonly params: Params;
  readonly metrics: Metrics;
}

/** One grid point of the fitted E(S) curve; `lo`/`hi` bound the central 90% posterior band. */
export interface BalanceCurvePoint {
  readonly log2Size: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

/** Median and central 90% credible interval (5th and 95th percentiles). */
export interface Interval {
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
}

export interface BalanceTrialRef {
  /** Trial number. */
  readonly trial: number;
  readonly params: Params;
  readonly metrics: Metrics;
}

export interface BalanceKnee extends BalanceTrialRef {
  /** Value of the size metric at the knee trial. */
  readonly size: number;
}

export interface BalanceResult {
  /** Name of the size metric S (space.balance.size). */
  readonly sizeMetric: string;
  /** The efficiency expression E (space.balance.efficiency), as written. */
  readonly efficiency: string;
  /** Every usable trial, in trial-number order. */
  readonly points: readonly BalancePoint[];
  /** The fitted E over log2 S on an evenly spaced grid spanning the sizes of the envelope points fitted. */
  readonly curve: readonly BalanceCurvePoint[];
  /** S* = argmax E(S), in size units: posterior median and 90% credible interval. */
  readonly sStar: Interval;
  /** The same interval in log2 size units. */
  readonly log2SStar: Interval;
  /** Posterior mean of E at the median S*. */
  readonly expectedE: number;
  /** The envelope trial whose log2 size is nearest the median S*. */
  readonly recommended: BalanceTrialRef | null;
  /**
   * Knee of the accuracy–size frontier: the frontier trial farthest from the chord between its extremes in
   * normalised (log2 size, quality) coordinates, where quality is the one declared metric besides
   * the size that the efficiency reads (accuracy by default), or E itself otherwise; see docs/engine.md.
   */
  readonly knee: BalanceKnee | null;
  /** Number of trials considered (all states). */
  readonly nTrials: number;
  /**
   * How S* was taken: 'joint' (a GP of E over every parameter, the default) or 'envelope' (the
   * 1-D curve through the upper envelope). Absent in results stored before issue 14.
   */
  readonly method?: 'joint' | 'envelope';
  /**
   * Configurations run more than once (balance.repeats re-runs the recommended one late in the
   * budget): E and each declared metric as mean ± sd over the runs. Empty when none.
   */
  readonly replicated?: readonly Replicated[];
}

/** Mean and sample standard deviation over repeated runs. */
export interface MeanSd {
  readonly mean: number;
  readonly sd: number;
}

/** One configuration observed in several trials: the first of them and its repeats. */
export interface Replicated {
  /** The first trial with these parameters; the others are its repeats. */
  readonly trial: number;
  /** Every trial with these parameters (the first included), ascending. */
  readonly trials: readonly number[];
  readonly params: Params;
  /** The efficiency E over the runs. */
  readonly e: MeanSd;
  /** Each declared metric over the runs. */
  readonly metrics: Readonly<Record<string, MeanSd>>;
}
