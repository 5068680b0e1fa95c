/**
 * The balance plot: efficiency E against log2 S. Trials as points (the frontier the surrogate was
 * fitted to in full colour, the rest faded), the surrogate's posterior mean with its 90% band, and S*
 * with its 90% credible interval as a shaded vertical strip.
 */
import { formatBytes, formatNumber, isSizeInBits } from '../../format/index.js';
import { bottomAxis, emptyChart, extent, frame, leftAxis, linePath, linearScale, px, svgOpen } from '../svg.js';
import type { Chart, ReportModel } from '../types.js';
import { colouring, legend } from './colour.js';

export const BALANCE_ID = 'chart-balance';
const W = 640;
const H = 400;

export function balanceChart(model: ReportModel): Chart {
  const title = 'Balance: efficiency E against size S';
  const b = model.balance;
  if (!b) return { id: BALANCE_ID, title, svg: emptyChart(BALANCE_ID, W, H, model.balanceNote ?? 'no balance analysis'), caption: '', marks: 0 };
  const sm = b.sizeMetric;
  const used = new Set(b.points.map((p) => p.trial));
  const byNumber = new Map(model.trials.map((t) => [t.number, t]));
  // Every complete trial with E and a positive size; the fitted ones are drawn on top.
  const all: { trial: number; lx: number; e: number; fitted: boolean }[] = [];
  for (const t of model.trials) {
    const s = t.metrics?.[sm];
    if (t.state !== 'complete' || t.e === null || s === undefined || !(s > 0) || used.has(t.number)) continue;
    all.push({ trial: t.number, lx: Math.log2(s), e: t.e, fitted: false });
  }
  for (const p of b.points) all.push({ trial: p.trial, lx: p.log2Size, e: p.e, fitted: p.onEnvelope });

  const f = frame(W, H, { l: 62, r: 16, t: 34, b: 40 });
  const lxs = [...all.map((p) => p.lx), ...b.curve.log2Size, b.sStar.lo, b.sStar.hi];
  const es = [...all.map((p) => p.e), ...b.curve.lo, ...b.curve.hi];
  const x = linearScale(extent(lxs, 0.03), [f.left, f.right]);
  const y = linearScale(extent(es), [f.bottom, f.top]);
  const sizeLabel = isSizeInBits(sm) ? (v: number) => formatBytes(2 ** v) : (v: number) => `2^${formatNumber(v, 3)}`;
  let body = bottomAxis(f, x, `${sm} (log2 scale)`, sizeLabel);
  body += leftAxis(f, y, `E = ${b.efficiency}`);

  const xl = x(b.sStar.lo);
  const xh = x(b.sStar.hi);
  body += `<rect class="sband" x="${px(xl)}" y="${f.top}" width="${px(Math.max(1, xh - xl))}" height="${f.bottom - f.top}"/>`;
  const g = b.curve.log2Size;
  if (g.length > 1) {
    const upper = g.map((v, i) => [x(v), y(b.curve.hi[i]!)] as [number, number]);
    const lower = g.map((v, i) => [x(v), y(b.curve.lo[i]!)] as [number, number]).reverse();
    body += `<path class="band" d="${linePath([...upper, ...lower])}Z"/>`;
    body += `<path class="mean" d="${linePath(g.map((v, i) => [x(v), y(b.curve.mean[i]!)]))}"/>`;
  }
  const xs = x(b.sStar.median);
  body += `<line class="sstar" x1="${px(xs)}" x2="${px(xs)}" y1="${f.top}" y2="${f.bottom}"/>`;
  body += `<text x="${px(xs + 4)}" y="${f.top + 12}" fill="#D55E00" font-weight="600">S*</text>`;

  const col = colouring(model);
  for (const p of all.sort((a, c) => Number(a.fitted) - Number(c.fitted))) {
    const t = byNumber.get(p.trial);
    const c = t ? col.colour(t) : '#0072B2';
    const rec = p.trial === b.recommended;
    body += `<circle class="pt${p.fitted ? '' : ' faded'}" data-t="${p.trial}" cx="${px(x(p.lx))}" cy="${px(y(p.e))}" r="${p.fitted ? 4.5 : 3.5}" fill="${c}"${rec ? ' style="stroke:#D55E00;stroke-width:2.5"' : ''}/>`;
  }
  body += legend(f.left, 12, col.param ? `${col.param}:` : 'state:', col.entries);
  body += legend(f.left, 26, '', [
    { label: 'surrogate mean', colour: '#0072B2', shape: 'line' },
    { label: '90% band', colour: '#0072B2', shape: 'faded' },
    { label: 'S* and 90% interval', colour: '#D55E00', shape: 'line' },
  ]);
  const caption =
    `${all.filter((p) => p.fitted).length} frontier trials the surrogate was fitted to (full colour); ${all.filter((p) => !p.fitted).length} other complete trials (off the frontier or infeasible) faded. ` +
    `S* = ${sizeLabel(b.sStar.median)} (90% interval ${sizeLabel(b.sStar.lo)} – ${sizeLabel(b.sStar.hi)})` +
    `${b.expectedE !== null ? `, expected E(S*) = ${formatNumber(b.expectedE)}` : ''}.`;
  return { id: BALANCE_ID, title, svg: `${svgOpen(BALANCE_ID, W, H, 'efficiency against size')}${body}</svg>`, caption, marks: all.length };
}
