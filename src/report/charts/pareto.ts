/**
 * Quality against size: every complete trial as a point (log size axis when sizes span decades),
 * coloured by bit width; the non-dominated front drawn as its attainment staircase, dominated
 * trials faded and infeasible ones hollow. Pruned trials appear small and fainter still, at their
 * last reported values, where those fall inside the complete trials' axes (they take no part in
 * the front). The recommended trial and the knee are ringed.
 */
import { esc } from '../escape.js';
import { formatTick, isSizeInBits } from '../../format/index.js';
import { bottomAxis, emptyChart, extent, frame, leftAxis, linePath, linearScale, logScale, px, svgOpen, textWidth } from '../svg.js';
import type { Chart, ReportModel, TrialView } from '../types.js';
import { colouring, legend } from './colour.js';

export const PARETO_ID = 'chart-pareto';
const W = 640;
const H = 400;

/** The 2-D non-dominated subset of `points` (each [x, y, trial]) under the given directions, sorted by x. */
export function front2d(points: readonly (readonly [number, number, number])[], xMin: boolean, yMax: boolean): [number, number, number][] {
  const sx = xMin ? 1 : -1;
  const sy = yMax ? 1 : -1;
  const sorted = [...points].sort((a, b) => sx * (a[0] - b[0]) || sy * (b[1] - a[1]));
  const out: [number, number, number][] = [];
  let best = -Infinity;
  for (const p of sorted) {
    if (sy * p[1] > best) {
      out.push([p[0], p[1], p[2]]);
      best = sy * p[1];
    }
  }
  return out;
}

