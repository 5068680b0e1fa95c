/**
 * Failed trials as a user reads them: an error is printed in full the first time it is seen and
 * referred to after that, and a run whose trials all failed ends with the most common error once.
 */
import type { Trial } from '../study/index.js';

/** Remembers which errors were printed, so fifty identical failures print one message. */
export class FailureNotes {
  readonly #firstSeen = new Map<string, number>();

  /** The line to print for a failed trial. */
  note(trial: Trial): string {
    const error = trial.error ?? 'no reason given';
    const first = this.#firstSeen.get(error);
    if (first !== undefined) return `trial ${trial.number} failed: same error as trial ${first}`;
    this.#firstSeen.set(error, trial.number);
    return `trial ${trial.number} failed: ${error}`;
  }
}

/** The message for a study none of whose finished trials completed, with the most common error; null otherwise. */
export function allFailedMessage(trials: readonly Trial[]): string | null {
  const failed = trials.filter((t) => t.state === 'failed');
  if (failed.length === 0 || trials.some((t) => t.state === 'complete' || t.state === 'pruned')) return null;
  const counts = new Map<string, number>();
  for (const t of failed) counts.set(t.error ?? 'no reason given', (counts.get(t.error ?? 'no reason given') ?? 0) + 1);
  const [error, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return `all ${failed.length} trials failed; most common error (${n} of ${failed.length}): ${error}`;
}
