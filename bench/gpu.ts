/**
 * GPU training throughput and trials per hour, through the same pool and trial code as a study:
 *
 *   npm run bench:gpu [-- --samples 8192 --trials 16]
 *
 * 1. Correctness (any adapter, SwiftShader included): the first steps of the reference cnn on
 *    webgpu against the cpu backend, in child processes (the Vulkan loader reads its environment
 *    at process start); the largest weight difference.
 * 2. On a hardware adapter only: aggregate samples/s of the reference cnn and mlp at batch 64 and
 *    512 with 1, 2, 4 and 8 GPU workers of one pool, all training at once; then trials per hour
 *    of search-spaces/mnist-cnn.yaml with the best GPU-worker count against this machine's cores
 *    running wasm workers, both through the CLI.
 * On a software adapter the speed rows stay empty: SwiftShader is for correctness, never a speed
 * claim. Writes reports/bench/gpu.md with the device, driver and date.
 * SWEETSPOT_BENCH_GPU_SMOKE=1 runs part 2 tiny on any adapter to check the code path; it prints
 * its rows as "smoke" and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeAdapter, probeGpu, softwareGpuEnv, type AdapterSummary } from '../src/engine/index.js';
import { PiscinaExecutor } from '../src/workers/index.js';
import { markdownTable, REPO, writeBenchReport } from './common.js';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '8192' }, trials: { type: 'string', default: '16' } } });
const smoke = process.env.SWEETSPOT_BENCH_GPU_SMOKE === '1';
const SAMPLES = smoke ? 256 : Number(args.samples);
const TRIALS = smoke ? 2 : Number(args.trials);
const WORKER_COUNTS = smoke ? [1, 2] : [1, 2, 4, 8];
const BATCHES = smoke ? [64] : [64, 512];
const NETS = ['cnn', 'mlp'] as const;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const BIN = join(REPO, 'bin', 'sweetspot.js');

function driverLine(): string {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8' });
  return r.status === 0 ? `nvidia-smi: ${r.stdout.trim().split('\n').join('; ')}` : 'nvidia-smi: not available';
}

/** The correctness row: webgpu vs cpu on the first steps of a small CNN, each in its own process. */
function correctness(env: NodeJS.ProcessEnv): { diff: number; loss: [number, number] } | string {
  const child = join(REPO, 'dist', 'test', 'fixtures', 'gpu-child.js');
  const go = (backend: string, e: NodeJS.ProcessEnv) => {
    const r = spawnSync(process.execPath, [child, 'steps', backend], { encoding: 'utf8', env: e, timeout: 300_000 });
    if (r.status !== 0) throw new Error(`${backend}: ${r.stderr.trim().split('\n').pop()}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { weights: number[][]; loss: number };
  };
  try {
    const gpu = go('webgpu', env);
    const cpu = go('cpu', process.env);
    let diff = 0;
    gpu.weights.forEach((w, i) => w.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - cpu.weights[i]![j]!)))));
    return { diff, loss: [gpu.loss, cpu.loss] };
  } catch (err) {
    return (err as Error).message;
  }
}

/** Aggregate samples/s of `workers` GPU workers training `net` at once. */
async function throughput(net: (typeof NETS)[number], batch: number, workers: number): Promise<number> {
  const executor = new PiscinaExecutor({ workers: 0, gpuWorkers: workers });
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-bench-gpu-'));
  try {
    const module = join(HERE, 'gpu-objective.js');
    const outcomes = await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        executor.run({ study: 'bench-gpu', trial: i, seed: i + 1, params: {}, objective: { module, options: { net, batch, samples: SAMPLES } }, workdir: join(dir, String(i)), studyDir: dir }),
      ),
    );
    const outputs = outcomes.map((o) => {
      if (!o.ok) throw new Error(`throughput trial failed: ${o.error}`);
      return o.output as { samples: number; started: number; finished: number };
    });
    const span = (Math.max(...outputs.map((o) => o.finished)) - Math.min(...outputs.map((o) => o.started))) / 1000;
    return outputs.reduce((s, o) => s + o.samples, 0) / span;
  } finally {
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Trials per hour of a space run through the CLI with the given options. */
function trialsPerHour(space: string, options: string[], env: NodeJS.ProcessEnv): { perHour: number; complete: number; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-bench-gpu-'));
  try {
    const db = join(dir, 'bench.db');
    const started = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'run', space, '--trials', String(TRIALS), '--storage', db, '--no-report', '--json', ...options], { encoding: 'utf8', env, cwd: dir, timeout: 6 * 3600_000 });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`sweetspot run ${options.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
    const summary = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { counts: Record<string, number> };
    const complete = summary.counts.complete ?? 0;
    return { perHour: (complete / seconds) * 3600, complete, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const probe = await probeGpu();
  // Without a hardware adapter, check correctness on SwiftShader when the devDependency has it.
  let adapter: AdapterSummary | undefined = probe.ok ? probe.adapter : undefined;
  let gpuEnv: NodeJS.ProcessEnv = process.env;
  if (!adapter) {
    try {
      gpuEnv = { ...process.env, ...softwareGpuEnv() };
      const r = spawnSync(process.execPath, [join(REPO, 'dist', 'test', 'fixtures', 'gpu-child.js'), 'probe'], { encoding: 'utf8', env: gpuEnv });
      const software = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { probe?: { ok: boolean; adapter?: AdapterSummary } };
      adapter = software.probe?.ok ? software.probe.adapter : undefined;
    } catch {
      adapter = undefined;
    }
  }
  const hardware = probe.ok && !probe.adapter.fallback;
  const notes = [
    `device: ${adapter ? describeAdapter(adapter) : 'none'}${probe.ok ? '' : ` (no usable GPU in this process: ${probe.reason})`}`,
    driverLine(),
  ];
  const rows: (string | number)[][] = [];
  const check = adapter ? correctness(gpuEnv) : 'no adapter, not even SwiftShader (npm install --save-dev @sparticuz/chromium@147.0.0)';
  rows.push(['correctness: small cnn (width 2), 4 Adam steps of batch 16, webgpu vs cpu', typeof check === 'string' ? check : `largest weight difference ${check.diff.toExponential(2)}; test loss ${check.loss[0].toFixed(6)} vs ${check.loss[1].toFixed(6)}`]);

  if (!hardware && !smoke) {
    rows.push(['samples/s, cnn and mlp, batch 64 / 512, 1 / 2 / 4 / 8 GPU workers', 'not measured: no GPU adapter (a software adapter is for correctness only)']);
    rows.push([`trials/hour of mnist-cnn: best GPU-worker count vs ${availableParallelism()} wasm workers`, 'not measured: no GPU adapter']);
  } else {
    const tag = smoke ? 'smoke (not a measurement): ' : '';
    let best = { workers: 1, rate: 0 };
    for (const net of NETS) {
      for (const batch of BATCHES) {
        for (const workers of WORKER_COUNTS) {
          const rate = await throughput(net, batch, workers);
          rows.push([`${tag}${net}, batch ${batch}, ${workers} GPU worker(s): samples/s (aggregate)`, Math.round(rate)]);
          process.stdout.write(`${rows.at(-1)!.join(': ')}\n`);
          if (net === 'cnn' && batch === BATCHES[BATCHES.length - 1] && rate > best.rate) best = { workers, rate };
        }
      }
    }
    const space = process.env.SWEETSPOT_BENCH_SPACE ?? join(REPO, 'search-spaces', 'mnist-cnn.yaml');
    const gpu = trialsPerHour(space, ['--backend', 'webgpu', '--gpu-workers', String(best.workers)], gpuEnv);
    const cores = availableParallelism();
    const cpu = trialsPerHour(space, ['--backend', 'wasm', '--workers', String(cores)], process.env);
    rows.push([`${tag}trials/hour, ${space.split('/').pop()}, webgpu, ${best.workers} GPU workers (${gpu.complete} trials in ${gpu.seconds.toFixed(0)} s)`, Math.round(gpu.perHour)]);
    rows.push([`${tag}trials/hour, same space, wasm, ${cores} workers (${cpu.complete} trials in ${cpu.seconds.toFixed(0)} s)`, Math.round(cpu.perHour)]);
    rows.push([`${tag}ratio GPU / CPU trials per hour`, (gpu.perHour / cpu.perHour).toFixed(2)]);
  }
  const table = markdownTable(['measurement', 'value'], rows);
  if (smoke) {
    process.stdout.write(`${table}\nsmoke run: nothing written\n`);
    return;
  }
  writeBenchReport('gpu', 'GPU trials (bench:gpu)', table, [
    ...notes,
    `samples per timed epoch ${SAMPLES}, after a warm-up epoch of 4 batches that compiles the shaders; GPU workers share one adapter, one Dawn device each`,
    hardware ? `trials per hour over ${TRIALS} trials each` : 'the real-GPU rows are empty: no GPU adapter here. Never report a GPU figure that was not measured.',
  ]);
}

await main();
process.exit(0);
