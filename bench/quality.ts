/**
 * Quality of the compression pipeline on real MNIST (`npm run bench:quality`), table written to
 * reports/bench/quality.md.
 *
 * Part 1, the targets: the reference cnn (conv 32, pool, conv 64, pool, dense 64, dense 10)
 * trained 3 epochs on the 8,000-digit split reaches >= 97%; 8-bit quantization costs <= 0.5 points;
 * 50% pruning with one fine-tuning epoch costs <= 1 point.
 * Part 2, the design article's table redone: its MNIST CNN (conv 32, pool, dense 64, dense 10)
 * original / half width / 4 bits, and the smallest pruned + quantized configuration within 1 point
 * of the original, with its size ratio.
 *
 * Flags: --backend NAME (default wasm), --epochs N (default 3), --train N (default 8000),
 * --test N (default 2000), --skip-reference (part 2 only).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  buildModel,
  disposeModel,
  evaluate,
  logitsOf,
  magnitudeMask,
  sizeBits,
  splitDigits,
  trainPhase,
  quantizeTensor,
  type Model,
  type ModelSpec,
  type Split,
} from '../src/objectives/compression/index.js';
import { nonzeroCounts } from '../src/objectives/compression/prune.js';
import { Rng } from '../src/math/index.js';
import { loadBackend, parseBackendRequest, type TF } from '../src/workers/backends.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const EPOCHS = Number(arg('epochs', '3'));
const TRAIN = Number(arg('train', '8000'));
const TEST = Number(arg('test', '2000'));
const LR = 0.001;
const BATCH = 64;

interface Row {
  readonly part: string;
  readonly config: string;
  readonly accuracy: number;
  readonly sizeBits: number;
  readonly target: string;
  readonly pass: boolean | null;
  readonly seconds: number;
}

const { tf, backend } = await loadBackend(parseBackendRequest(arg('backend', 'wasm')));
const split = splitDigits(TRAIN, TEST, 0);
const rows: Row[] = [];
const candidates: string[] = [];
const log = (r: Row) => {
  rows.push(r);
  console.log(`${r.part} | ${r.config} | ${(100 * r.accuracy).toFixed(2)}% | ${r.sizeBits} bits | ${r.target} | ${r.pass ?? ''} | ${r.seconds.toFixed(1)} s`);
  write();
};

async function trained(spec: ModelSpec, seed: number): Promise<{ model: Model; seconds: number }> {
  const model = buildModel(tf, spec, seed);
  const t0 = performance.now();
  await trainPhase(tf, model, split.train, { epochs: EPOCHS, learningRate: LR, batchSize: BATCH, augmentation: 0, rand: new Rng(seed) });
  return { model, seconds: (performance.now() - t0) / 1000 };
}

function copyOf(m: Model): Model {
  const copy = buildModel(tf, m.spec, 0);
  copy.weights.forEach((w, i) => w.assign(m.weights[i]!));
  copy.biases.forEach((b, i) => b.assign(m.biases[i]!));
  return copy;
}

/** Quantize `m`'s weights in place; returns size_bits. */
function quantizeInPlace(m: Model, bits: number): number {
  const q = m.weights.map((w) => quantizeTensor(tf, w, bits));
  m.weights.forEach((w, i) => w.assign(q[i]!));
  q.forEach((t) => t.dispose());
  return sizeBits(m.layers, nonzeroCounts(m.weights), bits);
}

/** A pruned (with `fineTune` epochs of gradual pruning) and quantized copy of `base`. */
async function compressed(base: Model, pruning: number, bits: number, fineTune: number, seed: number): Promise<{ accuracy: number; size: number; seconds: number }> {
  const m = copyOf(base);
  const t0 = performance.now();
  let masks: readonly Tensor[] | undefined;
  if (pruning > 0) {
    if (fineTune > 0) {
      masks = (await trainPhase(tf, m, split.train, { epochs: fineTune, learningRate: LR, batchSize: BATCH, augmentation: 0, rand: new Rng(seed), pruneTo: pruning })).masks;
    } else {
      masks = m.weights.map((w) => magnitudeMask(tf, w, pruning));
      tf.tidy(() => m.weights.forEach((w, i) => w.assign(w.mul(masks![i]!))));
    }
  }
  const size = quantizeInPlace(m, bits);
  const accuracy = evaluate(tf, m, split.test).accuracy;
  masks?.forEach((t) => t.dispose());
  disposeModel(m);
  return { accuracy, size, seconds: (performance.now() - t0) / 1000 };
}

const floatSize = (m: Model) => sizeBits(m.layers, nonzeroCounts(m.weights), 32);
const pts = (a: number, b: number) => (100 * (a - b)).toFixed(2);

if (!process.argv.includes('--skip-reference')) {
  const ref = await trained({ family: 'cnn', width: 32, depth: 2 }, 1);
  const acc = evaluate(tf, ref.model, split.test).accuracy;
  log({ part: 'targets', config: `reference cnn, ${EPOCHS} epochs, ${TRAIN} digits (${(TRAIN * EPOCHS / ref.seconds).toFixed(0)} samples/s)`, accuracy: acc, sizeBits: floatSize(ref.model), target: '>= 97%', pass: acc >= 0.97, seconds: ref.seconds });
  const q8 = await compressed(ref.model, 0, 8, 0, 2);
  log({ part: 'targets', config: 'reference cnn, 8-bit (post-training)', accuracy: q8.accuracy, sizeBits: q8.size, target: `<= 0.5 point loss (${pts(acc, q8.accuracy)})`, pass: acc - q8.accuracy <= 0.005, seconds: q8.seconds });
  const p50 = await compressed(ref.model, 0.5, 32, 1, 3);
  log({ part: 'targets', config: 'reference cnn, 50% pruned, 1 fine-tune epoch', accuracy: p50.accuracy, sizeBits: p50.size, target: `<= 1 point loss (${pts(acc, p50.accuracy)})`, pass: acc - p50.accuracy <= 0.01, seconds: p50.seconds });
  disposeModel(ref.model);
}

