/**
 * Page assembly: header (study facts, recommendation, S*), the charts, the trial table and the
 * failed trials, with the style, the data block and the page script inline. Nothing is loaded
 * from anywhere: the file reads the same offline, attached to an e-mail or opened years later.
 */
import { balanceChart, curvesChart, hypervolumeChart, importanceChart, parallelChart, paretoChart, timelineChart } from './charts/index.js';
import { reportClient, type ClientData } from './client.js';
import { STUDY_NOTE_KEY } from '../study/index.js';
import { TRIAL_STATES } from '../study/trial.js';
import { esc } from './escape.js';
import { formatDuration, formatMetric, formatNumber, formatParam } from '../format/index.js';
import { PAGE_CSS } from './style.js';
import { formatReplicated } from './summary.js';
import { failedList, trialTable } from './table.js';
import type { Chart, ReportModel } from './types.js';

/** Every chart of the report, in page order. */
export function renderCharts(model: ReportModel): Chart[] {
  return [paretoChart(model), balanceChart(model), hypervolumeChart(model), curvesChart(model), parallelChart(model), importanceChart(model), timelineChart(model)];
}

function header(model: ReportModel): string {
  const { study, space, counts } = model;
  const live = counts.running + counts.waiting > 0;
  const states = TRIAL_STATES
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(' · ');
  const { builtin, module, command } = space.objective;
  const objective = builtin ? `builtin ${builtin}` : module ? `module ${module}` : `command ${command!.argv.join(' ')}`;
  const facts = [
    // The space's budget is the one the study was last given (storedSpace applies a --trials);
    // never below the trials there are.
    ['trials', `${model.trials.length} of ${Math.max(space.budget.trials, model.trials.length)}${states ? ` (${states})` : ''}`],
    ['elapsed', formatDuration(model.elapsedMs)],
    ['backend', model.backends.length ? model.backends.join(', ') : 'not reported'],
    ['objective', objective],
    ['metrics', Object.entries(space.metrics).map(([m, d]) => `${m} (${d})`).join(', ')],
    ['constraints', space.constraints.length ? space.constraints.map((c) => c.text).join('; ') : 'none'],
    ['sampler', space.sampler.name],
    ...(model.earlyStopping ? [['early stopping', model.earlyStopping]] : []),
    ['seed', String(study.seed)],
    ['updated', `${model.generatedAt.replace('T', ' ').slice(0, 19)} UTC${live ? ' (rewritten after each trial: reload for the latest)' : ''}`],
  ];
  let h = `<header><h1>${esc(study.name)} <small>sweetspot trade-off report${live ? '<span class="live">running</span>' : ''}</small></h1>`;
  h += `<div class="facts">${facts.map(([k, v]) => `<span>${esc(k)}: <b>${esc(v)}</b></span>`).join('')}</div>`;
  const note = study.attrs[STUDY_NOTE_KEY];
  if (note) h += `<p class="note" id="study-note">${esc(note)}</p>`;
  // With no complete trial the recommendation would only say so; the page body says why instead.
  if (model.counts.complete > 0 || model.counts.failed === 0) h += recommendation(model);
  return h + '</header>';
}

