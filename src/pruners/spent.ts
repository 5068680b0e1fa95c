/**
 * The compute early stopping saved, in steps (epochs for the compression trial): what the finished
 * trials spent against what they would have spent run to their end. A trial's full length is the
 * longest a complete trial ran (the objective decides it, not the pruner); complete and failed
 * trials count at the length they ran, pruned ones at the full length.
 */
import { isFinished, type Trial } from '../study/index.js';

export interface StepsSpent {
  /** Steps the finished trials ran (each trial's last reported step). */
  readonly spent: number;
  /** Steps they would have run without pruning. */
  readonly full: number;
  readonly pruned: number;
}

/** null when no trial was pruned, or no trial completed to show the full length. */
export function stepsSpent(trials: readonly Trial[]): StepsSpent | null {
  const last = (t: Trial): number => t.intermediate.reduce((m, v) => Math.max(m, v.step), 0);
  const fullLength = Math.max(0, ...trials.filter((t) => t.state === 'complete').map(last));
  const pruned = trials.filter((t) => t.state === 'pruned').length;
  if (pruned === 0 || fullLength === 0) return null;
  let spent = 0;
  let full = 0;
  for (const t of trials) {
    if (!isFinished(t.state)) continue;
    spent += last(t);
    full += t.state === 'pruned' ? Math.max(fullLength, last(t)) : last(t);
  }
  return { spent, full, pruned };
}

/** "12 pruned; 1,240 of 3,000 steps run (41%)". */
export function formatStepsSpent(s: StepsSpent): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${s.pruned} pruned; ${n(s.spent)} of ${n(s.full)} steps run (${Math.round((100 * s.spent) / s.full)}%)`;
}
