/** Hypervolume of the feasible front after each finished trial: a step line with one point per entry. */
import { formatNumber } from '../../format/index.js';
import { bottomAxis, emptyChart, extent, frame, integerTicks, leftAxis, linePath, linearScale, niceExtent, px, svgOpen } from '../svg.js';
import type { Chart, ReportModel } from '../types.js';

export const HYPERVOLUME_ID = 'chart-hypervolume';
const W = 640;
const H = 300;

export function hypervolumeChart(model: ReportModel): Chart {
  const title = 'Hypervolume history';
  const hv = model.pareto?.hypervolume ?? [];
  if (hv.length === 0)
    return { id: HYPERVOLUME_ID, title, svg: emptyChart(HYPERVOLUME_ID, W, H, model.paretoNote ?? 'no hypervolume yet'), caption: '', marks: 0 };
  const f = frame(W, H, { l: 62, r: 16, t: 14, b: 40 });
  const x = linearScale(extent(hv.map((h) => h.trial), 0.02), [f.left, f.right]);
  // Round ends, so the axis reads from a labelled value to a labelled value.
  const y = linearScale(niceExtent(hv.map((h) => h.value)), [f.bottom, f.top]);
  let body = bottomAxis(f, x, 'trial number', undefined, integerTicks(x.domain[0], x.domain[1], 6));
  body += leftAxis(f, y, 'hypervolume');
  const path: [number, number][] = [];
  hv.forEach((h, i) => {
    if (i > 0) path.push([x(h.trial), y(hv[i - 1]!.value)]);
    path.push([x(h.trial), y(h.value)]);
  });
  body += `<path class="hv" d="${linePath(path)}"/>`;
  for (const h of hv) body += `<circle class="pt hvpt" data-t="${h.trial}" cx="${px(x(h.trial))}" cy="${px(y(h.value))}" r="2.8" fill="#009E73"/>`;
  const objectives = model.pareto!.objectives.join(', ');
  const caption = `Hypervolume dominated by the feasible front over ${objectives} after each of ${hv.length} finished trials (final ${formatNumber(hv[hv.length - 1]!.value)}). A flat tail means the search has stopped finding better trade-offs.`;
  return { id: HYPERVOLUME_ID, title, svg: `${svgOpen(HYPERVOLUME_ID, W, H, 'hypervolume against trial number')}${body}</svg>`, caption, marks: hv.length };
}
