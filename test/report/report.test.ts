import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSpace } from '../../src/space/index.js';
import { buildReport, formatRunSummary, prepareReport, writeReport, writeReportSvgs } from '../../src/report/index.js';
import { syntheticCompression, syntheticZdt1, type SyntheticStudy } from './synthetic.js';

const OUT = 'reports/test-report';
const count = (html: string, re: RegExp): number => (html.match(re) ?? []).length;
const chartSvg = (html: string, id: string): string => {
  const start = html.indexOf(`<svg class="chart" id="${id}"`);
  return html.slice(start, html.indexOf('</svg>', start));
};

test('compression report: header, every chart, table and failures', () => {
  const s = syntheticCompression(60);
  const html = buildReport(s);
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  for (const id of ['chart-pareto', 'chart-balance', 'chart-hypervolume', 'chart-curves', 'chart-parallel', 'chart-importance']) assert.ok(html.includes(`id="${id}"`), id);
  const complete = s.trials.filter((t) => t.state === 'complete');
  assert.is(count(chartSvg(html, 'chart-pareto'), /<circle class="pt[^"]*" data-t=/g), complete.length);
  assert.is(count(chartSvg(html, 'chart-parallel'), /<polyline/g), complete.length);
  assert.is(count(html, /<tr data-t=/g), s.trials.length);
  assert.is(count(html, /<li data-t=/g), s.trials.filter((t) => t.state === 'failed').length);
  assert.ok(html.includes('id="sstar"') && html.includes('id="recommended"'));
  assert.ok(html.includes('backend: <b>tfjs-node</b>'));
  assert.ok(html.includes('Out-of-bag permutation importance'));
  // Errors are escaped, not injected.
  assert.ok(html.includes('&#60;width=') && !html.includes('<width='));
});

test('the page is self-contained: no external URLs, scripts or fonts', () => {
  const html = buildReport(syntheticCompression(40));
  assert.not.match(html, /<script[^>]+src=/);
  assert.not.match(html, /<link[^>]+href=/);
  assert.not.match(html, /url\(/);
  assert.not.match(html, /@import|@font-face/);
  const urls = html.match(/https?:\/\/[^\s"'<)]+/g) ?? [];
  assert.equal([...new Set(urls)], ['http://www.w3.org/2000/svg'], 'only the SVG namespace (an identifier, never fetched)');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('data block cannot close its <script> element', () => {
  const s = syntheticCompression(12);
  const evil = { ...s, trials: s.trials.map((t, i) => (i === 0 ? { ...t, state: 'failed' as const, metrics: null, error: '</script><script>alert(1)</script>' } : t)) };
  const html = buildReport(evil);
  assert.is(count(html, /<\/script>/g), 2, 'only the data block and the page script close');
});

test('zdt1 study (no balance, other metrics, no intermediate values) degrades gracefully', () => {
  const s = syntheticZdt1(30);
  const { model, charts } = prepareReport(s);
  assert.is(model.balance, null);
  assert.match(model.balanceNote!, /no balance block/);
  assert.ok(model.pareto);
  assert.is(model.pareto!.x.metric, 'f1');
  assert.is(model.pareto!.y.metric, 'f2');
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
  assert.is(byId['chart-pareto']!.marks, 30);
  assert.is(byId['chart-balance']!.marks, 0);
  assert.is(byId['chart-curves']!.marks, 0);
  assert.is(byId['chart-parallel']!.marks, 30);
  assert.is(byId['chart-importance']!.marks, 6 * 2);
  const html = buildReport(s);
  assert.ok(html.includes('no trial reported intermediate values'));
  assert.not.ok(html.includes('<th data-col="9" data-key="E"'), 'no E column without an efficiency');
});

test('empty study and single-objective study still produce a page', () => {
  const s = syntheticCompression(0);
  const html = buildReport(s);
  assert.ok(html.includes('no complete trial yet'));
  const single = parseSpace('objective: { builtin: branin }\nparams:\n  x0: { type: float, low: -5, high: 10 }\n  x1: { type: float, low: 0, high: 15 }\nmetrics:\n  value: minimize\n', 'branin.yaml');
  const z = syntheticZdt1(10);
  const trials = z.trials.map((t) => ({ ...t, params: { x0: 1, x1: 2 }, metrics: { value: t.metrics!.f1! } }));
  const out = buildReport({ space: single, study: z.study, trials, now: z.now });
  assert.ok(out.includes('single objective'));
});

test('report size: 500 trials stay under 2 MB', () => {
  const html = buildReport(syntheticCompression(500));
  const bytes = Buffer.byteLength(html);
  assert.ok(bytes < 2 * 1024 * 1024, `${bytes} bytes`);
});

test('writeReport writes atomically and leaves no temporary files', async () => {
  await rm(OUT, { recursive: true, force: true });
  const s = syntheticCompression(30);
  const path = join(OUT, 'nested', 'study.html');
  const { bytes } = await writeReport(s, path);
  const first = await readFile(path, 'utf8');
  assert.is(bytes, (await stat(path)).size);
  assert.is(first, buildReport(s));
  // Rewrite concurrently with readers: every read sees a whole page.
  const bigger = syntheticCompression(200);
  const reads: Promise<string>[] = [];
  const writes = [writeReport(bigger, path), writeReport(s, path), writeReport(bigger, path)];
  for (let i = 0; i < 20; i++) reads.push(readFile(path, 'utf8'));
  await Promise.all(writes);
  for (const r of await Promise.all(reads)) assert.ok(r.endsWith('</html>\n'), 'never half-written');
  assert.equal((await readdir(join(OUT, 'nested'))).filter((f) => f.endsWith('.tmp')), []);
});

test('writeReport reports an unwritable path with the path in the message', async () => {
  const s = syntheticCompression(5);
  await writeReport(s, join(OUT, 'file.html'));
  try {
    await writeReport(s, join(OUT, 'file.html', 'below.html'));
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match((err as Error).message, /report: could not write reports\/test-report\/file.html\/below.html/);
  }
});

test('writeReportSvgs writes one standalone SVG per chart', async () => {
  const s: SyntheticStudy = syntheticCompression(40);
  const dir = join(OUT, 'svg');
  const files = await writeReportSvgs(s, dir);
  assert.equal(files.map((f) => f.path.split('/').pop()).sort(), ['balance.svg', 'curves.svg', 'hypervolume.svg', 'importance.svg', 'parallel.svg', 'pareto.svg', 'timeline.svg']);
  for (const f of files) {
    const text = await readFile(f.path, 'utf8');
    assert.ok(text.startsWith('<?xml'));
    assert.match(text, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(text, /<style>/);
    assert.is(count(text, /<svg/g), 1);
    assert.is(count(text, /<\/svg>/g), 1);
  }
});

test('formatRunSummary mirrors the header', () => {
  const s = syntheticCompression(60);
  const { model } = prepareReport(s);
  const text = formatRunSummary(s, { reportPath: 'reports/x.html', model });
  assert.match(text, /^Study synthetic-compression: 60 trials \(/);
  assert.match(text, new RegExp(`Pareto front: ${model.pareto!.front.length} trials`));
  assert.match(text, /S\* \(size_bits\): .*KiB.*90% interval/);
  assert.match(text, new RegExp(`Recommended: trial #${model.balance!.recommended}: width=`));
  assert.match(text, /Report: reports\/x\.html$/);
  assert.not.match(text, /\x1b\[/, 'no colour codes');
  const z = formatRunSummary(syntheticZdt1(20));
  assert.match(z, /Balance: no balance block/);
});

test.after(async () => {
  await rm(OUT, { recursive: true, force: true });
});

test.run();
