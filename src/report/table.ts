/**
 * The trial table and the list of failed trials, rendered as plain HTML so that they read without
 * the page script; the script adds sorting (click a header), the text filter and brush filtering.
 * Each cell carries its raw value in `data-v` so sorting is numeric where it should be.
 */
import { esc } from './escape.js';
import { formatDuration, formatMetric, formatParam } from '../format/index.js';
import type { ReportModel, TrialView } from './types.js';

interface Column {
  readonly key: string;
  readonly label: string;
  readonly value: (t: TrialView) => number | string | null;
  readonly text: (t: TrialView) => string;
}

export function tableColumns(model: ReportModel): Column[] {
  const cols: Column[] = [
    { key: 'number', label: '#', value: (t) => t.number, text: (t) => String(t.number) },
    { key: 'state', label: 'state', value: (t) => t.state, text: (t) => t.state },
  ];
  for (const p of model.paramNames)
    cols.push({ key: p, label: p, value: (t) => (t.params[p] === undefined ? null : (t.params[p] as number | string)), text: (t) => (t.params[p] === undefined ? '' : formatParam(t.params[p])) });
  for (const m of model.metricNames)
    cols.push({ key: m, label: m, value: (t) => t.metrics?.[m] ?? null, text: (t) => (t.metrics?.[m] === undefined ? '' : formatMetric(m, t.metrics[m])) });
  if (model.efficiency) cols.push({ key: 'E', label: 'E', value: (t) => t.e, text: (t) => (t.e === null ? '' : formatMetric('E', t.e)) });
  cols.push(
    { key: 'front', label: 'front', value: (t) => (t.onFront ? 1 : 0), text: (t) => (t.onFront ? '★' : '') },
    { key: 'feasible', label: 'feasible', value: (t) => (t.feasible === null ? null : t.feasible ? 1 : 0), text: (t) => (t.feasible === null ? '' : t.feasible ? 'yes' : 'no') },
    { key: 'duration', label: 'duration', value: (t) => t.durationMs, text: (t) => formatDuration(t.durationMs) },
  );
  if (model.trials.some((t) => t.note !== null)) cols.push({ key: 'note', label: 'note', value: (t) => t.note, text: (t) => t.note ?? '' });
  return cols;
}

export function trialTable(model: ReportModel): string {
  const cols = tableColumns(model);
  const head = cols.map((c, i) => `<th data-col="${i}" data-key="${esc(c.key)}" title="sort by ${esc(c.label)}">${esc(c.label)}</th>`).join('');
  const rec = model.balance?.recommended ?? null;
  const rows = model.trials
    .map((t) => {
      const cls = [t.state, t.onFront ? 'front' : '', t.feasible === false ? 'infeasible' : '', t.number === rec ? 'recommended' : ''].filter(Boolean).join(' ');
      const cells = cols
        .map((c) => {
          const v = c.value(t);
          return `<td${v === null ? '' : ` data-v="${esc(v)}"`}>${esc(c.text(t))}</td>`;
        })
        .join('');
      return `<tr data-t="${t.number}" class="${cls}">${cells}</tr>`;
    })
    .join('\n');
  return (
    `<div class="table-tools"><input id="table-filter" type="search" placeholder="filter: text, or e.g. bits=4 accuracy>0.9 state=failed" aria-label="filter trials">` +
    ` <span id="table-count">${model.trials.length} of ${model.trials.length} trials</span>` +
    ` <button id="clear-brush" type="button" hidden>clear brushes</button></div>` +
    `<div class="table-wrap"><table id="trial-table"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`
  );
}

/**
 * The shape of an error message with its numbers blanked, so that "failed at x=0.12" and "failed
 * at x=0.57" count as one cause.
 */
export function errorCause(error: string | null): string {
  return (error ?? '(no error message recorded)').replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, '#');
}

/** Failed trials grouped by cause, the most frequent cause first (ties: the earliest trial first). */
export function failureGroups(model: ReportModel): { cause: string; trials: TrialView[] }[] {
  const groups = new Map<string, TrialView[]>();
  for (const t of model.trials) {
    if (t.state !== 'failed') continue;
    const cause = errorCause(t.error);
    groups.set(cause, [...(groups.get(cause) ?? []), t]);
  }
  return [...groups].map(([cause, trials]) => ({ cause, trials })).sort((a, b) => b.trials.length - a.trials.length || a.trials[0]!.number - b.trials[0]!.number);
}

export function failedList(model: ReportModel): string {
  const groups = failureGroups(model);
  if (groups.length === 0) return '<p class="note">No trial failed.</p>';
  const item = (t: TrialView): string =>
    `<li data-t="${t.number}"><b>#${t.number}</b> <span class="params">${esc(model.paramNames.map((p) => `${p}=${formatParam(t.params[p])}`).join(', '))}</span>${t.error !== groups.find((g) => g.trials.includes(t))!.trials[0]!.error ? `<pre>${esc(t.error ?? '')}</pre>` : ''}</li>`;
  const sections = groups
    .map((g) => {
      const first = g.trials[0]!;
      const count = g.trials.length === 1 ? '1 trial' : `${g.trials.length} trials`;
      return `<li class="cause"><div><b>${count}</b> failed with:</div><pre>${esc(first.error ?? '(no error message recorded)')}</pre><details><summary>which trials</summary><ul>${g.trials.map(item).join('')}</ul></details></li>`;
    })
    .join('\n');
  return `<ul id="failed-list" class="failures">\n${sections}\n</ul>`;
}
