/**
 * Parameter importance as bars: one panel per metric (and E), one bar per parameter with a ±1
 * standard-error whisker; the panel title gives the forest's out-of-bag R² so a reader can tell
 * a well-explained metric from a noisy one.
 */
import { esc } from '../escape.js';
import { formatNumber } from '../../format/index.js';
import { emptyChart, px, svgOpen, textWidth } from '../svg.js';
import type { Chart, ReportModel } from '../types.js';

export const IMPORTANCE_ID = 'chart-importance';

export function importanceChart(model: ReportModel): Chart {
  const title = 'Parameter importance';
  const imp = model.importance;
  const W = 640;
  if (imp.targets.length === 0) {
    const why = imp.skipped.map((s) => `${s.metric} ${s.reason}`).join('; ') || 'no metrics';
    return { id: IMPORTANCE_ID, title, svg: emptyChart(IMPORTANCE_ID, W, 120, `importance not computed: ${why}`), caption: imp.method, marks: 0 };
  }
  const params = model.paramNames;
  const labelW = 10 + Math.max(...params.map((p) => p.length)) * 6.5;
  const k = imp.targets.length;
  const panelW = (W - labelW - 10) / k;
  const rowH = 20;
  const top = 34;
  const H = top + params.length * rowH + 24;
  const max = Math.max(0.05, ...imp.targets.flatMap((t) => t.scores.map((s) => s.importance + s.stderr)));
  let body = '';
  params.forEach((p, j) => {
    body += `<text x="${px(labelW - 6)}" y="${px(top + j * rowH + rowH / 2)}" dy="0.32em" text-anchor="end">${esc(p)}</text>`;
  });
  let marks = 0;
  imp.targets.forEach((t, i) => {
    const x0 = labelW + i * panelW;
    // Room on the right of the longest bar for its value label.
    const bw = panelW - 14 - textWidth('0.00');
    const sx = (v: number): number => x0 + (Math.max(0, v) / max) * bw;
    body += `<text class="label" x="${px(x0 + bw / 2)}" y="14" text-anchor="middle">${esc(t.metric)}${t.transform === 'log10' ? ' (log10)' : ''}</text>`;
    body += `<text x="${px(x0 + bw / 2)}" y="27" text-anchor="middle" fill="#666">OOB R² ${formatNumber(t.oobR2, 2)}, n=${t.n}</text>`;
    body += `<line class="axisline" x1="${px(x0)}" x2="${px(x0)}" y1="${top}" y2="${top + params.length * rowH}" stroke="#888"/>`;
    if (!(t.oobR2 > 0)) {
      // A forest that predicts worse than the mean has nothing to attribute: bars would be noise.
      const mid = top + (params.length * rowH) / 2;
      body += `<text class="no-signal" data-metric="${esc(t.metric)}" x="${px(x0 + 8)}" y="${px(mid - 7)}" fill="#666">no signal: the forest</text>`;
      body += `<text x="${px(x0 + 8)}" y="${px(mid + 7)}" fill="#666">predicts no better than the mean</text>`;
      return;
    }
    t.scores.forEach((s, j) => {
      const yc = top + j * rowH + rowH / 2;
      body += `<rect class="bar" data-metric="${esc(t.metric)}" data-param="${esc(s.param)}" data-importance="${formatNumber(s.importance, 3)}" x="${px(x0)}" y="${px(yc - 6)}" width="${px(sx(s.importance) - x0)}" height="12"/>`;
      body += `<line class="whisker" x1="${px(sx(s.importance - s.stderr))}" x2="${px(sx(s.importance + s.stderr))}" y1="${px(yc)}" y2="${px(yc)}"/>`;
      // The value sits right of the whisker unless it would run into the next panel: then inside the panel's end.
      const value = s.importance.toFixed(2);
      const tx = sx(s.importance + s.stderr) + 4;
      const fits = tx + textWidth(value) <= x0 + panelW - 2;
      body += `<text x="${px(fits ? tx : x0 + panelW - 4)}" y="${px(yc)}" dy="0.32em" fill="#555"${fits ? '' : ' text-anchor="end"'}>${value}</text>`;
      marks++;
    });
  });
  body += `<text x="${px(labelW)}" y="${H - 6}" fill="#666">share of the metric's variance lost when the parameter is shuffled (0 = no effect)</text>`;
  const skipped = imp.skipped.length ? ` Not computed: ${imp.skipped.map((s) => `${s.metric} (${s.reason})`).join('; ')}.` : '';
  return { id: IMPORTANCE_ID, title, svg: `${svgOpen(IMPORTANCE_ID, W, H, 'parameter importance')}${body}</svg>`, caption: imp.method + skipped, marks };
}
