/**
 * What a trial measures: test accuracy and loss, parameter counts, the storage size in bits,
 * multiply-accumulates and inference latency.
 *
 * size_bits, per weight layer with n weights of which nz are non-zero, at b bits (b = 32: float32):
 *   values  = min(n · b,  nz · b + min(n, nz · ⌈log2 n⌉))   dense storage, or the non-zero values
 *             plus the cheaper sparse index (a 1-bit-per-weight bitmap, or one ⌈log2 n⌉-bit
 *             position per non-zero weight), whichever is smaller
 *   scales  = outChannels · 32 when b < 32 (one float32 scale per output channel), else 0
 *   biases  = outChannels · 32 (biases stay float32)
 * size_bits = Σ over layers (values + scales + biases).
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { median } from 'simple-statistics';
import type { TF } from '../../engine/index.js';
import { CLASSES, PIXELS, gatherLabels, gatherPixels, type DigitSet } from './data.js';
import { forward, weightCount, type LayerSpec, type Model } from './models.js';
import { FLOAT_BITS } from './quantize.js';

/** Storage bits of one layer (see the file comment). */
export function layerSizeBits(l: LayerSpec, nonzero: number, bits: number): number {
  const n = weightCount(l);
  const b = Math.min(bits, FLOAT_BITS);
  const sparse = nonzero * b + Math.min(n, nonzero * Math.ceil(Math.log2(Math.max(2, n))));
  const values = Math.min(n * b, sparse);
  const scales = b < FLOAT_BITS ? l.outChannels * 32 : 0;
  return values + scales + l.outChannels * 32;
}

/** size_bits of a model: `nonzero[i]` non-zero weights in layer i. */
export function sizeBits(layers: readonly LayerSpec[], nonzero: readonly number[], bits: number): number {
  return layers.reduce((s, l, i) => s + layerSizeBits(l, nonzero[i]!, bits), 0);
}

export interface Evaluation {
  /** Fraction correct in [0, 1]. */
  readonly accuracy: number;
  /** Mean cross-entropy. */
  readonly loss: number;
}

/**
 * Accuracy and mean cross-entropy on `set`, with the weights currently in the model (or `weights`
 * in their place, e.g. quantized copies). Reads are asynchronous: synchronous reads are slow on
 * webgpu and need a canvas Node does not have.
 */
export async function evaluate(tf: TF, model: Model, set: DigitSet, batchSize = 500, weights: readonly Tensor[] = model.weights): Promise<Evaluation> {
  const n = set.indices.length;
  let correct = 0;
  let lossSum = 0;
  const pixels = new Float32Array(batchSize * PIXELS);
  for (let b = 0; b < n; b += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - b) }, (_, i) => b + i);
    const m = idx.length;
    const x = gatherPixels(set, idx, pixels.subarray(0, m * PIXELS));
    const labels = gatherLabels(set, idx);
    const both = tf.tidy(() => {
      const logits = forward(tf, model, tf.tensor2d(x, [m, PIXELS]), weights);
      const y = tf.tensor1d(labels, 'int32');
      const hits = logits.argMax(1).equal(y).sum().toFloat();
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, CLASSES).toFloat(), logits, undefined, 0, tf.Reduction.SUM);
      return tf.stack([hits, loss]);
    });
    const [c, l] = await both.data();
    both.dispose();
    correct += c!;
    lossSum += l!;
  }
  return { accuracy: correct / n, loss: lossSum / n };
}

/** Logits for the whole of `set` (`n × 10`, row-major), e.g. a teacher's, computed once. */
export async function logitsOf(tf: TF, model: Model, set: DigitSet, batchSize = 500): Promise<Float32Array> {
  const n = set.indices.length;
  const out = new Float32Array(n * CLASSES);
  for (let b = 0; b < n; b += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - b) }, (_, i) => b + i);
    const x = gatherPixels(set, idx);
    const logits = tf.tidy(() => forward(tf, model, tf.tensor2d(x, [idx.length, PIXELS])));
    out.set((await logits.data()) as Float32Array, b * CLASSES);
    logits.dispose();
  }
  return out;
}

/**
 * Median wall time (ms) of `repeats` forward passes over one batch of `batch` test digits, after
 * two warm-up passes, reading the result back each time (so asynchronous backends finish).
 */
export async function latencyMs(tf: TF, model: Model, set: DigitSet, batch: number, repeats: number): Promise<number> {
  const m = Math.min(batch, set.indices.length);
  const x = gatherPixels(set, Int32Array.from({ length: m }, (_, i) => i));
  const xs = tf.tensor2d(x, [m, PIXELS]);
  const times: number[] = [];
  try {
    for (let r = 0; r < repeats + 2; r++) {
      const t0 = performance.now();
      const y = tf.tidy(() => forward(tf, model, xs));
      await y.data();
      y.dispose();
      if (r >= 2) times.push(performance.now() - t0);
    }
  } finally {
    xs.dispose();
  }
  return times.length ? median(times) : NaN;
}

/** Replace each weight variable's value with `values[i]` (e.g. the quantized weights). */
export function assignWeights(model: Model, values: readonly Tensor[]): void {
  model.weights.forEach((w, i) => w.assign(values[i]!));
}

export type { Tensor2D };