function recommendation(model: ReportModel): string {
  const b = model.balance;
  const pv = model.pareto;
  const parts: string[] = [];
  if (b) {
    parts.push(
      `<div><div>balance point S* (${esc(b.sizeMetric)})</div><div class="big" id="sstar">${esc(formatMetric(b.sizeMetric, 2 ** b.sStar.median))}</div>` +
        `<div>90% interval ${esc(formatMetric(b.sizeMetric, 2 ** b.sStar.lo))} – ${esc(formatMetric(b.sizeMetric, 2 ** b.sStar.hi))}</div>` +
        `${b.expectedE !== null ? `<div>expected E(S*) = ${esc(formatNumber(b.expectedE))}</div>` : ''}</div>`,
    );
    const rec = b.recommended === null ? undefined : model.trials.find((t) => t.number === b.recommended);
    if (rec) {
      const cfg = model.paramNames.map((p) => `<code>${esc(p)}=${esc(formatParam(rec.params[p]))}</code>`).join('');
      const mets = Object.keys(model.space.metrics)
        .map((m) => `${esc(m)} ${esc(formatMetric(m, rec.metrics?.[m]))}`)
        .join(' · ');
      const repeated = b.replicated.map((r) => `<div class="repeated">repeated: ${esc(formatReplicated(r))}</div>`).join('');
      parts.push(`<div class="cfg" id="recommended"><div>recommended configuration: <b data-t="${rec.number}">trial #${rec.number}</b></div><div>${cfg}</div><div>${mets}${rec.e !== null ? ` · E ${esc(formatNumber(rec.e))}` : ''}</div>${repeated}</div>`);
    } else parts.push('<div>no recommended trial yet</div>');
  } else parts.push(`<div><div>balance</div><div class="note">${esc(model.balanceNote ?? 'not computed')}</div></div>`);
  if (pv) {
    const knee = pv.knee ?? b?.knee ?? null;
    parts.push(`<div><div>Pareto front</div><div class="big">${pv.front.length} trials</div>${knee !== null ? `<div>knee: trial #${knee}</div>` : ''}</div>`);
  } else if (model.paretoNote) parts.push(`<div><div>Pareto front</div><div class="note">${esc(model.paretoNote)}</div></div>`);
  return `<div class="rec">${parts.join('')}</div>`;
}

function section(chart: Chart, wide = false): string {
  return `<section class="card${wide ? ' wide' : ''}"><h2>${esc(chart.title)}</h2><div class="scroll">${chart.svg}</div>${chart.caption ? `<p class="caption">${esc(chart.caption)}</p>` : ''}</section>`;
}

function clientData(model: ReportModel): ClientData {
  return {
    params: model.paramNames,
    metrics: model.metricNames,
    headline: Object.keys(model.space.metrics),
    trials: model.trials.map((t) => ({
      number: t.number,
      state: t.state,
      params: Object.fromEntries(model.paramNames.map((p) => [p, formatParam(t.params[p])])),
      metrics: t.metrics === null ? null : Object.fromEntries(Object.entries(t.metrics).map(([m, v]) => [m, formatMetric(m, v)])),
      attrs: t.attrs,
      error: t.error,
      efficiency: t.e === null ? null : formatNumber(t.e),
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      duration: formatDuration(t.durationMs),
      intermediateCount: t.curve.length,
      note: t.note,
    })),
  };
}

/** JSON safe inside a <script> element: no `</script>` or `<!--` can close or confuse it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderPage(model: ReportModel, charts: readonly Chart[]): string {
  const byId = new Map(charts.map((c) => [c.id, c]));
  const get = (id: string): Chart => byId.get(id)!;
  const table = `<section class="card"><h2>Trials</h2>${trialTable(model)}<p class="caption">Click a header to sort; click a row for the trial's details.</p></section>`;
  const failures = `<section class="card"><h2>Failed trials (${model.counts.failed})</h2>${failedList(model)}</section>`;
  // With no complete trial every analysis card would only say so: show why the trials failed first.
  const body =
    model.counts.complete === 0 && model.counts.failed > 0
      ? `<main><p class="note" id="no-complete">No trial has completed yet, so there is no front, balance point or importance to show; the failures are grouped by cause below, the most frequent first.</p>${failures}${section(get('chart-timeline'), true)}${table}</main>`
      : `<main><div class="grid">${section(get('chart-pareto'))}${section(get('chart-balance'))}</div>` +
        `<div class="grid">${section(get('chart-hypervolume'))}${section(get('chart-curves'))}</div>` +
        section(get('chart-parallel'), true) +
        section(get('chart-importance')) +
        section(get('chart-timeline'), true) +
        table +
        failures +
        '</main>';
  const footer = `<footer>Generated ${esc(model.generatedAt)} by sweetspot from study <b>${esc(model.study.name)}</b> (space ${esc(model.space.file)}, sha256 ${esc(model.space.hash.slice(0, 12))}). Self-contained: no network access needed.</footer>`;
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(model.study.name)} · sweetspot report</title><style>${PAGE_CSS}</style></head><body>` +
    header(model) +
    body +
    footer +
    `<div id="tip" hidden></div><aside id="details" hidden></aside>` +
    `<script type="application/json" id="ss-data">${scriptJson(clientData(model))}</script>` +
    `<script>(${reportClient.toString()})();</script></body></html>\n`
  );
}
