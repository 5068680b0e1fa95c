/**
 * The report in a real browser: Chromium (test/fixtures/chromium.ts: CHROMIUM_PATH, one on PATH,
 * or the devDependency @sparticuz/chromium) driven by playwright-core opens the file via
 * file:// and checks what a reader would: no console errors, no network requests, every chart
 * with the right number of marks, a tooltip with the hovered trial's parameters, details on click,
 * brushing a parallel-coordinates axis filtering the table, the text filter and sorting. It saves
 * reports/report-screenshot.png. Without any chromium it fails with the reason, never passes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareReport, writeReport } from '../../src/report/index.js';
import { createSampler } from '../../src/samplers/index.js';
import { parseSpace } from '../../src/space/index.js';
import { openStorage } from '../../src/storage/index.js';
import { runStudy } from '../../src/study/index.js';
import { PiscinaExecutor } from '../../src/workers/index.js';
import { formatParam } from '../../src/format/index.js';
import { findChromium } from '../fixtures/chromium.js';
import { COMPRESSION_PARAMS_YAML, syntheticCompression, syntheticZdt1 } from './synthetic.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function openReport(file: string): Promise<{ ctx: BrowserContext; page: Page; errors: string[]; requests: string[]; profile: string }> {
  const browser = findChromium();
  const profile = await mkdtemp(join(tmpdir(), 'sweetspot-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: browser.executablePath, env: browser.env, args: ARGS, headless: true, viewport: { width: 1400, height: 1000 } });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('file://') && !url.startsWith('data:')) requests.push(url);
  });
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  return { ctx, page, errors, requests, profile };
}

async function close(o: { ctx: BrowserContext; profile: string }): Promise<void> {
  await o.ctx.close();
  await rm(o.profile, { recursive: true, force: true });
}

const visibleRows = (page: Page): Promise<number> => page.$$eval('#trial-table tbody tr', (rs) => rs.filter((r) => !(r as HTMLElement).hidden).length);

test('compression study: charts, tooltip, details, brushing, filter, sort, screenshot', async () => {
  const input = syntheticCompression(80, { running: 2 });
  const { trials } = input;
  const file = 'reports/browser-test/compression.html';
  await writeReport(input, file);
  const { charts } = prepareReport(input);
  const o = await openReport(file);
  const { page } = o;
  try {
    // Every chart present, with as many marks as the renderer says and as the trials imply.
    const complete = trials.filter((t) => t.state === 'complete');
    const finished = trials.filter((t) => t.state !== 'running' && t.state !== 'waiting');
    const expected: Record<string, number> = {
      'chart-pareto': complete.length,
      'chart-parallel': complete.length,
      'chart-curves': trials.filter((t) => t.intermediate.length > 0).length,
      'chart-hypervolume': finished.length,
    };
    for (const chart of charts) {
      const sel = chart.id === 'chart-importance' ? `#${chart.id} rect.bar` : `#${chart.id} [data-t]`;
      const n = await page.$$eval(sel, (els) => els.length);
      assert.ok(chart.marks > 0, `${chart.id} draws something`);
      assert.is(n, chart.marks, `${chart.id}: marks in the page`);
      if (expected[chart.id] !== undefined) assert.is(n, expected[chart.id], `${chart.id}: one mark per trial`);
    }
    assert.is(await page.$$eval('#chart-importance rect.bar', (e) => e.length), 5 * 3, '5 parameters × (accuracy, size_bits, E)');
    assert.is(await page.$$eval('#trial-table tbody tr', (e) => e.length), trials.length);
    assert.is(await page.$$eval('#failed-list li[data-t]', (e) => e.length), trials.filter((t) => t.state === 'failed').length);
    assert.ok((await page.textContent('#sstar'))!.includes('KiB'), 'S* shown in the header');

    // Tooltip: hover a front point, the tooltip names the trial and each of its parameters. Two
    // front points can coincide on screen; take the first one that the pointer can reach.
    const front = page.locator('#chart-pareto circle.pt:not(.faded):not(.infeasible)');
    let point = front.first();
    for (let i = 0, count = await front.count(); i < count; i++) {
      const reachable = await front.nth(i).hover({ trial: true, timeout: 1000 }).then(() => true, () => false);
      if (reachable) {
        point = front.nth(i);
        break;
      }
    }
    const n = Number(await point.getAttribute('data-t'));
    await point.hover();
    const tip = page.locator('#tip');
    assert.ok(await tip.isVisible(), 'tooltip visible on hover');
    const tipText = (await tip.textContent())!;
    assert.ok(tipText.includes(`Trial #${n}`), tipText);
    const trial = trials[n]!;
    for (const p of ['width', 'depth', 'pruning', 'bits', 'temperature']) {
      assert.ok(tipText.includes(p), `tooltip names ${p}`);
      const v = trial.params[p] as number;
      assert.ok(tipText.includes(String(Number.isInteger(v) ? v : +v.toPrecision(4))), `tooltip shows ${p}=${formatParam(v)}: ${tipText}`);
    }
    // Click: the details panel shows the trial.
    await point.click();
    assert.ok(await page.locator('#details').isVisible());
    assert.ok((await page.textContent('#details h3'))!.includes(`Trial #${n}`));
    await page.click('#details .close');

    // Brushing the bits axis around the value 8 keeps exactly the complete trials with bits = 8.
    const total = trials.length;
    assert.is(await visibleRows(page), total);
    await page.locator('#chart-parallel').scrollIntoViewIfNeeded();
    const tick = page.locator('#chart-parallel g.pc-axis[data-name="bits"] text', { hasText: /^8$/ });
    const tb = (await tick.boundingBox())!;
    const hit = (await page.locator('#chart-parallel rect.brush-hit[data-axis="3"]').boundingBox())!;
    const cx = hit.x + hit.width / 2;
    const cy = tb.y + tb.height / 2;
    await page.mouse.move(cx, cy - 12);
    await page.mouse.down();
    await page.mouse.move(cx, cy, { steps: 3 });
    await page.mouse.move(cx, cy + 12, { steps: 3 });
    await page.mouse.up();
    const bits8 = complete.filter((t) => t.params.bits === 8).length;
    assert.ok(bits8 > 0 && bits8 < complete.length);
    assert.is(await visibleRows(page), bits8, 'brushing filters the table');
    assert.is(await page.$$eval('#chart-parallel polyline.pc:not(.off)', (e) => e.length), bits8, 'and the lines');
    assert.ok(await page.locator('#clear-brush').isVisible());
    await page.click('#clear-brush');
    assert.is(await visibleRows(page), total, 'clearing the brush shows every trial');

    // The text filter: column comparisons and plain text.
    await page.fill('#table-filter', 'state=failed');
    assert.is(await visibleRows(page), trials.filter((t) => t.state === 'failed').length);
    await page.fill('#table-filter', 'bits<=4 accuracy>0.9');
    const expectFilter = complete.filter((t) => (t.params.bits as number) <= 4 && t.metrics!.accuracy! > 0.9).length;
    assert.is(await visibleRows(page), expectFilter);
    await page.fill('#table-filter', '');

    // Sorting by accuracy (descending on the second click) puts the best trial first.
    const accHeader = page.locator('#trial-table th[data-key="accuracy"]');
    await accHeader.click();
    await accHeader.click();
    const first = Number(await page.locator('#trial-table tbody tr').first().getAttribute('data-t'));
    const best = trials.filter((t) => t.metrics?.accuracy !== undefined).sort((a, b) => b.metrics!.accuracy! - a.metrics!.accuracy!)[0]!;
    assert.is(first, best.number);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'reports/report-screenshot.png', fullPage: true });
    assert.equal(o.errors, [], 'no console errors');
    assert.equal(o.requests, [], 'no network requests');
  } finally {
    await close(o);
  }
});

test('a study without balance (zdt1) renders without errors and says why there is no S*', async () => {
  const input = syntheticZdt1(40);
  const file = 'reports/browser-test/zdt1.html';
  await writeReport(input, file);
  const o = await openReport(file);
  try {
    assert.is(await o.page.$$eval('#chart-pareto [data-t]', (e) => e.length), 40);
    assert.is(await o.page.$$eval('#chart-balance [data-t]', (e) => e.length), 0);
    assert.ok((await o.page.textContent('#chart-balance'))!.includes('no balance block'));
    assert.is(await o.page.$$eval('#chart-parallel polyline', (e) => e.length), 40);
    await o.page.locator('#chart-pareto circle.pt').first().hover();
    assert.ok((await o.page.textContent('#tip'))!.includes('x5'));
    await o.page.screenshot({ path: 'reports/report-screenshot-zdt1.png', fullPage: true });
    assert.equal(o.errors, []);
    assert.equal(o.requests, []);
  } finally {
    await close(o);
  }
});

test('rough edges: labels inside their charts, integer ticks, readable axes, the table scrolls with its first column, zdt1 zoomed to the front', async () => {
  const input = syntheticCompression(60);
  const file = 'reports/browser-test/rough-edges.html';
  await writeReport(input, file);
  const o = await openReport(file);
  const { page } = o;
  try {
    // No text of any chart runs past its chart's border (the last x tick was cut: "512 KiE").
    const clipped = await page.$$eval('svg.chart', (svgs) =>
      svgs.flatMap((svg) => {
        const box = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text'))
          .filter((t) => {
            const b = t.getBoundingClientRect();
            return b.width > 0 && (b.left < box.left - 1 || b.right > box.right + 1);
          })
          .map((t) => `${svg.id}: ${t.textContent}`);
      }),
    );
    assert.equal(clipped, [], 'every label inside its chart');
    // Importance labels do not overlap one another (values ran into the next panel).
    const overlaps = await page.$$eval('#chart-importance text', (texts) => {
      const boxes = texts.map((t) => ({ text: t.textContent, b: t.getBoundingClientRect() })).filter((x) => x.b.width > 0);
      const out: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!.b;
          const c = boxes[j]!.b;
          if (a.left < c.right - 1 && c.left < a.right - 1 && a.top < c.bottom - 1 && c.top < a.bottom - 1) out.push(`${boxes[i]!.text} / ${boxes[j]!.text}`);
        }
      return out;
    });
    assert.equal(overlaps, [], 'importance labels apart');
    // Learning curves: whole-epoch ticks, and the labelled lines name their trials.
    const epochTicks = await page.$$eval('#chart-curves g.axis:first-of-type text:not(.label)', (t) => t.map((x) => x.textContent!));
    assert.ok(epochTicks.length >= 2 && epochTicks.every((t) => /^\d+$/.test(t)), `epoch ticks: ${epochTicks}`);
    assert.ok((await page.$$eval('#chart-curves text.curve-label', (t) => t.map((x) => x.textContent))).every((t) => /^#\d+$/.test(t!)));
    assert.ok(await page.$$eval('#chart-curves path.curve title', (t) => t.length) > 0, 'each line says its trial on hover');
    // Integer parameters get integer ticks in parallel coordinates.
    for (const name of ['width', 'depth']) {
      const ticks = await page.$$eval(`#chart-parallel g.pc-axis[data-name="${name}"] text:not(.label)`, (t) => t.map((x) => x.textContent!));
      assert.ok(ticks.length >= 2 && ticks.every((t) => /^\d+$/.test(t)), `${name} ticks: ${ticks}`);
    }
    // The hypervolume axis starts on a labelled value.
    const hv = await page.$$eval('#chart-hypervolume g.axis:nth-of-type(2)', ([g]) => {
      const line = g!.querySelector('line')!.getBoundingClientRect();
      const labels = Array.from(g!.querySelectorAll('text:not(.label)')).map((t) => t.getBoundingClientRect());
      return { bottom: line.bottom, lowest: Math.max(...labels.map((b) => b.top + b.height / 2)) };
    });
    assert.ok(Math.abs(hv.bottom - hv.lowest) < 2, `lowest hypervolume tick at the axis end: ${JSON.stringify(hv)}`);
    // The table scrolls sideways and keeps the trial number in view.
    await page.setViewportSize({ width: 700, height: 900 });
    const wrap = page.locator('.table-wrap');
    await wrap.scrollIntoViewIfNeeded();
    await wrap.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    const seen = await page.evaluate(() => {
      const w = document.querySelector('.table-wrap')!.getBoundingClientRect();
      const ths = Array.from(document.querySelectorAll('#trial-table th')).map((th) => th.getBoundingClientRect());
      return { overflow: document.querySelector('.table-wrap')!.scrollWidth > w.width, last: ths[ths.length - 1]!.right <= w.right + 1, first: ths[0]!.left >= w.left - 1 && ths[0]!.right <= w.right };
    });
    assert.ok(seen.overflow, 'the narrow page overflows the table');
    assert.ok(seen.last, 'the last column can be scrolled into view');
    assert.ok(seen.first, 'the # column stays in view');
    assert.ok(await page.$$eval('#chart-timeline rect[data-t]', (r) => r.length) === 60, 'a timeline bar per trial');
    assert.equal(o.errors, []);
  } finally {
    await close(o);
  }
  // zdt1 from random points: the front is spread over the plot, not stacked in a corner.
  const zdt = syntheticZdt1(60);
  await writeReport(zdt, 'reports/browser-test/zdt1-zoom.html');
  const z = await openReport('reports/browser-test/zdt1-zoom.html');
  try {
    const spread = await z.page.$$eval('#chart-pareto', ([svg]) => {
      const plot = svg!.getBoundingClientRect();
      const pts = Array.from(svg!.querySelectorAll('circle.pt:not(.faded):not(.infeasible)')).map((c) => c.getBoundingClientRect());
      const xs = pts.map((b) => b.left);
      const ys = pts.map((b) => b.top);
      return { w: (Math.max(...xs) - Math.min(...xs)) / plot.width, h: (Math.max(...ys) - Math.min(...ys)) / plot.height, n: pts.length };
    });
    assert.ok(spread.n >= 3 && spread.w > 0.4 && spread.h > 0.4, `front spread over the plot: ${JSON.stringify(spread)}`);
    assert.match((await z.page.textContent('#chart-pareto + p.caption, section:has(#chart-pareto) .caption'))!, /Zoomed to the front/);
    assert.equal(z.errors, []);
  } finally {
    await close(z);
  }
});

/** A compression-shaped user objective run by the real loop: intermediate values, some failures. */
const OBJECTIVE = `export default async function (p, ctx) {
  const params = 784 * p.width + (p.depth - 1) * p.width * p.width + 10 * p.width;
  const nonzero = Math.round(params * (1 - p.pruning));
  const quant = { 2: 0.16, 4: 0.025, 8: 0.003, 16: 0.0005, 32: 0 }[p.bits];
  const accuracy = 0.985 - 0.2 * Math.exp(-p.width / 10) - 0.012 * (3 - p.depth) - quant - 0.6 * Math.max(0, p.pruning - 0.6) ** 2;
  for (let e = 1; e <= 3; e++) ctx.report(e, { accuracy: accuracy * (1 - 0.35 * Math.exp(-1.4 * e)) });
  if (p.pruning > 0.8 && p.bits === 2) throw new Error('training diverged: loss is NaN at epoch 3');
  return { accuracy, size_bits: nonzero * p.bits + (p.pruning > 0 ? params : 0), params, nonzero_params: nonzero, backend: 'synthetic-module' };
}
`;

