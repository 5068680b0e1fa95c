/**
 * Training throughput: samples per second for ONE worker thread training the two reference
 * networks of ../shared/reference/torch_train_bench.py (same layers, batch 64, Adam, the same
 * digits in the same order), per tfjs backend, against that script's PyTorch figures (one thread)
 * measured in the same run. Writes the table to reports/bench/train.md.
 *
 *   npm run bench:train [-- --samples 2000 --no-torch]
 *
 * Each configuration runs in its own worker thread (tfjs keeps one engine per thread, and a
 * sweep's trials run in worker threads), one after another so they do not compete for a core.
 * PyTorch runs before and after the tfjs configurations; the ratio uses the faster of its two
 * runs, so load on a shared machine cannot flatter tfjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { fusedAdam, registerWasmKernels } from '../src/engine/kernels/index.js';
import { referenceDigits } from '../src/objectives/compression/index.js';

type Net = 'cnn' | 'mlp';
/**
 * wasm+sweetspot: our kernels; +fusedAdam: and our one-pass Adam; wasm: the backend's own kernels
 * (for the cnn plus a naive JS filter gradient, which it lacks); cpu: tfjs's JavaScript backend.
 */
type Variant = 'wasm+sweetspot+fusedAdam' | 'wasm+sweetspot' | 'wasm' | 'cpu';

interface Job {
  readonly net: Net;
  readonly variant: Variant;
  /** Samples per timed epoch (the last batch may be partial, as in the PyTorch script). */
  readonly samples: number;
  readonly epochs: number;
  readonly profile: boolean;
}

interface KernelRow { readonly name: string; readonly msPerBatch: number; readonly calls: number }

interface JobResult {
  readonly job: Job;
  readonly samplesPerS: number;
  readonly finalLoss: number;
  readonly firstLoss: number;
  readonly kernels: readonly KernelRow[];
  readonly simd: boolean | null;
}

const BATCH = 64;

// ---------------------------------------------------------------- worker side

/**
 * The state this project started from: a Conv2DBackpropFilter for wasm in plain typed-array
 * JavaScript (7 nested loops, skipping zero inputs), as measured in shared/notes/training-speed.md.
 * Only the bench registers it, to reproduce that baseline.
 */
function naiveConv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as { typedArrayFromHeap(t: tf.TensorInfo): Float32Array; makeOutput(s: number[], d: 'float32'): tf.TensorInfo };
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = args.attrs as unknown as { strides: number | [number, number]; pad: 'valid' | 'same'; filterShape: [number, number, number, number] };
  const c = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad);
  const out = backend.makeOutput([...a.filterShape], 'float32');
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  const dw = backend.typedArrayFromHeap(out);
  dw.fill(0);
  for (let b = 0; b < c.batchSize; b++)
    for (let r = 0; r < c.outHeight; r++)
      for (let q = 0; q < c.outWidth; q++)
        for (let i = 0; i < c.filterHeight; i++) {
          const y = r * c.strideHeight + i - c.padInfo.top;
          if (y < 0 || y >= c.inHeight) continue;
          for (let j = 0; j < c.filterWidth; j++) {
            const xx = q * c.strideWidth + j - c.padInfo.left;
            if (xx < 0 || xx >= c.inWidth) continue;
            for (let k = 0; k < c.inChannels; k++) {
              const xval = xv[((b * c.inHeight + y) * c.inWidth + xx) * c.inChannels + k]!;
              if (xval === 0) continue;
              const g = ((b * c.outHeight + r) * c.outWidth + q) * c.outChannels;
              const w = ((i * c.filterWidth + j) * c.inChannels + k) * c.outChannels;
              for (let o = 0; o < c.outChannels; o++) dw[w + o] += xval * dyv[g + o]!;
            }
          }
        }
  return out;
}


