/**
 * The plain-text summary printed at the end of `sweetspot run`: the report header in a few lines
 * (trials by state, frontier size, S* with its interval, the recommended configuration, the
 * report's path). No colours, so it reads the same in a log file.
 */
import { analyse } from './analysis.js';
import { fmtLog2Size } from './html.js';
import { fmtDuration, fmtMetric, fmtNum, fmtParams } from './format.js';
import { buildModel } from './model.js';
import { formatStepsSpent } from '../pruners/index.js';
import { TRIAL_STATES } from '../study/trial.js';
import type { ReportInput, ReportModel } from './types.js';

export interface RunSummaryOptions {
  /** Path of the HTML report, printed last. */
  readonly reportPath?: string;
  /** A model already built (e.g. by the report writer), to avoid recomputing the analyses. */
  readonly model?: ReportModel;
}

export function formatRunSummary(input: ReportInput, options: RunSummaryOptions = {}): string {
  const model = options.model ?? buildModel(input, analyse(input.space, input.trials, input));
  const { counts } = model;
  const states = TRIAL_STATES
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
  const lines: string[] = [];
  const backend = model.backends.length ? ` on ${model.backends.join(', ')}` : '';
  lines.push(`Study ${model.study.name}: ${model.trials.length} trials (${states || 'none'}) in ${fmtDuration(model.elapsedMs)}${backend}`);
  if (model.stepsSpent) lines.push(`Early stopping (${model.space.pruner.name}): ${formatStepsSpent(model.stepsSpent)}`);
  const pv = model.pareto;
  if (pv) {
    const hv = pv.hypervolume.length ? `; hypervolume ${fmtNum(pv.hypervolume[pv.hypervolume.length - 1]!.value)}` : '';
    const knee = pv.knee !== null ? `; knee trial #${pv.knee}` : '';
    lines.push(`Pareto front: ${pv.front.length} trials over ${pv.objectives.join(', ')}${knee}${hv}`);
  } else lines.push(`Pareto front: ${model.paretoNote ?? 'not computed'}`);
  const b = model.balance;
  if (b) {
    const e = b.expectedE !== null ? `; expected E(S*) ${fmtNum(b.expectedE)}` : '';
    lines.push(`S* (${b.sizeMetric}): ${fmtLog2Size(b.sizeMetric, b.sStar.median)}, 90% interval ${fmtLog2Size(b.sizeMetric, b.sStar.lo)} – ${fmtLog2Size(b.sizeMetric, b.sStar.hi)}${e}`);
    const rec = b.recommended === null ? undefined : model.trials.find((t) => t.number === b.recommended);
    if (rec) {
      lines.push(`Recommended: trial #${rec.number}: ${fmtParams(rec.params, model.paramNames)}`);
      const mets = Object.keys(model.space.metrics).map((m) => `${m} ${fmtMetric(m, rec.metrics?.[m])}`);
      if (rec.e !== null) mets.push(`E ${fmtNum(rec.e)}`);
      lines.push(`             ${mets.join(', ')}`);
    } else lines.push('Recommended: none yet');
  } else lines.push(`Balance: ${model.balanceNote ?? 'not computed'}`);
  if (options.reportPath) lines.push(`Report: ${options.reportPath}`);
  return lines.join('\n');
}
