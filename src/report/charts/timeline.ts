/**
 * The timeline: one lane per worker, one bar per trial from its start to its finish (or to now
 * while running), coloured by state. Gaps between bars are idle workers; long bars are slow trials.
 */
import { esc } from '../escape.js';
import { formatDuration } from '../../format/index.js';
import { bottomAxis, emptyChart, frame, linearScale, px, svgOpen } from '../svg.js';
import type { Chart, ReportModel } from '../types.js';

export const TIMELINE_ID = 'chart-timeline';
const W = 1100;
const LANE = 18;

const STATE_COLOUR: Readonly<Record<string, string>> = { complete: '#0072B2', pruned: '#E69F00', failed: '#D55E00', running: '#009E73', waiting: '#999999' };

export function timelineChart(model: ReportModel): Chart {
  const title = 'Timeline of trials per worker';
  const bars = model.trials
    .filter((t) => t.startedAt !== null && t.durationMs !== null)
    .map((t) => ({ t, start: Date.parse(t.startedAt!), lane: t.worker ?? -1 }))
    .filter((b) => Number.isFinite(b.start));
  if (bars.length === 0) return { id: TIMELINE_ID, title, svg: emptyChart(TIMELINE_ID, W, 120, 'no trial has started yet'), caption: '', marks: 0 };
  const lanes = [...new Set(bars.map((b) => b.lane))].sort((a, b) => a - b);
  const h = Math.max(120, lanes.length * LANE + 60);
  const f = frame(W, h, { l: 78, r: 16, t: 10, b: 40 });
  const t0 = Math.min(...bars.map((b) => b.start));
  const t1 = Math.max(...bars.map((b) => b.start + b.t.durationMs!));
  // Seconds since the first start, so that the axis reads as elapsed time.
  const x = linearScale([0, Math.max(1, (t1 - t0) / 1000)], [f.left, f.right]);
  let body = bottomAxis(f, x, 'time since the first trial started', (s) => formatDuration(s * 1000));
  const laneY = (lane: number): number => f.top + lanes.indexOf(lane) * LANE;
  for (const lane of lanes) {
    body += `<text x="${f.left - 6}" y="${px(laneY(lane) + LANE / 2)}" dy="0.32em" text-anchor="end">${lane < 0 ? 'unknown' : `worker ${lane}`}</text>`;
  }
  for (const { t, start, lane } of bars) {
    const x0 = x((start - t0) / 1000);
    const width = Math.max(1, x((start - t0 + t.durationMs!) / 1000) - x0);
    body += `<rect class="pt bar-t ${esc(t.state)}" data-t="${t.number}" x="${px(x0)}" y="${px(laneY(lane) + 2)}" width="${px(width)}" height="${LANE - 4}" fill="${STATE_COLOUR[t.state] ?? '#999'}"/>`;
  }
  const states = [...new Set(bars.map((b) => b.t.state))];
  const caption = `Each bar is a trial, from start to finish, on the worker that ran it (${states.map((s) => `${s}: ${colourName(s)}`).join(', ')}). Gaps are idle workers.`;
  return { id: TIMELINE_ID, title, svg: `${svgOpen(TIMELINE_ID, W, h, 'trials over time per worker')}${body}</svg>`, caption, marks: bars.length };
}

function colourName(state: string): string {
  return ({ complete: 'blue', pruned: 'orange', failed: 'red', running: 'green', waiting: 'grey' } as Record<string, string>)[state] ?? 'grey';
}