const article = await trained({ family: 'cnn', width: 32, depth: 1 }, 4);
const original = evaluate(tf, article.model, split.test).accuracy;
const originalSize = floatSize(article.model);
log({ part: 'article', config: 'original: conv 32, pool, dense 64, dense 10 (article 98.5%)', accuracy: original, sizeBits: originalSize, target: '', pass: null, seconds: article.seconds });
const half = await trained({ family: 'cnn', width: 16, depth: 1 }, 5);
const halfAcc = evaluate(tf, half.model, split.test).accuracy;
log({ part: 'article', config: 'half width: conv 16, dense 32 (article 94.5%)', accuracy: halfAcc, sizeBits: floatSize(half.model), target: `<= 1 point loss (${pts(original, halfAcc)})`, pass: original - halfAcc <= 0.01, seconds: half.seconds });
disposeModel(half.model);
// The article's remedy for a smaller network: distil it from the original (T = 4, alpha = 0.7).
{
  const student = buildModel(tf, { family: 'cnn', width: 16, depth: 1 }, 5);
  const all = logitsOf(tf, article.model, split.train);
  const teacher = (batch: Int32Array) => {
    const out = new Float32Array(batch.length * 10);
    batch.forEach((b, i) => out.set(all.subarray(b * 10, b * 10 + 10), i * 10));
    return tf.tensor2d(out, [batch.length, 10]);
  };
  const t0 = performance.now();
  await trainPhase(tf, student, split.train, { epochs: EPOCHS, learningRate: LR, batchSize: BATCH, augmentation: 0, rand: new Rng(5), distill: { temperature: 4, alpha: 0.7 }, teacher });
  const acc = evaluate(tf, student, split.test).accuracy;
  log({ part: 'article', config: 'half width, distilled from the original (T 4, alpha 0.7)', accuracy: acc, sizeBits: floatSize(student), target: `<= 1 point loss (${pts(original, acc)})`, pass: original - acc <= 0.01, seconds: (performance.now() - t0) / 1000 });
  disposeModel(student);
}
const q4 = await compressed(article.model, 0, 4, 0, 6);
log({ part: 'article', config: '4 bits, post-training (article 92.0%)', accuracy: q4.accuracy, sizeBits: q4.size, target: `<= 1 point loss (${pts(original, q4.accuracy)})`, pass: original - q4.accuracy <= 0.01, seconds: q4.seconds });

// The smallest configuration within 1 point: prune harder and quantize lower, one fine-tune epoch each.
let best: { config: string; accuracy: number; size: number } | undefined;
for (const pruning of [0.5, 0.75, 0.9, 0.95]) {
  for (const bits of [8, 4, 2]) {
    const c = await compressed(article.model, pruning, bits, 1, 7);
    const config = `${Math.round(pruning * 100)}% pruned, ${bits} bits`;
    const line = `candidate ${config}: ${(100 * c.accuracy).toFixed(2)}%, ${c.size} bits (${(originalSize / c.size).toFixed(1)}x), ${c.seconds.toFixed(1)} s`;
    console.log(`  ${line}`);
    candidates.push(line);
    if (original - c.accuracy <= 0.01 && (!best || c.size < best.size)) best = { config, accuracy: c.accuracy, size: c.size };
  }
}
if (best) {
  log({ part: 'article', config: `smallest within 1 point: ${best.config}, ${(originalSize / best.size).toFixed(1)}x smaller`, accuracy: best.accuracy, sizeBits: best.size, target: `within 1 point (${pts(original, best.accuracy)})`, pass: true, seconds: 0 });
} else {
  log({ part: 'article', config: 'smallest within 1 point: none of the 12 candidates', accuracy: 0, sizeBits: 0, target: 'within 1 point', pass: false, seconds: 0 });
}
disposeModel(article.model);

function write(): void {
  const lines = [
    '# Compression quality (`npm run bench:quality`)',
    '',
    `Backend ${backend}, tfjs ${tf.version.tfjs}; ${TRAIN} training and ${TEST} test digits of the mnist package (split seed 0); Adam lr ${LR}, batch ${BATCH}, ${EPOCHS} epochs; no distillation or augmentation. size_bits by the README's formula; float32 = 32 bits per weight.`,
    '',
    '| part | configuration | test accuracy | size_bits | target | pass | seconds |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.part} | ${r.config} | ${(100 * r.accuracy).toFixed(2)}% | ${r.sizeBits.toLocaleString('en-US')} | ${r.target} | ${r.pass === null ? '' : r.pass ? 'yes' : 'NO'} | ${r.seconds.toFixed(1)} |`),
    '',
    ...(candidates.length > 0
      ? ['## Candidates for the smallest configuration within 1 point (article CNN, 1 pruning fine-tune epoch, post-training quantization)', '', ...candidates.map((c) => `- ${c}`), '']
      : []),
  ];
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync('reports/bench/quality.md', lines.join('\n'));
}
export type { Split, TF };
