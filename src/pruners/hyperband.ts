/**
 * Hyperband (Li et al. 2018) over asynchronous successive halving, as Optuna's HyperbandPruner
 * runs it: brackets b = 0..B, B = ⌊log_η(maxResource / minResource)⌋, bracket b halving from
 * step minResource·η^b; each trial belongs to one bracket and is judged only against trials of
 * its bracket. Bracket b gets trials in proportion to Hyperband's
 * n_b = ⌈(B+1)/(B−b+1) · η^(B−b)⌉, so the aggressive brackets get most.
 *
 * A trial's bracket is a hash of its number (not a draw), so it is the same on every call, in
 * every process and after a resume, and neighbouring trial numbers spread over the brackets.
 */
import { deriveSeed } from '../math/index.js';
import type { Space } from '../space/index.js';
import type { Pruner, PruneRequest } from '../study/index.js';
import { SuccessiveHalving, type HalvingSettings } from './asha.js';

/** Stream id for the bracket hash. */
const BRACKET_STREAM = 0x4b7d;

export class HyperbandPruner implements Pruner {
  readonly name = 'hyperband';
  readonly #brackets: { readonly halving: SuccessiveHalving; readonly minResource: number }[] = [];
  /** Cumulative bracket weights: trial hash mod the last one picks the bracket. */
  readonly #cumulative: number[] = [];

  constructor(space: Space, settings: Required<HalvingSettings>) {
    const eta = settings.reductionFactor;
    let top = 0;
    while (settings.minResource * eta ** (top + 1) <= settings.maxResource) top++;
    let total = 0;
    for (let b = 0; b <= top; b++) {
      const minResource = settings.minResource * eta ** b;
      this.#brackets.push({ halving: new SuccessiveHalving(space, { ...settings, minResource }), minResource });
      total += Math.ceil(((top + 1) / (top - b + 1)) * eta ** (top - b));
      this.#cumulative.push(total);
    }
  }

  /** Bracket of trial `number` (0: the most aggressive). */
  bracketOf(number: number): number {
    const h = deriveSeed(BRACKET_STREAM, number) % this.#cumulative[this.#cumulative.length - 1]!;
    return this.#cumulative.findIndex((c) => h < c);
  }

  get brackets(): number {
    return this.#brackets.length;
  }

  prune(request: PruneRequest): string | null {
    const b = this.bracketOf(request.trial.number);
    const peers = request.others.filter((t) => this.bracketOf(t.number) === b);
    const verdict = this.#brackets[b]!.halving.judge(request, peers);
    return verdict && `${verdict}, bracket ${b} (from step ${this.#brackets[b]!.minResource})`;
  }
}
