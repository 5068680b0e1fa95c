/**
 * The live report of a running study, kept off the study loop's critical path.
 *
 * Building the report takes about a second at 500 trials, all of it on the main thread. `update`
 * only notes the newest history and schedules the rewrite with setImmediate: the loop tells the
 * result and launches the freed worker's next trial in the same turn (storage and the pool's
 * hand-off are promise continuations), so the rewrite runs after the next trials are running
 * rather than before. Rewrites never overlap and are coalesced: after a rewrite, the next waits
 * `minIntervalMs` or five times the last rewrite's cost, whichever is longer, so the report takes
 * at most about a sixth of the main thread; `flush` writes the final state. The balance fit comes
 * from the run's SharedBalance, so a history the refinement sampler has fitted is not fitted again.
 */
import type { SharedBalance } from '../balance/index.js';
import type { Space } from '../space/index.js';
import type { StudyRecord } from '../study/storage.js';
import type { Trial } from '../study/trial.js';
import type { ReportInput, ReportModel } from './types.js';
import { writeReport } from './write.js';

export interface LiveReportOptions {
  readonly path: string;
  readonly space: Space;
  readonly study: StudyRecord;
  /** The run's shared balance fit (one per history); without it each rewrite fits its own. */
  readonly balance?: SharedBalance;
  readonly declaredReference?: Readonly<Record<string, number>>;
  /** Least time between the end of one rewrite and the start of the next (default 2000 ms). */
  readonly minIntervalMs?: number;
  /** A rewrite that fails (full disk, say) is reported here; the study goes on. */
  readonly onError?: (err: unknown) => void;
}

export class LiveReport {
  readonly path: string;
  /** The model of the last rewrite, for the terminal summary. */
  model: ReportModel | undefined;
  /** Rewrites done so far. */
  writes = 0;
  #pending: readonly Trial[] | null = null;
  #writing: Promise<void> | null = null;
  #scheduled = false;
  #lastEnd = -Infinity;
  #lastCostMs = 0;

  constructor(private readonly options: LiveReportOptions) {
    this.path = options.path;
  }

  /** Note the newest history; the rewrite happens later (see the file comment). Never throws, never blocks. */
  update(trials: readonly Trial[]): void {
    this.#pending = trials;
    if (this.#scheduled || this.#writing) return;
    const gap = Math.max(this.options.minIntervalMs ?? 2000, 5 * this.#lastCostMs);
    if (performance.now() - this.#lastEnd < gap) return; // a later update, or flush, writes it
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#writing = this.#write().finally(() => {
        this.#writing = null;
      });
    });
  }

  /** Write `trials` now (after any rewrite in progress): the final state of a run. */
  async flush(trials: readonly Trial[]): Promise<void> {
    await this.#writing;
    this.#pending = trials;
    await this.#write();
  }

  async #write(): Promise<void> {
    const trials = this.#pending;
    if (trials === null) return;
    this.#pending = null;
    const t0 = performance.now();
    const { space, study, balance, declaredReference } = this.options;
    try {
      const input: ReportInput = {
        space,
        study,
        trials,
        ...(declaredReference ? { declaredReference } : {}),
        ...(balance ? { balance: balance.explain(trials) } : {}),
      };
      this.model = (await writeReport(input, this.path)).prepared.model;
      this.writes++;
    } catch (err) {
      this.options.onError?.(err);
    }
    this.#lastEnd = performance.now();
    this.#lastCostMs = this.#lastEnd - t0;
  }
}
