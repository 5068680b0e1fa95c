/**
 * Magnitude pruning of weights (never biases), layer by layer, with the gradual cubic schedule of
 * Zhu & Gupta (2017): sparsity s(t) = s_f · (1 − (1 − t/T)³) over the T fine-tuning steps, the
 * masks recomputed every few steps and then held fixed. Each layer keeps exactly
 * numel − round(s · numel) weights, so the measured sparsity equals the request to within
 * rounding (≪ 1%).
 */
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { ObjectiveError } from '../../errors.js';
import type { TF } from '../../engine/index.js';

export const MAX_PRUNING = 0.99;

export function validatePruning(ratio: number): void {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > MAX_PRUNING) {
    throw new ObjectiveError(`pruning must be a ratio in [0, ${MAX_PRUNING}], got ${JSON.stringify(ratio)}`);
  }
}

/** Sparsity the schedule asks for after `step` of `total` steps (cubic ramp to `target`). */
export function scheduledSparsity(target: number, step: number, total: number): number {
  if (total <= 0) return target;
  const t = Math.min(1, Math.max(0, step / total));
  return target * (1 - (1 - t) ** 3);
}

/** Masks for every weight tensor (see magnitudeMask). */
export function magnitudeMasks(tf: TF, weights: readonly Tensor[], ratio: number): Promise<Tensor[]> {
  return Promise.all(weights.map((w) => magnitudeMask(tf, w, ratio)));
}

/**
 * A 0/1 mask of `w`'s shape that zeroes exactly round(ratio · numel) of its smallest-magnitude
 * entries (ties broken by position, so the count is exact).
 */
export async function magnitudeMask(tf: TF, w: Tensor, ratio: number): Promise<Tensor> {
  const values = (await w.data()) as Float32Array;
  const n = values.length;
  const k = Math.round(ratio * n);
  const mask = new Float32Array(n).fill(1);
  if (k > 0) {
    const abs = values.map(Math.abs);
    const threshold = Float32Array.from(abs).sort()[k - 1]!;
    let zeroed = 0;
    for (let i = 0; i < n; i++) if (abs[i]! < threshold) { mask[i] = 0; zeroed++; }
    for (let i = 0; i < n && zeroed < k; i++) if (abs[i] === threshold) { mask[i] = 0; zeroed++; }
  }
  return tf.tensor(mask, w.shape);
}

/** Zero the masked weights in place. */
export function applyMasks(tf: TF, weights: readonly Variable[], masks: readonly Tensor[]): void {
  tf.tidy(() => weights.forEach((w, i) => w.assign(w.mul(masks[i]!))));
}

/** Fraction of exactly-zero entries over all `weights`. */
export async function measuredSparsity(weights: readonly Tensor[]): Promise<number> {
  let zeros = 0;
  let total = 0;
  for (const w of weights) {
    const v = await w.data();
    total += v.length;
    for (let i = 0; i < v.length; i++) if (v[i] === 0) zeros++;
  }
  return total === 0 ? 0 : zeros / total;
}

/** Non-zero count per tensor. */
export async function nonzeroCounts(weights: readonly Tensor[]): Promise<number[]> {
  const counts: number[] = [];
  for (const w of weights) {
    const v = await w.data();
    let nz = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== 0) nz++;
    counts.push(nz);
  }
  return counts;
}
