/**
 * The report in a real browser: Debian's chromium driven by playwright-core opens the file via
 * file:// and checks what a reader would: no console errors, no network requests, every chart
 * with the right number of marks, a tooltip with the hovered trial's parameters, details on click,
 * brushing a parallel-coordinates axis filtering the table, the text filter and sorting. It saves
 * reports/report-screenshot.png. Without chromium it fails with instructions, never passes.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareReport, writeReport } from '../../src/report/index.js';
import { fmtParam } from '../../src/report/format.js';
import { syntheticCompression, syntheticZdt1 } from './synthetic.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function openReport(file: string): Promise<{ ctx: BrowserContext; page: Page; errors: string[]; requests: string[]; profile: string }> {
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser test needs chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); .ci/run installs it`);
  const profile = await mkdtemp(join(tmpdir(), 'sweetspot-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1400, height: 1000 } });
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
    assert.is(await page.$$eval('#failed-list li', (e) => e.length), trials.filter((t) => t.state === 'failed').length);
    assert.ok((await page.textContent('#sstar'))!.includes('KiB'), 'S* shown in the header');

    // Tooltip: hover a front point, the tooltip names the trial and each of its parameters.
    const point = page.locator('#chart-pareto circle.pt:not(.faded):not(.infeasible)').first();
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
      assert.ok(tipText.includes(String(Number.isInteger(v) ? v : +v.toPrecision(4))), `tooltip shows ${p}=${fmtParam(v)}: ${tipText}`);
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

test.run();
