/**
 * Minimal SVG plotting primitives: scales, tick choice, axes and the chart frame. The charts are
 * rendered to SVG text in Node (pure functions, no DOM), so the same markup is inlined in the
 * HTML report and written as standalone .svg files; the page script only adds interaction.
 */
import { esc } from './escape.js';
import { formatNumber } from '../format/index.js';

/** A map from data values to pixels along one axis. */
export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  readonly log: boolean;
  /** Tick values inside the domain, about `n` of them. */
  ticks(n?: number): number[];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let [d0, d1] = domain;
  if (d0 === d1) {
    const pad = d0 === 0 ? 1 : Math.abs(d0) * 0.1;
    d0 -= pad;
    d1 += pad;
  }
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  return Object.assign(f, { domain: [d0, d1] as const, range, log: false, ticks: (n = 5) => niceTicks(d0, d1, n) });
}

/**
 * Log scale; ticks at powers of ten (or 1-2-5 multiples when the domain spans < 2 decades), or
 * with `base2` at powers of two (every k-th so that about 6 remain), which suits sizes in bits.
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number], base2 = false): Scale {
  let [d0, d1] = domain;
  if (!(d0 > 0) || !(d1 > 0)) throw new RangeError(`log scale needs a positive domain, got [${d0}, ${d1}]`);
  if (d0 === d1) {
    d0 /= 2;
    d1 *= 2;
  }
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const [r0, r1] = range;
  const k = (r1 - r0) / (l1 - l0);
  const f = ((v: number) => r0 + (Math.log10(v) - l0) * k) as Scale;
  const ticks = (): number[] => {
    const out: number[] = [];
    if (base2) {
      const e0 = Math.ceil(Math.log2(d0) - 1e-9);
      const e1 = Math.floor(Math.log2(d1) + 1e-9);
      const every = Math.max(1, Math.ceil((e1 - e0 + 1) / 7));
      for (let e = e0; e <= e1; e++) if ((e - e0) % every === 0) out.push(2 ** e);
      return out;
    }
    const mult = l1 - l0 < 2 ? [1, 2, 5] : l1 - l0 < 4 ? [1, 3] : [1];
    for (let e = Math.floor(l0); e <= Math.ceil(l1); e++)
      for (const m of mult) {
        const v = m * 10 ** e;
        if (v >= d0 * 0.999 && v <= d1 * 1.001) out.push(v);
      }
    return out;
  };
  return Object.assign(f, { domain: [d0, d1] as const, range, log: true, ticks });
}

/** About `n` round tick values (1, 2, 5 × 10^k steps) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}

/** Integer ticks only (steps, epochs, integer parameters): about `n` of them, never 1.5. */
export function integerTicks(lo: number, hi: number, n = 5): number[] {
  const ticks = niceTicks(lo, hi, n).filter((v) => Number.isInteger(v));
  if (ticks.length >= 2) return ticks;
  const out: number[] = [];
  for (let v = Math.ceil(lo); v <= Math.floor(hi); v++) out.push(v);
  return out.length > 0 ? out : [Math.round((lo + hi) / 2)];
}

/**
 * [lo, hi] widened to the nearest round ticks around the values, so that an axis starts and ends
 * on a labelled value (a hypervolume axis from 0.6 to 0.9, not from 0.6137 to 0.8842).
 */
export function niceExtent(values: readonly number[], n = 5): [number, number] {
  const [lo, hi] = extent(values, 0);
  if (!(hi > lo)) return extent(values);
  const step = niceTicks(lo, hi, n)[1]! - niceTicks(lo, hi, n)[0]!;
  return [+(Math.floor(lo / step + 1e-9) * step).toPrecision(12), +(Math.ceil(hi / step - 1e-9) * step).toPrecision(12)];
}

/** [min, max] of finite values, padded by `pad` of the span on each side (in log space when `log`). */
export function extent(values: readonly number[], pad = 0.05, log = false): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    const t = log ? Math.log10(v) : v;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (lo === Infinity) return log ? [1, 10] : [0, 1];
  const span = hi - lo || Math.abs(hi) || 1;
  lo -= span * pad;
  hi += span * pad;
  return log ? [10 ** lo, 10 ** hi] : [lo, hi];
}

/** Max/min ratio above which a metric other than the size gets a log axis (three decades). */
export const LOG_AXIS_RATIO = 1000;

