/**
 * What `run` and `resume` print when the loop ends: the report's summary in a few lines, then how
 * the run itself went (worker utilisation, why it stopped). Apart from the composition root in
 * commands/run.ts so that the root only wires.
 */
import { formatDuration, plural } from '../format/index.js';
import { formatRunSummary, type ReportModel } from '../report/index.js';
import type { Space } from '../space/index.js';
import type { RunStudySummary, StudyRecord } from '../study/index.js';
import { printJson, type GlobalArgs } from './session.js';
import { redactLocation } from '../storage/index.js';

export interface RunOutcome {
  readonly study: StudyRecord;
  readonly space: Space;
  readonly summary: RunStudySummary;
  /** The HTML report's path, when one was written. */
  readonly reportPath?: string;
  /** The model of the report written last (it describes exactly these trials): its analyses are reused. */
  readonly model?: ReportModel;
  /** The built-in benchmark's declared reference point, for the hypervolume when no model is given. */
  readonly declaredReference?: Readonly<Record<string, number>>;
}

/** Why the loop ended, as a sentence; empty when it used up its trial budget. */
export function stoppedSentence(stoppedBy: RunStudySummary['stoppedBy']): string {
  switch (stoppedBy) {
    case 'budget':
      return '';
    case 'timeout':
      return 'Stopped at the study timeout.';
    case 'stop':
      return 'Stopped on request: running trials were allowed to finish.';
    case 'abort':
      return 'Aborted: running trials were stopped.';
  }
}

export function printRunSummary(args: GlobalArgs, outcome: RunOutcome): void {
  const { study, space, summary, reportPath, model, declaredReference } = outcome;
  const counts: Record<string, number> = {};
  for (const t of summary.trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  if (args.json) {
    printJson({ study: study.name, counts, elapsedMs: summary.elapsedMs, utilization: summary.utilization, stoppedBy: summary.stoppedBy, storage: redactLocation(args.storage), report: reportPath ?? null });
    return;
  }
  const input = { space, study, trials: summary.trials, ...(declaredReference ? { declaredReference } : {}) };
  const text = formatRunSummary(input, { ...(reportPath ? { reportPath } : {}), ...(model ? { model } : {}) });
  const stopped = stoppedSentence(summary.stoppedBy);
  const run = `Worker utilization ${(summary.utilization * 100).toFixed(0)}% over ${formatDuration(summary.elapsedMs)} (${plural(summary.launched, 'trial')} launched by this run).`;
  process.stdout.write(`${text}\n${run}${stopped ? ` ${stopped}` : ''}\n`);
}
