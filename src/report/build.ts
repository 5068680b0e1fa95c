/** `buildReport`: a study in, one self-contained HTML page out (pure apart from the clock default). */
import { analyse } from './analysis.js';
import { renderCharts, renderPage } from './html.js';
import { buildModel } from './model.js';
import type { Chart, ReportInput, ReportModel } from './types.js';

/** The view model and charts of a study: what both the page and the SVG export render. */
export function prepareReport(input: ReportInput): { model: ReportModel; charts: Chart[] } {
  const model = buildModel(input, analyse(input.space, input.trials, input));
  return { model, charts: renderCharts(model) };
}

/** The report as HTML text: style, data, script and charts inline; no network requests. */
export function buildReport(input: ReportInput): string {
  const { model, charts } = prepareReport(input);
  return renderPage(model, charts);
}
