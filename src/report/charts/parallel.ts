/**
 * Parallel coordinates: one vertical axis per parameter, then one per metric of the space (and E),
 * one polyline per complete trial. Each axis carries a transparent hit area (`.brush-hit`) where
 * the page script lets the user drag a range; trials outside any range are hidden here, faded in
 * the other charts and removed from the trial table.
 */
import type { ParamSpec } from '../../space/index.js';
import { esc } from '../escape.js';
import { formatParam, formatTick } from '../../format/index.js';
import { wantsLog } from '../../analysis/index.js';
import { emptyChart, extent, integerTicks, LOG_AXIS_RATIO, linearScale, logScale, px, svgOpen, type Scale } from '../svg.js';
import type { Chart, ReportModel, TrialView } from '../types.js';
import { colouring } from './colour.js';

export const PARALLEL_ID = 'chart-parallel';
const H = 380;
const TOP = 46;
const BOTTOM = H - 30;

interface Axis {
  readonly name: string;
  readonly value: (t: TrialView) => number | null;
  readonly scale: Scale;
  readonly ticks: readonly { readonly v: number; readonly label: string }[];
}

function paramAxis(name: string, spec: ParamSpec): Axis {
  if (spec.type === 'categorical' || spec.type === 'ordinal') {
    const k = spec.choices.length;
    const scale = linearScale([-0.5, k - 0.5], [BOTTOM, TOP]);
    return {
      name,
      value: (t) => {
        const i = spec.choices.indexOf(t.params[name]!);
        return i < 0 ? null : i;
      },
      scale,
      ticks: spec.choices.map((c, i) => ({ v: i, label: formatParam(c) })),
    };
  }
  const dom: [number, number] = [spec.low, spec.high];
  const scale = spec.log && spec.low > 0 ? logScale(dom, [BOTTOM, TOP]) : linearScale(dom, [BOTTOM, TOP]);
  return {
    name,
    value: (t) => (typeof t.params[name] === 'number' ? (t.params[name] as number) : null),
    scale,
    // Integer parameters get integer ticks (width 16, not 15.5).
    ticks: (spec.type === 'int' && !scale.log ? integerTicks(spec.low, spec.high, 4) : scale.ticks(4).filter((v) => spec.type !== 'int' || Number.isInteger(v))).map((v) => ({ v, label: formatParam(v) })),
  };
}

/** A metric axis: logarithmic for the size metric (sizes compare by ratio) or a metric spanning three decades. */
function metricAxis(name: string, value: (t: TrialView) => number | null, rows: readonly TrialView[], isSize: boolean): Axis {
  const vs = rows.map(value).filter((v): v is number => v !== null && Number.isFinite(v));
  const log = isSize ? vs.length > 0 && vs.every((v) => v > 0) : wantsLog(vs, LOG_AXIS_RATIO);
  const scale = log ? logScale(extent(vs, 0.02, true), [BOTTOM, TOP], /(^|_)bits$/.test(name)) : linearScale(extent(vs, 0.02), [BOTTOM, TOP]);
  return { name, value, scale, ticks: scale.ticks(4).map((v) => ({ v, label: formatTick(name, v) })) };
}

export function parallelChart(model: ReportModel): Chart {
  const title = 'Parallel coordinates';
  const rows = model.trials.filter((t) => t.state === 'complete' && t.metrics);
  const axes: Axis[] = model.paramNames.map((p) => paramAxis(p, model.space.params[p]!));
  const size = model.balance?.sizeMetric ?? model.space.balance?.size ?? null;
  for (const m of Object.keys(model.space.metrics)) axes.push(metricAxis(m, (t) => t.metrics?.[m] ?? null, rows, m === size));
  if (model.efficiency) axes.push(metricAxis('E', (t) => t.e, rows, false));
  const W = Math.max(900, 110 * axes.length + 40);
  if (rows.length === 0) return { id: PARALLEL_ID, title, svg: emptyChart(PARALLEL_ID, W, H, 'no complete trials yet'), caption: '', marks: 0 };
  const gap = (W - 80) / Math.max(1, axes.length - 1);
  const ax = axes.map((_, i) => 40 + i * gap);
  const col = colouring(model);

  let lines = '';
  let marks = 0;
  for (const t of rows) {
    const pts: string[] = [];
    for (let i = 0; i < axes.length; i++) {
      const v = axes[i]!.value(t);
      if (v === null || !Number.isFinite(v) || (axes[i]!.scale.log && v <= 0)) break;
      pts.push(`${px(ax[i]!)},${px(axes[i]!.scale(v))}`);
    }
    if (pts.length !== axes.length) continue; // a trial missing a value on some axis cannot be drawn honestly
    lines += `<polyline class="pc" data-t="${t.number}" stroke="${col.colour(t)}" points="${pts.join(' ')}"/>`;
    marks++;
  }
  let axesSvg = '';
  axes.forEach((a, i) => {
    const xa = px(ax[i]!);
    axesSvg += `<g class="axis pc-axis" data-axis="${i}" data-name="${esc(a.name)}"><line x1="${xa}" x2="${xa}" y1="${TOP}" y2="${BOTTOM}"/>`;
    axesSvg += `<text class="label" x="${xa}" y="${TOP - 22}" text-anchor="middle">${esc(a.name)}</text>`;
    for (const tk of a.ticks) axesSvg += `<text x="${px(ax[i]! - 4)}" y="${px(a.scale(tk.v))}" dy="0.32em" text-anchor="end">${esc(tk.label)}</text>`;
    axesSvg += `<rect class="brush-hit" data-axis="${i}" x="${px(ax[i]! - 12)}" y="${TOP}" width="24" height="${BOTTOM - TOP}" fill="transparent"/></g>`;
  });
  const caption = `${marks} complete trials across ${axes.length} axes. Drag vertically on any axis to brush a range (several axes combine); click an axis outside its range to clear it. The brush filters the trial table and fades the other charts.`;
  return {
    id: PARALLEL_ID,
    title,
    svg: `${svgOpen(PARALLEL_ID, W, H, 'parallel coordinates of parameters and metrics')}<g class="pc-lines">${lines}</g>${axesSvg}<g class="brushes"></g></svg>`,
    caption,
    marks,
  };
}
