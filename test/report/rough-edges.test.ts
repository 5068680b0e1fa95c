/** Report rough edges of issue 15 part 5 that a string check can see (the visual ones: browser.test.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildReport, prepareReport } from '../../src/report/index.js';
import { errorCause, failureGroups } from '../../src/report/table.js';
import { importanceChart } from '../../src/report/charts/index.js';
import { integerTicks, niceExtent, tickAnchor } from '../../src/report/svg.js';
import { trialNoteKey, STUDY_NOTE_KEY } from '../../src/study/index.js';
import type { Trial } from '../../src/study/index.js';
import { syntheticCompression } from './synthetic.js';

const chartSvg = (html: string, id: string): string => {
  const start = html.indexOf(`<svg class="chart" id="${id}"`);
  return html.slice(start, html.indexOf('</svg>', start));
};

test('the header counts trials against the budget the study was last given, never "60 of 50"', () => {
  const input = syntheticCompression(12);
  const budget = input.space.budget.trials;
  const more = syntheticCompression(budget + 10);
  assert.match(buildReport(more), new RegExp(`trials: <b>${budget + 10} of ${budget + 10} `), 'never fewer than the trials there are');
  const raised = { ...more, space: { ...more.space, budget: { ...more.space.budget, trials: budget + 20 } } };
  assert.match(buildReport(raised), new RegExp(`trials: <b>${budget + 10} of ${budget + 20} `));
  assert.match(buildReport(input), new RegExp(`trials: <b>12 of ${budget} `));
});

test('study and trial notes appear in the header, the table and the page data', () => {
  const input = syntheticCompression(10);
  const attrs = { ...input.study.attrs, [STUDY_NOTE_KEY]: 'baseline <run>', [trialNoteKey(3)]: 'odd curve' };
  const html = buildReport({ ...input, study: { ...input.study, attrs } });
  assert.match(html, /<p class="note" id="study-note">baseline &#60;run&#62;<\/p>/);
  assert.match(html, /data-key="note"/);
  assert.match(html, /<td data-v="odd curve">odd curve<\/td>/);
  assert.match(html, /"note":"odd curve"/);
  assert.not.match(buildReport(input), /data-key="note"/, 'no note column without notes');
});

test('the page data uses real field names and formatted values', () => {
  const html = buildReport(syntheticCompression(6));
  const data = JSON.parse(html.slice(html.indexOf('id="ss-data">') + 13, html.indexOf('</script>', html.indexOf('id="ss-data">'))));
  const t = data.trials.find((x: { state: string }) => x.state === 'complete');
  assert.equal(Object.keys(t).sort(), ['attrs', 'duration', 'efficiency', 'error', 'finishedAt', 'intermediateCount', 'metrics', 'note', 'number', 'params', 'startedAt', 'state']);
  assert.match(t.metrics.size_bits, /^[\d.]+ (B|KiB|MiB) \([\d.]+ (bit|kbit|Mbit)\)$/);
});

test('failed trials are grouped by cause, the most frequent first', () => {
  assert.is(errorCause('diverged at epoch 3, lr 0.01, x=-1.5e-3'), 'diverged at epoch #, lr #, x=#');
  const input = syntheticCompression(30);
  const fail = (t: Trial, error: string): Trial => ({ ...t, state: 'failed', metrics: null, error });
  const trials = input.trials.map((t, i) => (i < 5 ? fail(t, `out of memory at batch ${i}`) : i < 7 ? fail(t, 'no such file') : t));
  const { model } = prepareReport({ ...input, trials });
  const groups = failureGroups(model);
  assert.is(groups[0]!.cause, 'out of memory at batch #');
  assert.is(groups[0]!.trials.length, 5);
  assert.is(groups[1]!.cause, 'no such file');
  const html = buildReport({ ...input, trials });
  assert.ok(html.indexOf('5 trials</b> failed with') < html.indexOf('2 trials</b> failed with'));
});

test('a study whose trials all failed shows the grouped failures first and no empty cards', () => {
  const input = syntheticCompression(20);
  const trials = input.trials.map((t) => ({ ...t, state: 'failed' as const, metrics: null, error: `python3 exited with code 1; stderr: CUDA missing (trial ${t.number})` }));
  const html = buildReport({ ...input, trials });
  assert.match(html, /id="no-complete"/);
  assert.match(html, /20 trials<\/b> failed with/);
  for (const id of ['chart-pareto', 'chart-balance', 'chart-hypervolume', 'chart-importance', 'chart-parallel']) assert.not.ok(html.includes(`id="${id}"`), id);
  assert.not.match(html, /no complete trial yet/);
  assert.ok(html.indexOf('id="failed-list"') < html.indexOf('id="trial-table"'));
});

test('the timeline draws one bar per started trial in its worker lane', () => {
  const input = syntheticCompression(16, { running: 1 });
  const html = buildReport(input);
  const svg = chartSvg(html, 'chart-timeline');
  assert.is((svg.match(/<rect class="pt bar-t/g) ?? []).length, 16);
  assert.match(svg, />worker 0</);
  assert.match(svg, />worker 1</);
  assert.match(svg, /bar-t running/);
});

test('importance says "no signal" instead of drawing bars for a negative out-of-bag R²', () => {
  const { model } = prepareReport(syntheticCompression(60));
  assert.ok(model.importance.targets.length >= 2);
  const [noisy, ...rest] = model.importance.targets;
  const chart = importanceChart({ ...model, importance: { ...model.importance, targets: [{ ...noisy!, oobR2: -0.3 }, ...rest] } });
  assert.match(chart.svg, new RegExp(`class="no-signal" data-metric="${noisy!.metric}"`));
  assert.not.match(chart.svg, new RegExp(`class="bar" data-metric="${noisy!.metric}"`));
  assert.is(chart.marks, rest.length * model.paramNames.length);
});

test('axis helpers: integer ticks, round axis ends, tick labels kept inside the chart', () => {
  assert.equal(integerTicks(0.8, 3.2, 6), [1, 2, 3]);
  assert.equal(integerTicks(0.9, 1.1), [1]);
  assert.equal(niceExtent([0.6137, 0.8842]), [0.6, 0.9]);
  assert.is(tickAnchor(630, '512 KiB', 640), 'end');
  assert.is(tickAnchor(5, '0.001', 640), 'start');
  assert.is(tickAnchor(320, '0.5', 640), 'middle');
});

test.run();