/** The reference networks: cnn conv 3×3×32, pool, conv 3×3×64, pool, dense 64, dense 10; mlp 256-256-10. */
function network(net: Net): { vars: tf.Variable[]; forward(x: tf.Tensor2D): tf.Tensor2D } {
  let seed = 1;
  const he = (shape: number[], fanIn: number): tf.Variable => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++));
  const zeros = (n: number): tf.Variable => tf.variable(tf.zeros([n]));
  if (net === 'cnn') {
    const v = [he([3, 3, 1, 32], 9), zeros(32), he([3, 3, 32, 64], 288), zeros(64), he([1600, 64], 1600), zeros(64), he([64, 10], 64), zeros(10)];
    const forward = (x: tf.Tensor2D): tf.Tensor2D => {
      let h = x.reshape([-1, 28, 28, 1]) as tf.Tensor4D;
      h = tf.maxPool(tf.relu(tf.conv2d(h, v[0] as tf.Tensor4D, 1, 'valid').add(v[1]!)) as tf.Tensor4D, 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.conv2d(h, v[2] as tf.Tensor4D, 1, 'valid').add(v[3]!)) as tf.Tensor4D, 2, 2, 'valid');
      const d = tf.relu(tf.matMul(h.reshape([-1, 1600]) as tf.Tensor2D, v[4] as tf.Tensor2D).add(v[5]!)) as tf.Tensor2D;
      return tf.matMul(d, v[6] as tf.Tensor2D).add(v[7]!) as tf.Tensor2D;
    };
    return { vars: v, forward };
  }
  const v = [he([784, 256], 784), zeros(256), he([256, 256], 256), zeros(256), he([256, 10], 256), zeros(10)];
  const forward = (x: tf.Tensor2D): tf.Tensor2D => {
    const h1 = tf.relu(tf.matMul(x, v[0] as tf.Tensor2D).add(v[1]!)) as tf.Tensor2D;
    const h2 = tf.relu(tf.matMul(h1, v[2] as tf.Tensor2D).add(v[3]!)) as tf.Tensor2D;
    return tf.matMul(h2, v[4] as tf.Tensor2D).add(v[5]!) as tf.Tensor2D;
  };
  return { vars: v, forward };
}

async function runJob(job: Job): Promise<JobResult> {
  if (job.variant !== 'cpu') {
    await import('@tensorflow/tfjs-backend-wasm');
    if (job.variant.startsWith('wasm+sweetspot')) registerWasmKernels();
    else if (job.net === 'cnn') tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: naiveConv2dBackpropFilter as tf.KernelFunc });
  }
  const backendName = job.variant === 'cpu' ? 'cpu' : 'wasm';
  if (!(await tf.setBackend(backendName))) throw new Error(`backend ${backendName} failed to initialise`);
  await tf.ready();
  const simd = backendName === 'wasm' ? ((await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean) : null;

  const n = job.samples;
  const data = referenceDigits(n);
  const X = tf.tensor2d(data.x, [n, 784]);
  const Y = tf.tensor2d(data.y, [n, 10]);
  const model = network(job.net);
  // lr 0.001 is PyTorch's Adam default.
  const opt = job.variant === 'wasm+sweetspot+fusedAdam' ? fusedAdam(0.001) : tf.train.adam(0.001);
  let perm = Int32Array.from({ length: n }, (_, i) => i);
  let state = 12345;
  const shuffle = (): void => {
    // A fresh permutation per epoch, like torch.randperm: the gather is part of the measured work.
    perm = perm.slice();
    for (let i = n - 1; i > 0; i--) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const j = state % (i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
  };
  const step = (from: number, size: number): number => {
    const loss = opt.minimize(() => {
      const idx = tf.tensor1d(perm.subarray(from, from + size), 'int32');
      const l = tf.losses.softmaxCrossEntropy(tf.gather(Y, idx), model.forward(tf.gather(X, idx) as tf.Tensor2D)) as tf.Scalar;
      return l;
    }, true)!;
    const v = loss.dataSync()[0]!;
    loss.dispose();
    return v;
  };
  const epoch = (limit = n): number => {
    shuffle();
    let last = NaN;
    for (let i = 0; i < limit; i += BATCH) last = step(i, Math.min(BATCH, limit - i));
    return last;
  };

  // Warm-up (JIT, XNNPACK operators, heap growth): one batch, plus four more for the fast configurations.
  const firstLoss = step(0, Math.min(BATCH, n));
  if (job.epochs > 1) epoch(Math.min(n, 4 * BATCH));
  const times: number[] = [];
  let finalLoss = NaN;
  for (let e = 0; e < job.epochs; e++) {
    const t0 = performance.now();
    finalLoss = epoch();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;

  let kernels: KernelRow[] = [];
  if (job.profile) {
    const batches = 4;
    const info = await tf.profile(() => { epoch(Math.min(n, batches * BATCH)); });
    const by = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const row = by.get(k.name) ?? { ms: 0, calls: 0 };
      row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      row.calls += 1;
      by.set(k.name, row);
    }
    kernels = [...by].map(([name, r]) => ({ name, msPerBatch: r.ms / batches, calls: r.calls / batches })).sort((a, b) => b.msPerBatch - a.msPerBatch);
  }
  tf.dispose([X, Y, ...model.vars]);
  opt.dispose();
  return { job, samplesPerS: n / median, finalLoss, firstLoss, kernels, simd };
}

if (!isMainThread) {
  runJob(workerData as Job).then((r) => parentPort!.postMessage({ ok: true, result: r }), (err: Error) => parentPort!.postMessage({ ok: false, error: err.stack ?? String(err) }));
}

// ---------------------------------------------------------------- main thread

function inWorker(job: Job): Promise<JobResult> {
  return new Promise((resolvePromise, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: job });
    w.once('message', (m: { ok: boolean; result?: JobResult; error?: string }) => {
      void w.terminate();
      if (m.ok) resolvePromise(m.result!);
      else reject(new Error(`${job.net} ${job.variant}: ${m.error}`));
    });
    w.once('error', reject);
  });
}

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sweetspot') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