export function paretoChart(model: ReportModel): Chart {
  const title = 'Pareto front';
  const pv = model.pareto;
  if (!pv) return { id: PARETO_ID, title, svg: emptyChart(PARETO_ID, W, H, model.paretoNote ?? 'no Pareto analysis'), caption: '', marks: 0 };
  const xm = pv.x.metric;
  const ym = pv.y.metric;
  const pts = model.trials.filter((t): t is TrialView & { metrics: Record<string, number> } => {
    const x = t.metrics?.[xm];
    const y = t.metrics?.[ym];
    return t.state === 'complete' && x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) && (!pv.x.log || x > 0);
  });
  if (pts.length === 0) return { id: PARETO_ID, title, svg: emptyChart(PARETO_ID, W, H, `no complete trial has both ${xm} and ${ym} yet`), caption: '', marks: 0 };

  const f = frame(W, H, { l: 62, r: 16, t: 34, b: 40 });
  const xs = pts.map((t) => t.metrics[xm]!);
  const ys = pts.map((t) => t.metrics[ym]!);
  const zoom = frontZoom(pts.filter((t) => pv.front.includes(t.number)), xm, ym, xs, ys, pv.x.log);
  const x = pv.x.log ? logScale(extent(xs, 0.04, true), [f.left, f.right], isSizeInBits(xm)) : linearScale(zoom?.x ?? extent(xs), [f.left, f.right]);
  const y = linearScale(zoom?.y ?? extent(ys), [f.bottom, f.top]);
  // Zoomed in, a trial outside the view is drawn on the border it lies beyond.
  const clampX = (v: number): number => (zoom ? Math.min(Math.max(v, x.domain[0]), x.domain[1]) : v);
  const clampY = (v: number): number => (zoom ? Math.min(Math.max(v, y.domain[0]), y.domain[1]) : v);
  const outside = (t: TrialView & { metrics: Record<string, number> }): boolean => zoom !== null && (clampX(t.metrics[xm]!) !== t.metrics[xm] || clampY(t.metrics[ym]!) !== t.metrics[ym]);
  const col = colouring(model);
  const front = new Set(pv.front);
  const infeasible = new Set(pv.infeasible);
  // Inside the axes as drawn (zoomed or not): pruned trials never move them.
  const within = (v: number | undefined, domain: readonly number[]): boolean => v !== undefined && v >= Math.min(...domain) && v <= Math.max(...domain);
  const pruned = model.trials.filter((t) => t.state === 'pruned' && within(t.metrics?.[xm], x.domain) && within(t.metrics?.[ym], y.domain));
  const prunedTotal = model.trials.filter((t) => t.state === 'pruned').length;

  let body = bottomAxis(f, x, `${xm}${pv.x.log ? ' (log scale)' : ''} — ${pv.x.direction}`, (v) => formatTick(xm, v));
  body += leftAxis(f, y, `${ym} — ${pv.y.direction}`, (v) => formatTick(ym, v));

  const stairs = front2d(
    pts.filter((t) => front.has(t.number) && !infeasible.has(t.number)).map((t) => [t.metrics[xm]!, t.metrics[ym]!, t.number] as const),
    pv.x.direction === 'minimize',
    pv.y.direction === 'maximize',
  );
  const path: [number, number][] = [];
  stairs.forEach(([a, b], i) => {
    if (i > 0) path.push([x(a), y(stairs[i - 1]![1])]);
    path.push([x(a), y(b)]);
  });
  if (path.length > 1) body += `<path class="front" d="${linePath(path)}"/>`;

  for (const t of pruned) {
    body += `<circle class="pt pruned" data-t="${t.number}" cx="${px(x(t.metrics![xm]!))}" cy="${px(y(t.metrics![ym]!))}" r="2.5" fill="${col.colour(t)}" opacity=".35"/>`;
  }
  // Faded and hollow points first so that the front stays on top.
  const order = [...pts].sort((a, b) => rank(a) - rank(b));
  function rank(t: TrialView): number {
    return infeasible.has(t.number) ? 0 : front.has(t.number) ? 2 : 1;
  }
  for (const t of order) {
    const c = col.colour(t);
    const cls = `${infeasible.has(t.number) ? 'pt infeasible' : front.has(t.number) ? 'pt' : 'pt faded'}${outside(t) ? ' clipped' : ''}`;
    // Inline style, not the stroke attribute: the .pt rule's white outline would win over it.
    const paint = infeasible.has(t.number) ? `style="stroke:${c}"` : `fill="${c}"`;
    body += `<circle class="${cls}" data-t="${t.number}" cx="${px(x(clampX(t.metrics[xm]!)))}" cy="${px(y(clampY(t.metrics[ym]!)))}" r="${front.has(t.number) ? 4.5 : 3.5}" ${paint}/>`;
  }
  const ring = (n: number | null, colour: string, label: string, r: number): string => {
    const t = n === null ? undefined : pts.find((p) => p.number === n);
    if (!t) return '';
    const cx = x(t.metrics[xm]!);
    const cy = y(t.metrics[ym]!);
    // Labels go right of the ring unless they would run off the chart.
    const width = textWidth(label) * 1.2; // bold
    const right = cx + r + 3 + width < W - 2;
    // Left of the ring, or, when that runs off too, from the chart's left edge.
    const tx = right ? cx + r + 3 : Math.max(cx - r - 3, width + 2);
    return `<circle class="mark" cx="${px(cx)}" cy="${px(cy)}" r="${r}" fill="none" stroke="${colour}" stroke-width="2" pointer-events="none"/><text x="${px(tx)}" y="${px(cy + (label === 'knee' ? 12 : -6))}"${right ? '' : ' text-anchor="end"'} fill="${colour}" font-weight="600" pointer-events="none">${esc(label)}</text>`;
  };
  body += ring(pv.knee, '#333', 'knee', 9);
  body += ring(model.balance?.recommended ?? null, '#D55E00', 'recommended', 12);

  const items = col.entries.map((e) => ({ label: e.label, colour: e.colour }));
  body += legend(f.left, 12, col.param ? `${col.param}:` : 'state:', items);
  body += legend(f.left, 26, '', [
    { label: 'front', colour: '#111', shape: 'line' },
    { label: 'dominated', colour: '#0072B2', shape: 'faded' },
    { label: 'infeasible', colour: '#0072B2', shape: 'ring' },
    ...(pruned.length > 0 ? [{ label: 'pruned (last reported)', colour: col.colour(pruned[0]!), shape: 'faded' as const }] : []),
  ]);
  const caption =
    `${pts.length} complete trials; ${front.size} on the front over ${pv.objectives.join(', ')}` +
    `${infeasible.size ? `, ${infeasible.size} infeasible (hollow)` : ''}` +
    `${prunedTotal ? `; ${prunedTotal} pruned (small, faint, at their last reported values${pruned.length < prunedTotal ? `; ${prunedTotal - pruned.length} outside the axes` : ''})` : ''}.` +
    `${zoom ? ` Zoomed to the front (${zoom.x && zoom.y ? 'both axes' : zoom.x ? xm : ym}): ${pts.filter(outside).length} trials beyond the view are drawn on its border.` : ''} Hover a point for its parameters, click for details.`;
  return { id: PARETO_ID, title, svg: `${svgOpen(PARETO_ID, W, H, `${ym} against ${xm}`)}${body}</svg>`, caption, marks: pts.length };
}

/** The front covers less than this share of the trials' span on an axis: zoom that axis in on it. */
const ZOOM_BELOW = 0.35;

/**
 * Axis domains around the front, per axis, where the front sits in a small part of all trials'
 * span (zdt1 from random points: the front is flattened against one edge); null when neither
 * axis needs it. A log x axis already spreads sizes and is left alone.
 */
function frontZoom(
  frontPts: readonly { metrics: Readonly<Record<string, number>> }[],
  xm: string,
  ym: string,
  xs: readonly number[],
  ys: readonly number[],
  xLog: boolean,
): { x: [number, number] | undefined; y: [number, number] | undefined } | null {
  if (frontPts.length < 2) return null;
  const span = (r: [number, number]): number => r[1] - r[0];
  const zoomed = (front: [number, number], all: [number, number]): [number, number] | undefined => {
    if (!(span(all) > 0) || span(front) / span(all) >= ZOOM_BELOW) return undefined;
    const pad = Math.max(span(front) * 0.25, span(all) * 0.02);
    return [Math.max(all[0], front[0] - pad), Math.min(all[1], front[1] + pad)];
  };
  const x = xLog ? undefined : zoomed(extent(frontPts.map((t) => t.metrics[xm]!), 0), extent(xs, 0));
  const y = zoomed(extent(frontPts.map((t) => t.metrics[ym]!), 0), extent(ys, 0));
  return x || y ? { x, y } : null;
}