test('a real study (study loop, worker pool, SQLite storage) rewritten live after each trial', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sweetspot-report-study-'));
  await writeFile(join(dir, 'objective.mjs'), OBJECTIVE);
  const yaml = `name: live-study
objective: { module: ./objective.mjs }
${COMPRESSION_PARAMS_YAML}metrics: { accuracy: maximize, size_bits: minimize }
constraints: [ "accuracy >= 0.9" ]
balance: { size: size_bits, efficiency: "accuracy - 0.005 * log2(size_bits)" }
budget: { trials: 24, workers: 2 }
sampler: random
seed: 5
`;
  const spaceFile = join(dir, 'space.yaml');
  await writeFile(spaceFile, yaml);
  const space = parseSpace(yaml, spaceFile);
  const storage = await openStorage(':memory:');
  const study = await storage.createStudy({ name: space.name, spaceFile, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed: 5 });
  const executor = new PiscinaExecutor({ workers: 2, graceMs: 200 });
  const file = 'reports/browser-test/live-study.html';
  const sizes: number[] = [];
  // What `sweetspot run` does: rewrite the report after every finished trial, one write at a time.
  let writing = Promise.resolve();
  try {
    await runStudy({
      storage,
      study,
      space,
      sampler: createSampler(space.sampler, { space, seed: 5 }),
      executor,
      trials: 24,
      studyDir: join(dir, 'run'),
      onEvent: (event) => {
        if (event.type !== 'finished') return;
        writing = writing.then(async () => {
          const trials = await storage.getTrials(study.name);
          sizes.push((await writeReport({ space, study, trials }, file)).bytes);
        });
      },
    });
    await writing;
  } finally {
    await executor.close();
  }
  const trials = await storage.getTrials(study.name);
  await storage.close();
  assert.is(sizes.length, 24, 'one rewrite per finished trial');
  await writeReport({ space, study, trials }, file);
  const html = await readFile(file, 'utf8');
  assert.ok(html.endsWith('</html>\n'));
  const failed = trials.filter((t) => t.state === 'failed');
  const complete = trials.filter((t) => t.state === 'complete');
  assert.ok(failed.length > 0 && complete.length > 0, 'seed 5 gives both failed and complete trials');
  const o = await openReport(file);
  try {
    assert.is(await o.page.$$eval('#chart-pareto [data-t]', (e) => e.length), complete.length);
    assert.is(await o.page.$$eval('#chart-curves [data-t]', (e) => e.length), trials.filter((t) => t.intermediate.length > 0).length);
    assert.is(await o.page.$$eval('#trial-table tbody tr', (e) => e.length), 24);
    assert.is(await o.page.$$eval('#failed-list li[data-t]', (e) => e.length), failed.length);
    for (const t of failed) assert.ok((await o.page.textContent('#failed-list'))!.includes(t.error!.slice(0, 40)));
    assert.ok((await o.page.textContent('header'))!.includes('synthetic-module'), 'backend from trial attrs');
    assert.equal(o.errors, []);
    assert.equal(o.requests, []);
  } finally {
    await close(o);
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
