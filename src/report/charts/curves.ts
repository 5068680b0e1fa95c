/**
 * Learning curves: the intermediate values each trial reported per epoch (step), one line per
 * trial coloured by its state (complete, pruned, failed, running), so early stops are visible;
 * running trials dashed, complete ones drawn last (on top).
 */
import { TRIAL_STATES } from '../../study/trial.js';
import { esc } from '../escape.js';
import { bottomAxis, emptyChart, extent, frame, integerTicks, leftAxis, linePath, linearScale, px, svgOpen } from '../svg.js';
import type { Chart, ReportModel, TrialView } from '../types.js';
import { legend, STATE_COLOURS, stateEntries } from './colour.js';

export const CURVES_ID = 'chart-curves';
const W = 640;
const H = 320;

const stateColour = (t: TrialView): string => STATE_COLOURS[t.state] ?? '#0072B2';

export function curvesChart(model: ReportModel): Chart {
  const title = 'Learning curves';
  const metric = model.curveMetric;
  const rows = model.trials.filter((t) => t.curve.length > 0);
  if (!metric || rows.length === 0)
    return { id: CURVES_ID, title, svg: emptyChart(CURVES_ID, W, H, 'no trial reported intermediate values'), caption: '', marks: 0 };
  const f = frame(W, H, { l: 62, r: 16, t: 14, b: 40 });
  const steps = rows.flatMap((t) => t.curve.map((c) => c[0]));
  const vals = rows.flatMap((t) => t.curve.map((c) => c[1]));
  const x = linearScale(extent(steps, 0.02), [f.left, f.right]);
  const y = linearScale(extent(vals), [f.bottom, f.top]);
  // Epochs are whole numbers: no tick at epoch 1.5.
  const integerSteps = steps.every((s) => Number.isInteger(s));
  let body = bottomAxis(f, x, 'step (epoch)', undefined, integerSteps ? integerTicks(x.domain[0], x.domain[1], 6) : undefined);
  body += leftAxis(f, y, metric);
  let marks = 0;
  const order = [...rows].sort((a, b) => Number(a.state === 'complete') - Number(b.state === 'complete'));
  for (const t of order) {
    const d = t.curve.length === 1 ? `M${x(t.curve[0]![0]) - 2} ${y(t.curve[0]![1])}h4` : linePath(t.curve.map(([s, v]) => [x(s), y(v)]));
    const dash = t.state === 'running' ? ' stroke-dasharray="3 2"' : '';
    body += `<path class="curve" data-t="${t.number}" d="${esc(d)}" stroke="${stateColour(t)}"${dash}><title>trial #${t.number} (${t.state})</title></path>`;
    marks++;
  }
  // Name the lines a reader asks about first: the recommended trial, the knee and the best finishers.
  const labelled = labelledTrials(model, rows, metric);
  for (const t of labelled) {
    const [s, v] = t.curve[t.curve.length - 1]!;
    body += `<text class="curve-label" data-label-t="${t.number}" x="${px(Math.min(x(s) + 3, f.right - 22))}" y="${px(y(v))}" dy="0.32em" fill="${stateColour(t)}">#${t.number}</text>`;
  }
  const counts: Record<string, number> = {};
  for (const t of rows) counts[t.state] = (counts[t.state] ?? 0) + 1;
  body += legend(f.left, 8, 'state:', stateEntries(counts, TRIAL_STATES));
  const named = labelled.length ? ` Labelled: ${labelled.map((t) => `#${t.number}`).join(', ')} (recommended, knee and best final values).` : '';
  const spent = model.earlyStopping ? ` Early stopping: ${model.earlyStopping}.` : '';
  const caption = `${metric} after each step for ${rows.length} trials, coloured by state (dashed: still running); hover a line to see its trial.${spent}${named}`;
  return { id: CURVES_ID, title, svg: `${svgOpen(CURVES_ID, W, H, `${metric} per step`)}${body}</svg>`, caption, marks };
}

/** Up to 5 trials worth naming on the chart: recommended, knee, then the best last values of complete trials. */
function labelledTrials(model: ReportModel, rows: readonly TrialView[], metric: string): TrialView[] {
  const sign = model.space.metrics[metric] === 'minimize' ? 1 : -1;
  const last = (t: TrialView): number => t.curve[t.curve.length - 1]![1];
  const wanted = [model.balance?.recommended ?? null, model.pareto?.knee ?? null];
  const first = rows.filter((t) => wanted.includes(t.number));
  const best = rows.filter((t) => !first.includes(t) && t.state === 'complete').sort((a, b) => sign * (last(a) - last(b)));
  return [...first, ...best].slice(0, 5);
}
