/**
 * Symmetric per-output-channel weight quantization. For `bits` b (2..31) each output channel c
 * (the last axis: conv `3 × 3 × in × out`, dense `in × out`) gets a scale
 * s_c = max|w[…, c]| / (2^(b−1) − 1), and each weight becomes s_c · clip(round(w / s_c), ±(2^(b−1) − 1)):
 * at most 2^b − 1 distinct values per channel, zero kept exactly (so pruning survives). 32 bits
 * means float32, left as is. Quantization-aware fine-tuning uses the straight-through estimator:
 * the forward pass sees quantized weights, the gradient passes to the float weights unchanged.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { ObjectiveError } from '../../errors.js';
import type { TF } from '../../engine/index.js';

export const MIN_BITS = 2;
export const FLOAT_BITS = 32;

export function validateBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < MIN_BITS || bits > FLOAT_BITS) {
    throw new ObjectiveError(`bits must be an integer in ${MIN_BITS}..${FLOAT_BITS}, got ${JSON.stringify(bits)}`);
  }
}

/** Whether `bits` quantizes at all (32 = float32 storage, nothing to do). */
export function quantizes(bits: number): boolean {
  return bits < FLOAT_BITS;
}

/** `out` scales, one per output channel (last axis of `w`). */
export function channelScales(tf: TF, w: Tensor, bits: number): Tensor {
  return tf.tidy(() => {
    const qmax = 2 ** (bits - 1) - 1;
    const axes = w.shape.slice(0, -1).map((_, i) => i);
    const maxAbs = w.abs().max(axes);
    // An all-zero channel (fully pruned) gets scale 1: its weights stay 0 either way.
    return tf.where(maxAbs.greater(0), maxAbs.div(qmax), tf.onesLike(maxAbs));
  });
}

/** The quantized copy of `w` (a new tensor of the same shape). */
export function quantizeTensor(tf: TF, w: Tensor, bits: number): Tensor {
  validateBits(bits);
  if (!quantizes(bits)) return w.clone();
  return tf.tidy(() => {
    const qmax = 2 ** (bits - 1) - 1;
    const scale = channelScales(tf, w, bits);
    return w.div(scale).round().clipByValue(-qmax, qmax).mul(scale);
  });
}

/** Fake quantization with a straight-through gradient, for quantization-aware training. */
export function fakeQuantize(tf: TF, w: Tensor, bits: number): Tensor {
  if (!quantizes(bits)) return w;
  const ste = tf.customGrad((...inputs) => ({
    value: quantizeTensor(tf, inputs[0] as Tensor, bits),
    gradFunc: (dy: Tensor) => dy,
  }));
  return ste(w);
}