interface TorchRow { framework: string; net: Net; samples_per_s: number }

function runTorch(root: string, samples: number): { rows: TorchRow[]; note?: string } {
  const script = resolve(root, '../shared/reference/torch_train_bench.py');
  if (!existsSync(script)) return { rows: [], note: `PyTorch reference skipped: ${script} not found` };
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, [script, '--project', root, '--samples', String(samples), '--threads', '1'], { encoding: 'utf8', cwd: root, timeout: 600_000 });
  if (r.status !== 0) return { rows: [], note: `PyTorch reference failed (exit ${r.status}): ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0]}` };
  const rows = r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as TorchRow);
  return { rows };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const root = projectRoot();
  const samples = Number(arg('--samples') ?? 2000);
  const withTorch = !process.argv.includes('--no-torch');
  // Slow configurations time fewer samples (one epoch) so the bench stays a few minutes long.
  const jobs: Job[] = [
    { net: 'cnn', variant: 'wasm+sweetspot+fusedAdam', samples, epochs: 3, profile: false },
    { net: 'cnn', variant: 'wasm+sweetspot', samples, epochs: 3, profile: true },
    { net: 'cnn', variant: 'wasm', samples: 320, epochs: 1, profile: true },
    { net: 'cnn', variant: 'cpu', samples: 64, epochs: 1, profile: false },
    { net: 'mlp', variant: 'wasm+sweetspot+fusedAdam', samples, epochs: 3, profile: true },
    { net: 'mlp', variant: 'wasm+sweetspot', samples, epochs: 3, profile: true },
    { net: 'mlp', variant: 'wasm', samples: 640, epochs: 1, profile: true },
    { net: 'mlp', variant: 'cpu', samples: 640, epochs: 1, profile: false },
  ];

  const loadStart = loadavg()[0]!;
  const before = withTorch ? runTorch(root, samples) : { rows: [], note: 'PyTorch reference skipped (--no-torch)' };
  const results: JobResult[] = [];
  for (const job of jobs) {
    const r = await inWorker(job);
    console.log(`${job.net} ${job.variant}: ${r.samplesPerS.toFixed(1)} samples/s`);
    results.push(r);
  }
  const after = withTorch && before.rows.length > 0 ? runTorch(root, samples) : { rows: [] as TorchRow[] };
  const torch = new Map<Net, { best: number; runs: number[]; framework: string }>();
  for (const row of [...before.rows, ...after.rows]) {
    const t = torch.get(row.net) ?? { best: 0, runs: [], framework: row.framework };
    t.runs.push(row.samples_per_s);
    t.best = Math.max(t.best, row.samples_per_s);
    torch.set(row.net, t);
  }

  const lines: string[] = [];
  lines.push('# Training throughput, one worker thread', '');
  lines.push(`Reference networks of shared/reference/torch_train_bench.py, batch ${BATCH}, Adam (lr 0.001), real digits from the \`mnist\` package; ` +
    `median of the timed epochs. ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, tfjs ${tf.version.tfjs}, ` +
    `wasm SIMD ${results.find((r) => r.simd !== null)?.simd ? 'on' : 'off'}. Date ${new Date().toISOString().slice(0, 16)}Z; ` +
    `load average at the start ${loadStart.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)} (on a shared machine every figure, PyTorch's too, drops with load; compare within one run).`, '');
  lines.push('| network | backend | kernels | samples timed | samples/s | × PyTorch | loss first → last |');
  lines.push('|---|---|---|---:|---:|---:|---|');
  for (const net of ['cnn', 'mlp'] as const) {
    const t = torch.get(net);
    if (t) lines.push(`| ${net} | ${t.framework}, 1 thread | native | ${samples} | ${t.best.toFixed(0)} | 1.00 | (runs: ${t.runs.map((x) => x.toFixed(0)).join(', ')}) |`);
    for (const r of results.filter((x) => x.job.net === net)) {
      const kernels = r.job.variant === 'wasm+sweetspot+fusedAdam' ? 'sweetspot + fusedAdam' : r.job.variant === 'wasm+sweetspot' ? 'sweetspot' : r.job.variant === 'wasm' && net === 'cnn' ? 'built-in + naive JS filter grad' : 'built-in';
      const backend = r.job.variant === 'cpu' ? 'tfjs cpu' : 'tfjs wasm';
      const ratio = t ? (r.samplesPerS / t.best).toFixed(3) : 'n/a';
      lines.push(`| ${net} | ${backend} | ${kernels} | ${r.job.samples}×${r.job.epochs} | ${r.samplesPerS.toFixed(0)} | ${ratio} | ${r.firstLoss.toFixed(2)} → ${r.finalLoss.toFixed(2)} |`);
    }
  }
  if (before.note) lines.push('', before.note);
  lines.push('', 'Target: at least 0.30 × PyTorch on both networks.');
  for (const r of results.filter((x) => x.kernels.length > 0)) {
    const total = r.kernels.reduce((s, k) => s + k.msPerBatch, 0);
    const what = r.job.variant === 'wasm' ? 'built-in kernels' : r.job.variant === 'wasm+sweetspot' ? 'sweetspot kernels, tf.train.adam' : 'sweetspot kernels, fusedAdam';
    lines.push('', `### Where the time goes: ${r.job.net}, tfjs wasm, ${what} (tf.profile, ms per batch of ${BATCH})`, '');
    lines.push('| kernel | ms/batch | calls/batch | share |', '|---|---:|---:|---:|');
    for (const k of r.kernels.slice(0, 10)) lines.push(`| ${k.name} | ${k.msPerBatch.toFixed(2)} | ${k.calls.toFixed(0)} | ${((100 * k.msPerBatch) / total).toFixed(0)}% |`);
    const calls = r.kernels.reduce((s, k) => s + k.calls, 0);
    lines.push(`| all ${r.kernels.length} kernels | ${total.toFixed(2)} | ${calls.toFixed(0)} | 100% |`);
    lines.push('', `Wall time per batch at the measured rate: ${((1000 * BATCH) / r.samplesPerS).toFixed(2)} ms; kernel time above is measured in a separate profiled epoch, ` +
      'and what wall time has beyond it is tfjs\'s own JavaScript (tape, gradient bookkeeping, optimizer loops) and load on the machine.');
  }
  const table = lines.join('\n') + '\n';
  console.log('\n' + table);
  const out = join(root, 'reports', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'train.md'), table);
  console.log(`written to ${join(out, 'train.md')}`);
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
