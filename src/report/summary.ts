/**
 * The plain-text summary printed at the end of `sweetspot run`: the report header in a few lines
 * (trials by state, frontier size, S* with its interval, the recommended configuration, the
 * report's path). No colours, so it reads the same in a log file.
 */
import { analyse } from './analysis.js';
import { formatDuration, formatMetric, formatNumber, formatParams, plural } from '../format/index.js';
import { buildModel } from './model.js';
import { TRIAL_STATES } from '../study/trial.js';
import type { MeanSd, Replicated } from '../balance/index.js';
import type { ReportInput, ReportModel, TrialView } from './types.js';

export interface RunSummaryOptions {
  /** Path of the HTML report, printed last. */
  readonly reportPath?: string;
  /** A model already built (e.g. by the report writer), to avoid recomputing the analyses. */
  readonly model?: ReportModel;
}

/**
 * One configuration run several times (balance.repeats), as one line:
 * "trial #12 ×4 (#12, #37, #38, #39): E 0.8421 ± 0.0031; accuracy 0.951 ± 0.003, …".
 */
export function formatReplicated(r: Replicated): string {
  const meanSd = (name: string, v: MeanSd) => `${formatMetric(name, v.mean)} ± ${formatMetric(name, v.sd)}`;
  const metrics = Object.entries(r.metrics).map(([name, v]) => `${name} ${meanSd(name, v)}`);
  return `trial #${r.trial} ×${r.trials.length} (${r.trials.map((n) => `#${n}`).join(', ')}): E ${formatNumber(r.e.mean)} ± ${formatNumber(r.e.sd)}${metrics.length ? `; ${metrics.join(', ')}` : ''}`;
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
  lines.push(`Study ${model.study.name}: ${model.trials.length} trials (${states || 'none'}) in ${formatDuration(model.elapsedMs)}${backend}`);
  if (model.earlyStopping) lines.push(`Early stopping: ${model.earlyStopping}`);
  const pv = model.pareto;
  const metricNames = Object.keys(model.space.metrics);
  if (metricNames.length === 1) {
    const best = bestTrial(model, metricNames[0]!);
    lines.push(best ? `Best ${metricNames[0]}: ${formatMetric(metricNames[0]!, best.metrics![metricNames[0]!])} (trial #${best.number}: ${formatParams(best.params, model.paramNames)})` : 'Best: no complete trial yet');
  } else if (pv) {
    const hv = pv.hypervolume.length ? `; hypervolume ${formatNumber(pv.hypervolume[pv.hypervolume.length - 1]!.value)}` : '';
    const knee = pv.knee !== null ? `; knee trial #${pv.knee}` : '';
    lines.push(`Pareto front: ${plural(pv.front.length, 'trial')} over ${pv.objectives.join(', ')}${knee}${hv}`);
  } else lines.push(`Pareto front: ${model.paretoNote ?? 'not computed'}`);
  const b = model.balance;
  if (b) {
    const e = b.expectedE !== null ? `; expected E(S*) ${formatNumber(b.expectedE)}` : '';
    lines.push(`S* (${b.sizeMetric}): ${formatMetric(b.sizeMetric, 2 ** b.sStar.median)}, 90% interval ${formatMetric(b.sizeMetric, 2 ** b.sStar.lo)} – ${formatMetric(b.sizeMetric, 2 ** b.sStar.hi)}${e}`);
    const rec = b.recommended === null ? undefined : model.trials.find((t) => t.number === b.recommended);
    if (rec) {
      lines.push(`Recommended: trial #${rec.number}: ${formatParams(rec.params, model.paramNames)}`);
      const mets = Object.keys(model.space.metrics).map((m) => `${m} ${formatMetric(m, rec.metrics?.[m])}`);
      if (rec.e !== null) mets.push(`E ${formatNumber(rec.e)}`);
      lines.push(`             ${mets.join(', ')}`);
    } else lines.push('Recommended: none yet');
    for (const r of b.replicated) lines.push(`Repeated: ${formatReplicated(r)}`);
  } else lines.push(`Balance: ${model.balanceNote ?? 'not computed'}`);
  if (options.reportPath) lines.push(`Report: ${options.reportPath}`);
  return lines.join('\n');
}

/** The complete trial with the best value of a single objective, feasible ones first. */
function bestTrial(model: ReportModel, metric: string): TrialView | undefined {
  const sign = model.space.metrics[metric] === 'maximize' ? -1 : 1;
  const candidates = model.trials.filter((t) => t.state === 'complete' && t.metrics?.[metric] !== undefined);
  const feasible = candidates.filter((t) => t.feasible !== false);
  const pool = feasible.length > 0 ? feasible : candidates;
  return pool.reduce<TrialView | undefined>((best, t) => (best === undefined || sign * t.metrics![metric]! < sign * best.metrics![metric]! ? t : best), undefined);
}
