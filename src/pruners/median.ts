/**
 * The median stopping rule (Golovin et al. 2017, Optuna's MedianPruner), the simple baseline,
 * for one or several objectives: from `warmupSteps` on, every `interval` steps, once
 * `startupTrials` trials are complete, a trial stops when the median of the complete trials'
 * values at this step is better than its best value so far on every objective (Pareto
 * dominance of the per-objective median; with one objective, plain "worse than the median").
 * Constraints play no part here; they judge final values.
 */
import { dominates, toMinimization } from '../pareto/index.js';
import type { Space } from '../space/index.js';
import type { Pruner, PruneRequest } from '../study/index.js';
import { metricsWhenReached, PointMaker } from './reports.js';

export interface MedianSettings {
  readonly startupTrials: number;
  readonly warmupSteps: number;
  readonly interval: number;
}

export class MedianPruner implements Pruner {
  readonly name = 'median';
  readonly #space: Space;
  readonly #settings: MedianSettings;
  readonly #points: PointMaker;

  constructor(space: Space, settings: MedianSettings) {
    this.#space = space;
    this.#settings = settings;
    this.#points = new PointMaker(space);
  }

  prune({ trial, step, others }: PruneRequest): string | null {
    const s = this.#settings;
    if (step < s.warmupSteps || (step - s.warmupSteps) % s.interval !== 0) return null;
    const complete = others.filter((t) => t.state === 'complete');
    if (complete.length < Math.max(1, s.startupTrials)) return null;
    const best = this.#bestSoFar(trial.intermediate.filter((v) => v.step <= step).map((v) => v.metrics));
    const objectives = this.#points.objectivesIn(best);
    if (objectives.length === 0) return null;
    const specs = objectives.map((name) => ({ name, direction: this.#space.metrics[name]! }));
    const rivals: number[][] = [];
    for (const t of complete) {
      const metrics = metricsWhenReached(t, step);
      if (metrics && objectives.every((m) => Number.isFinite(metrics[m]))) rivals.push(toMinimization(specs, objectives.map((m) => metrics[m]!)));
    }
    if (rivals.length < Math.max(1, s.startupTrials)) return null;
    const median = objectives.map((_, k) => medianOf(rivals.map((r) => r[k]!)));
    const mine = toMinimization(specs, objectives.map((m) => best[m]!));
    if (!dominates(median, mine)) return null;
    return `worse than the median of ${rivals.length} complete trials at step ${step} (by ${objectives.join(', ')})`;
  }

  /** Each metric's best value over the reports (by the space's direction; others: the last). */
  #bestSoFar(reports: readonly Readonly<Record<string, number>>[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const metrics of reports) {
      for (const [name, v] of Object.entries(metrics)) {
        const dir = this.#space.metrics[name];
        const old = out[name];
        if (old === undefined || dir === undefined || (dir === 'maximize' ? v > old : v < old)) out[name] = v;
      }
    }
    return out;
  }
}

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
