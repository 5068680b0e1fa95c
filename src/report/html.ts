/**
 * Page assembly: header (study facts, recommendation, S*), the charts, the trial table and the
 * failed trials, with the style, the data block and the page script inline. Nothing is loaded
 * from anywhere: the file reads the same offline, attached to an e-mail or opened years later.
 */
import { balanceChart, curvesChart, hypervolumeChart, importanceChart, parallelChart, paretoChart } from './charts/index.js';
import { reportClient, type ClientData } from './client.js';
import { esc, fmtBits, fmtDuration, fmtMetric, fmtNum, fmtParam } from './format.js';
import { formatStepsSpent } from '../pruners/index.js';
import { TRIAL_STATES } from '../study/trial.js';
import { PAGE_CSS } from './style.js';
import { failedList, trialTable } from './table.js';
import type { Chart, ReportModel } from './types.js';

/** Every chart of the report, in page order. */
export function renderCharts(model: ReportModel): Chart[] {
  return [paretoChart(model), balanceChart(model), hypervolumeChart(model), curvesChart(model), parallelChart(model), importanceChart(model)];
}

/** S* (log2 S) as text in the size metric's unit. */
export function fmtLog2Size(metric: string, log2: number): string {
  return /(^|_)bits$/.test(metric) ? `${fmtBits(2 ** log2)} (2^${fmtNum(log2, 3)} bits)` : `${fmtNum(2 ** log2)} (2^${fmtNum(log2, 3)})`;
}

function header(model: ReportModel): string {
  const { study, space, counts } = model;
  const live = counts.running + counts.waiting > 0;
  const states = TRIAL_STATES
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(' · ');
  const objective = space.objective.builtin ? `builtin ${space.objective.builtin}` : `module ${space.objective.module ?? ''}`;
  const facts = [
    ['trials', `${model.trials.length}${space.budget.trials ? ` of ${space.budget.trials}` : ''}${states ? ` (${states})` : ''}`],
    ['elapsed', fmtDuration(model.elapsedMs)],
    ['backend', model.backends.length ? model.backends.join(', ') : 'not reported'],
    ['objective', objective],
    ['metrics', Object.entries(space.metrics).map(([m, d]) => `${m} (${d})`).join(', ')],
    ['constraints', space.constraints.length ? space.constraints.map((c) => c.text).join('; ') : 'none'],
    ['sampler', space.sampler.name],
    ...(model.stepsSpent ? [['early stopping', formatStepsSpent(model.stepsSpent)]] : []),
    ['seed', String(study.seed)],
    ['updated', `${model.generatedAt.replace('T', ' ').slice(0, 19)} UTC${live ? ' (rewritten after each trial: reload for the latest)' : ''}`],
  ];
  let h = `<header><h1>${esc(study.name)} <small>sweetspot trade-off report${live ? '<span class="live">running</span>' : ''}</small></h1>`;
  h += `<div class="facts">${facts.map(([k, v]) => `<span>${esc(k)}: <b>${esc(v)}</b></span>`).join('')}</div>`;
  h += recommendation(model);
  return h + '</header>';
}

function recommendation(model: ReportModel): string {
  const b = model.balance;
  const pv = model.pareto;
  const parts: string[] = [];
  if (b) {
    parts.push(
      `<div><div>balance point S* (${esc(b.sizeMetric)})</div><div class="big" id="sstar">${esc(fmtLog2Size(b.sizeMetric, b.sStar.median))}</div>` +
        `<div>90% interval ${esc(fmtLog2Size(b.sizeMetric, b.sStar.lo))} – ${esc(fmtLog2Size(b.sizeMetric, b.sStar.hi))}</div>` +
        `${b.expectedE !== null ? `<div>expected E(S*) = ${esc(fmtNum(b.expectedE))}</div>` : ''}</div>`,
    );
    const rec = b.recommended === null ? undefined : model.trials.find((t) => t.number === b.recommended);
    if (rec) {
      const cfg = model.paramNames.map((p) => `<code>${esc(p)}=${esc(fmtParam(rec.params[p]))}</code>`).join('');
      const mets = Object.keys(model.space.metrics)
        .map((m) => `${esc(m)} ${esc(fmtMetric(m, rec.metrics?.[m]))}`)
        .join(' · ');
      parts.push(`<div class="cfg" id="recommended"><div>recommended configuration: <b data-t="${rec.number}">trial #${rec.number}</b></div><div>${cfg}</div><div>${mets}${rec.e !== null ? ` · E ${esc(fmtNum(rec.e))}` : ''}</div></div>`);
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
      n: t.number,
      s: t.state,
      p: t.params,
      m: t.metrics,
      a: t.attrs,
      e: t.error,
      E: t.e,
      t0: t.startedAt,
      t1: t.finishedAt,
      d: t.durationMs,
      iv: t.curve.length,
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
  const body =
    `<main><div class="grid">${section(get('chart-pareto'))}${section(get('chart-balance'))}</div>` +
    `<div class="grid">${section(get('chart-hypervolume'))}${section(get('chart-curves'))}</div>` +
    section(get('chart-parallel'), true) +
    section(get('chart-importance')) +
    `<section class="card"><h2>Trials</h2>${trialTable(model)}<p class="caption">Click a header to sort; click a row for the trial's details.</p></section>` +
    `<section class="card"><h2>Failed trials (${model.counts.failed})</h2>${failedList(model)}</section></main>`;
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
