/**
 * Asynchronous successive halving (ASHA, Li et al. 2020), for one or several objectives.
 *
 * Rungs sit at steps minResource·η^k below maxResource. When a trial's report first reaches a
 * rung, it is ranked among every trial that reached that rung before it (in any state), each
 * taken as it was when it got there; it goes on if it is among the best max(1, ⌊n/η⌋) of those
 * n, and is stopped otherwise. Nobody waits for a rung to fill, which is what makes it
 * asynchronous; the price is that early arrivals face fewer rivals, as in Ray Tune's and
 * Optuna's versions.
 *
 * Ranking (MO-ASHA, Schmucker et al. 2021): non-dominated sorting under src/pareto's
 * constraint-aware dominance, then crowding distance; a trial tied with the last one kept (same
 * front, same crowding distance: two extremes of the first front, say) is kept too, so a
 * non-dominated newcomer is never stopped for arriving second. With one objective this is plain
 * ASHA.
 */
import { rankPoints, type ConstrainedPoint } from '../pareto/index.js';
import type { Space } from '../space/index.js';
import type { Pruner, PruneRequest, Trial } from '../study/index.js';
import { metricsAt, metricsWhenReached, PointMaker } from './reports.js';

export interface HalvingSettings {
  readonly minResource: number;
  /** Steps at or past this are not rungs; undefined: no limit. */
  readonly maxResource?: number;
  readonly reductionFactor: number;
}

/** Rung steps in (after, upTo], ascending. */
export function rungsBetween(s: HalvingSettings, after: number, upTo: number): number[] {
  const out: number[] = [];
  const last = Math.min(upTo, (s.maxResource ?? Infinity) - 1);
  for (let r = s.minResource; r <= last; r *= s.reductionFactor) if (r > after) out.push(r);
  return out;
}

export class SuccessiveHalving {
  readonly #settings: HalvingSettings;
  readonly #points: PointMaker;

  constructor(space: Space, settings: HalvingSettings) {
    this.#settings = settings;
    this.#points = new PointMaker(space);
  }

  /** Judges the request's trial at the rungs its last report reached, against `peers` only. */
  judge(request: PruneRequest, peers: readonly Trial[]): string | null {
    const { trial, step } = request;
    let before = -Infinity;
    for (const v of trial.intermediate) if (v.step < step && v.step > before) before = v.step;
    for (const rung of rungsBetween(this.#settings, before, step)) {
      const verdict = this.#atRung(trial, step, rung, peers);
      if (verdict) return verdict;
    }
    return null;
  }

  #atRung(trial: Trial, step: number, rung: number, peers: readonly Trial[]): string | null {
    const mine = metricsAt(trial, step);
    const objectives = this.#points.objectivesIn(mine);
    if (objectives.length === 0) return null;
    // Rivals in trial-number order, so that the last tie-break (input position) is the number.
    const entries: { number: number; point: ConstrainedPoint }[] = [];
    for (const peer of peers) {
      if (peer.number === trial.number) continue;
      const metrics = metricsWhenReached(peer, rung);
      const point = metrics && this.#points.point(metrics, objectives);
      if (point) entries.push({ number: peer.number, point });
    }
    entries.push({ number: trial.number, point: this.#points.point(mine, objectives)! });
    entries.sort((a, b) => a.number - b.number);
    const ranked = rankPoints(entries.map((e) => e.point));
    const n = ranked.length;
    const keep = Math.max(1, Math.floor(n / this.#settings.reductionFactor));
    const position = ranked.findIndex((r) => entries[r.index]!.number === trial.number);
    const me = ranked[position]!;
    const last = ranked[keep - 1]!;
    if (position < keep || (me.front === last.front && me.crowding === last.crowding)) return null;
    return `rank ${position + 1} of ${n} at the step-${rung} rung, which keeps ${keep} (by ${objectives.join(', ')})`;
  }
}

export class AshaPruner implements Pruner {
  readonly name = 'asha';
  readonly #halving: SuccessiveHalving;

  constructor(space: Space, settings: HalvingSettings) {
    this.#halving = new SuccessiveHalving(space, settings);
  }

  prune(request: PruneRequest): string | null {
    return this.#halving.judge(request, request.others);
  }
}
