/**
 * The Sampler contract (after Optuna's BaseSampler, reduced to one required method).
 *
 * The study loop calls `propose(k, history)` on the main thread whenever k workers are free; it
 * never calls it twice at once. `history.running` holds trials that are in flight right now: a
 * model-based sampler must account for them (fantasies, Kriging believer) so the pool does not
 * evaluate near-duplicates. Proposals must be valid configurations of the space. A sampler must be
 * deterministic given its seed and the history (same seed, same history → same proposals), which
 * is what makes `workers = 1` runs reproducible and resumed studies continue the same sequence.
 */
import type { Params, Space } from '../space/index.js';
import type { Trial } from './trial.js';

export interface SamplerHistory {
  /** Finished trials (complete, failed), in trial-number order. */
  readonly finished: readonly Trial[];
  /** Trials started but not finished, in trial-number order. */
  readonly running: readonly Trial[];
  /** Number the first proposal will get; proposal i gets `nextNumber + i`. */
  readonly nextNumber: number;
}

export interface Sampler {
  readonly name: string;
  propose(k: number, history: SamplerHistory): Promise<Params[]>;
}

export interface SamplerOptions {
  readonly space: Space;
  readonly seed: number;
  /** Free-form options from the space file's `sampler:` block (besides name and initial). */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly initial?: number;
}

export type SamplerFactory = (options: SamplerOptions) => Sampler;
