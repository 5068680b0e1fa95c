/**
 * One balance fit per history, shared by everything that asks during a run (the refinement
 * sampler on its refinement slots, the live report after trials finish): the fit costs about a
 * second at 500 trials, and both would otherwise fit the same surrogate to the same trials.
 *
 * A result depends only on the complete trials (balancePoints ignores the rest), and a finished
 * trial never changes, so the numbers of the complete trials identify it. The last result is
 * kept; the default options (seed 0, 1000 draws) are those of `sweetspot balance` and `report`,
 * so the live report shows what those commands print for the same trials.
 */
import type { Space } from '../space/index.js';
import type { Trial } from '../study/index.js';
import { explainBalance, type BalanceExplanation, type BalanceOptions } from './balance.js';

export class SharedBalance {
  #key: string | null = null;
  #value: BalanceExplanation | null = null;
  /** Fits computed so far (a cache hit computes none). */
  fits = 0;

  constructor(
    readonly space: Space,
    private readonly options: BalanceOptions = {},
  ) {}

  explain(trials: readonly Trial[]): BalanceExplanation {
    const key = trials
      .filter((t) => t.state === 'complete')
      .map((t) => t.number)
      .sort((a, b) => a - b)
      .join(',');
    if (key !== this.#key || this.#value === null) {
      this.#value = explainBalance(this.space, trials, this.options);
      this.#key = key;
      this.fits++;
    }
    return this.#value;
  }
}
