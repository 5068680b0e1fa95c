/**
 * Learning curves: the intermediate values each trial reported per epoch (step), one line per
 * trial coloured by its state (complete, pruned, failed, running), so early stops are visible;
 * running trials dashed.
 */
import { esc } from '../format.js';
import { bottomAxis, emptyChart, extent, frame, leftAxis, linePath, linearScale, svgOpen } from '../svg.js';
import type { Chart, ReportModel } from '../types.js';
import { formatStepsSpent } from '../../pruners/index.js';
import { TRIAL_STATES } from '../../study/trial.js';
import { legend, STATE_COLOURS, stateEntries } from './colour.js';

export const CURVES_ID = 'chart-curves';
const W = 640;
const H = 320;

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
  let body = bottomAxis(f, x, 'step (epoch)');
  body += leftAxis(f, y, metric);
  let marks = 0;
  // Complete trials last, on top of the ones stopped early.
  const order = [...rows].sort((a, b) => Number(a.state === 'complete') - Number(b.state === 'complete'));
  for (const t of order) {
    const d = t.curve.length === 1 ? `M${x(t.curve[0]![0]) - 2} ${y(t.curve[0]![1])}h4` : linePath(t.curve.map(([s, v]) => [x(s), y(v)]));
    const dash = t.state === 'running' ? ' stroke-dasharray="3 2"' : '';
    body += `<path class="curve" data-t="${t.number}" d="${esc(d)}" stroke="${STATE_COLOURS[t.state] ?? '#0072B2'}"${dash}/>`;
    marks++;
  }
  const counts: Record<string, number> = {};
  for (const t of rows) counts[t.state] = (counts[t.state] ?? 0) + 1;
  body += legend(f.left, 8, 'state:', stateEntries(counts, TRIAL_STATES));
  const spent = model.stepsSpent ? ` Early stopping: ${formatStepsSpent(model.stepsSpent)}.` : '';
  const caption = `${metric} after each step for ${rows.length} trials, coloured by state (dashed: still running).${spent} Hover a line to see the trial.`;
  return { id: CURVES_ID, title, svg: `${svgOpen(CURVES_ID, W, H, `${metric} per step`)}${body}</svg>`, caption, marks };
}
