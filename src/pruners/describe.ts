/**
 * A pruner's settings and what it saved, in words, for the places that name a study's pruner:
 * `status`, `studies`, the run's first line, the end-of-run summary and the report.
 */
import type { PrunerConfig } from '../space/index.js';
import type { Trial } from '../study/index.js';
import { formatStepsSpent, stepsSpent } from './spent.js';

/** "hyperband η=2, steps 1–4", "asha η=3, rungs from step 1", "median after 5 complete trials", "none". */
export function describePruner(p: PrunerConfig): string {
  switch (p.name) {
    case 'none':
      return 'none';
    case 'asha':
      return `asha η=${p.reductionFactor}, rungs from step ${p.minResource}${p.maxResource === undefined ? '' : ` below step ${p.maxResource}`}`;
    case 'hyperband':
      return `hyperband η=${p.reductionFactor}, steps ${p.minResource}–${p.maxResource}`;
    case 'median':
      return `median after ${p.startupTrials} complete trials, from step ${p.warmupSteps}${p.interval === 1 ? '' : ` every ${p.interval} steps`}`;
  }
}

/**
 * "hyperband η=2, steps 1–4: 12 pruned; 1,240 of 3,000 steps run (41%)"; "…: nothing pruned yet";
 * null for a study without a pruner that pruned nothing.
 */
export function describeEarlyStopping(p: PrunerConfig, trials: readonly Trial[]): string | null {
  const spent = stepsSpent(trials);
  // A study resumed with --pruner none keeps the trials an earlier pruner stopped.
  const name = p.name === 'none' ? 'none now' : describePruner(p);
  if (spent) return `${name}: ${formatStepsSpent(spent)}`;
  const pruned = trials.filter((t) => t.state === 'pruned').length;
  // Steps saved need a complete trial to show a trial's full length.
  if (pruned > 0) return `${name}: ${pruned} pruned`;
  return p.name === 'none' ? null : `${describePruner(p)}: nothing pruned yet`;
}