/** The plot area inside a chart of size w × h after the margins. */
export interface Frame {
  readonly w: number;
  readonly h: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export function frame(w: number, h: number, m: { l: number; r: number; t: number; b: number }): Frame {
  return { w, h, left: m.l, right: w - m.r, top: m.t, bottom: h - m.b };
}

const r1 = (v: number): string => (Math.round(v * 10) / 10).toString();
/** Pixel coordinate rounded to 0.1 px: keeps the file small without visible error. */
export const px = r1;

/** Rough width of axis text in px (11px system font): enough to keep a label inside the chart. */
export const textWidth = (text: string): number => text.length * 6.2;

/**
 * Text anchor that keeps a tick label of `text` centred on `xp` inside [0, w]: a label that would
 * run past an edge is aligned to it instead ("512 KiB", not "512 KiE" cut by the border).
 */
export function tickAnchor(xp: number, text: string, w: number): 'start' | 'middle' | 'end' {
  const half = textWidth(text) / 2;
  if (xp + half > w - 2) return 'end';
  if (xp - half < 2) return 'start';
  return 'middle';
}

export function bottomAxis(f: Frame, x: Scale, label: string, fmt: (v: number) => string = formatNumber, ticks: readonly number[] = x.ticks(6)): string {
  let s = `<g class="axis"><line x1="${f.left}" x2="${f.right}" y1="${f.bottom}" y2="${f.bottom}"/>`;
  for (const t of ticks) {
    const xp = r1(x(t));
    const text = fmt(t);
    s += `<line class="grid" x1="${xp}" x2="${xp}" y1="${f.top}" y2="${f.bottom}"/><text x="${xp}" y="${f.bottom + 14}" text-anchor="${tickAnchor(x(t), text, f.w)}">${esc(text)}</text>`;
  }
  s += `<text class="label" x="${r1((f.left + f.right) / 2)}" y="${f.h - 4}" text-anchor="middle">${esc(label)}</text></g>`;
  return s;
}

export function leftAxis(f: Frame, y: Scale, label: string, fmt: (v: number) => string = formatNumber): string {
  const ticks = y.ticks(5);
  let s = `<g class="axis"><line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.bottom}"/>`;
  for (const t of ticks) {
    const yp = r1(y(t));
    s += `<line class="grid" x1="${f.left}" x2="${f.right}" y1="${yp}" y2="${yp}"/><text x="${f.left - 5}" y="${yp}" dy="0.32em" text-anchor="end">${esc(fmt(t))}</text>`;
  }
  s += `<text class="label" transform="translate(12 ${r1((f.top + f.bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(label)}</text></g>`;
  return s;
}

/** `M x y L x y ...` through the given pixel points (skipping non-finite ones by breaking the line). */
export function linePath(points: readonly (readonly [number, number])[]): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${r1(x)} ${r1(y)}`;
    pen = true;
  }
  return d;
}

/** Open an <svg> of the chart's size; `id` names the chart for the page script and the tests. */
export function svgOpen(id: string, w: number, h: number, label: string): string {
  return `<svg class="chart" id="${esc(id)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}">`;
}

/** A message drawn in place of a chart that has nothing to show (and says why). */
export function emptyChart(id: string, w: number, h: number, message: string): string {
  return `${svgOpen(id, w, h, message)}<text class="empty" x="${w / 2}" y="${h / 2}" text-anchor="middle">${esc(message)}</text></svg>`;
}

/** Colour-blind-safe categorical palette (Okabe–Ito, without black). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];

/**
 * Sequential colours for ordered values (e.g. bit widths 2 … 32): viridis sampled at k points, so
 * low and high bit widths are told apart by lightness as well as hue.
 */
export function sequentialColours(k: number): string[] {
  const stops = ['#440154', '#3b528b', '#21918c', '#5ec962', '#c8a800'];
  if (k <= 1) return [stops[1]!];
  return Array.from({ length: k }, (_, i) => interpolate(stops, i / (k - 1)));
}

function interpolate(stops: readonly string[], t: number): string {
  const pos = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(pos));
  const u = pos - i;
  const a = hex(stops[i]!);
  const b = hex(stops[i + 1]!);
  return `#${a.map((v, j) => Math.round(v + (b[j]! - v) * u).toString(16).padStart(2, '0')).join('')}`;
}

const hex = (c: string): number[] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

/** Base chart style, used inline in the page and embedded into each standalone SVG export. */
export const CHART_CSS = `
.chart{font:11px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:#333}
.chart .axis line{stroke:#888;stroke-width:1}
.chart .axis line.grid{stroke:#e4e4e4}
.chart .axis text{fill:#555}
.chart .label{fill:#222;font-weight:600}
.chart .empty{fill:#777;font-size:13px}
.chart .pt{stroke:#fff;stroke-width:.6}
.chart .pt.faded{opacity:.28}
.chart .pt.clipped{stroke:#777;stroke-dasharray:2 1}
.chart .pt.infeasible{fill:none;stroke-width:1.3;opacity:.55}
.chart .front{fill:none;stroke:#111;stroke-width:1.6}
.chart .mean{fill:none;stroke:#0072B2;stroke-width:2}
.chart .band{fill:#0072B2;opacity:.16}
.chart .sstar{stroke:#D55E00;stroke-width:1.6;stroke-dasharray:4 3}
.chart .sband{fill:#D55E00;opacity:.1}
.chart .hv{fill:none;stroke:#009E73;stroke-width:2}
.chart .pc{fill:none;stroke-width:1;opacity:.45}
.chart .curve{fill:none;stroke-width:1.1;opacity:.55}
.chart .bar{fill:#0072B2}
.chart .whisker{stroke:#333;stroke-width:1}
.chart .legend text{fill:#333}
`;

/** A chart's SVG as a standalone file: XML namespace and the base style embedded. */
export function standaloneSvg(svg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.replace('<svg ', `<svg xmlns="http://www.w3.org/2000/svg" `).replace(/(<svg[^>]*>)/, `$1<style>${CHART_CSS.replace(/\n/g, '')}</style>`)}\n`;
}
