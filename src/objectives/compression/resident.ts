/**
 * A digit set kept on the backend's device: on a GPU, uploading each mini-batch's pixels costs
 * more than the step itself for small networks, so the training set goes up once per worker
 * thread and each step gathers its rows there (only the batch's indices travel). One set per
 * thread: a trial's training set is the study's, so the next trial reuses it.
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import type { TF } from '../../engine/index.js';
import { PIXELS, gatherPixels, type DigitSet } from './data.js';

let cached: { readonly pool: DigitSet['pool']; readonly indices: Int32Array; readonly pixels: Tensor2D } | undefined;

const sameIndices = (a: Int32Array, b: Int32Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** `set`'s pixels as an `n × 784` tensor on the device (uploaded on first use, kept for the thread). */
export function residentPixels(tf: TF, set: DigitSet): Tensor2D {
  if (cached && cached.pool === set.pool && sameIndices(cached.indices, set.indices) && !cached.pixels.isDisposed) return cached.pixels;
  cached?.pixels.dispose();
  const all = Int32Array.from({ length: set.indices.length }, (_, i) => i);
  const pixels = tf.keep(tf.tensor2d(gatherPixels(set, all), [all.length, PIXELS]));
  cached = { pool: set.pool, indices: Int32Array.from(set.indices), pixels };
  return pixels;
}
