/**
 * Result shapes of the Pareto analysis. Trials are the storage snapshots themselves; callers that
 * serialise (export, report) pick the fields they need.
 */
import type { Direction } from '../space/index.js';
import type { Trial } from '../study/index.js';

export interface ObjectiveSpec {
  readonly name: string;
  readonly direction: Direction;
}

/** How the hypervolume was obtained: exact (2-D sweep, 3-D slicing, WFG) or a Monte Carlo estimate. */
export interface HypervolumeValue {
  readonly value: number;
  readonly method: 'exact-2d' | 'exact-3d' | 'exact-wfg' | 'monte-carlo' | 'none';
  /** Standard error of a Monte Carlo estimate; 0 when exact. */
  readonly standardError: number;
}

export interface ReferencePoint {
  /** One value per objective, in the objectives' own units and directions. */
  readonly point: readonly number[];
  /** Where it came from: 'given' (options), 'problem' (the built-in benchmark's), 'nadir+10%'. */
  readonly source: 'given' | 'problem' | 'nadir+10%';
}

export interface ParetoHistoryEntry {
  /** Trial number (every finished trial, in number order). */
  readonly trial: number;
  /** Hypervolume of the feasible front of trials numbered ≤ `trial`. */
  readonly hypervolume: number;
}

export interface ParetoKnee {
  readonly trial: Trial;
  /** Perpendicular distance to the chord between the front's extremes, in normalised coordinates. */
  readonly distance: number;
}

export interface ParetoResult {
  readonly objectives: readonly ObjectiveSpec[];
  /**
   * Non-dominated trials under constraint-aware dominance, sorted by the balance size metric
   * ascending when it is an objective, else by the first objective, best first. When no trial is
   * feasible this holds the least-violating trials.
   */
  readonly front: readonly Trial[];
  /** Feasible complete trials dominated by another trial. */
  readonly dominated: readonly Trial[];
  /** Complete trials violating a constraint (and not on the front). */
  readonly infeasible: readonly Trial[];
  /** Total constraint violation per trial number (0 = feasible), for every complete trial used. */
  readonly violation: Readonly<Record<number, number>>;
  readonly hypervolume: HypervolumeValue;
  readonly referencePoint: ReferencePoint | null;
  readonly history: readonly ParetoHistoryEntry[];
  /** Knee of a 2-objective feasible front (null otherwise or with fewer than 3 front points). */
  readonly knee: ParetoKnee | null;
}
