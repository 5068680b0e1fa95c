/**
 * `npm run bench:report`: report generation time and file size for synthetic compression studies
 * of 50 and 500 trials (targets at 500: under 1 s and under 2 MB). Generation includes the Pareto
 * and balance analyses (GP fit, 1000 posterior draws), the importance forests and the rendering.
 * The machine is shared, so wall time is given beside CPU time; the first run in the process
 * (cold, JIT not warmed) is reported apart from the median of the warm runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { analyse } from '../src/report/analysis.js';
import { renderCharts, renderPage } from '../src/report/html.js';
import { computeImportance } from '../src/analysis/index.js';
import { buildModel } from '../src/report/model.js';
import { buildReport } from '../src/report/index.js';
import { syntheticCompression } from '../test/report/synthetic.js';

interface Row {
  trials: number;
  coldMs: number;
  wallMs: number;
  cpuMs: number;
  analysesMs: number;
  importanceMs: number;
  renderMs: number;
  bytes: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

function measure(n: number, reps: number): Row {
  const input = syntheticCompression(n);
  const cold = time(() => buildReport(input));
  const wall: number[] = [];
  const cpu: number[] = [];
  const parts = { analyses: [] as number[], importance: [] as number[], render: [] as number[] };
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    wall.push(time(() => buildReport(input)).ms);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    const a = time(() => analyse(input.space, input.trials));
    parts.analyses.push(a.ms);
    const efficiency = a.value.balance?.efficiency ?? input.space.balance?.efficiency ?? null;
    parts.importance.push(time(() => computeImportance(input.space, input.trials, { efficiency })).ms);
    const model = buildModel(input, a.value);
    parts.render.push(time(() => renderPage(model, renderCharts(model))).ms);
  }
  return {
    trials: n,
    coldMs: cold.ms,
    wallMs: median(wall),
    cpuMs: median(cpu),
    analysesMs: median(parts.analyses),
    importanceMs: median(parts.importance),
    renderMs: median(parts.render),
    bytes: Buffer.byteLength(cold.value),
  };
}

const rows = [measure(50, 5), measure(500, 5)];
const f0 = (x: number): string => x.toFixed(0);
const header = '| trials | cold (ms) | warm wall (ms) | warm CPU (ms) | analyses (ms) | importance (ms) | render (ms) | size (KiB) | under 1 s | under 2 MB |';
const lines = [
  header,
  '|---:|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|',
  ...rows.map(
    (r) =>
      `| ${r.trials} | ${f0(r.coldMs)} | ${f0(r.wallMs)} | ${f0(r.cpuMs)} | ${f0(r.analysesMs)} | ${f0(r.importanceMs)} | ${f0(r.renderMs)} | ${(r.bytes / 1024).toFixed(0)} | ${r.wallMs < 1000 ? 'yes' : 'no'} | ${r.bytes < 2 * 1024 * 1024 ? 'yes' : 'no'} |`,
  ),
];
const md = [
  '# Report generation benchmark',
  '',
  `Synthetic compression studies (test/report/synthetic.ts: ~4% failed, ~5% pruned, 3 epochs of intermediate values). ` +
    `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} during the run ` +
    `(a shared machine: wall time above CPU time is time spent waiting for a core). Warm figures are medians of 5 runs; "cold" is the first ` +
    `run in the process (JIT not warmed), which is what the first report of a \`sweetspot report\` invocation costs. ` +
    `Analyses = Pareto front + hypervolume history + balance (GP fit, 1000 posterior draws); the parts are timed separately, so they do not add up exactly.`,
  '',
  ...lines,
  '',
].join('\n');
console.log(lines.join('\n'));
await mkdir('reports/bench', { recursive: true });
await writeFile('reports/bench/report.md', md);
console.log('written reports/bench/report.md');
