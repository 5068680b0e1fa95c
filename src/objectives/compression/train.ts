/**
 * One training phase of a model: shuffled mini-batches, Adam, optional augmentation, optional
 * teacher (distillation), optional gradual pruning or fixed masks, optional quantization-aware
 * forward passes. The same loop trains the teacher, the student, the pruning fine-tune and the
 * quantization-aware fine-tune.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Rng } from '../../math/index.js';
import { isGpuBackend, type TF } from '../../engine/index.js';
import { augmentBatch } from './augment.js';
import { CLASSES, PIXELS, gatherLabels, gatherPixels, type DigitSet } from './data.js';
import { distillationLoss, type DistillSettings } from './distill.js';
import { forward, type Model } from './models.js';
import { applyMasks, magnitudeMasks, scheduledSparsity } from './prune.js';
import { fakeQuantize } from './quantize.js';
import { residentPixels } from './resident.js';
import { learningRateAt, type LrSchedule } from './schedule.js';

/** Logits of the teacher for a batch: `batch` positions in the train set, `xs` the (augmented) `m × 784` inputs → `m × 10`. */
export type TeacherLogits = (batch: Int32Array, xs: Tensor2D) => Tensor2D;

export interface PhaseSettings {
  readonly epochs: number;
  /** Peak learning rate of Adam. */
  readonly learningRate: number;
  /** How the rate moves over the phase's steps (default constant). */
  readonly schedule?: LrSchedule;
  readonly batchSize: number;
  /** Augmentation strength in [0, 1]. */
  readonly augmentation: number;
  /** The phase's random stream: batch order and augmentation. */
  readonly rand: Rng;
  readonly distill?: DistillSettings;
  readonly teacher?: TeacherLogits;
  /** Ramp pruning to this sparsity over the phase (cubic schedule); the final masks are returned. */
  readonly pruneTo?: number;
  /** Masks held fixed (after pruning): re-applied after every step. One per weight tensor. */
  readonly masks?: readonly Tensor[];
  /** Train with weights fake-quantized to these bits (straight-through estimator). */
  readonly qatBits?: number;
  readonly signal?: AbortSignal;
  /** Called after each epoch (0-based). */
  readonly onEpoch?: (epoch: number) => void | Promise<void>;
}

export interface PhaseResult {
  /** Masks in force at the end (pruning phases, or the fixed masks passed in). */
  readonly masks?: readonly Tensor[];
  readonly steps: number;
  readonly samples: number;
}

/** Number of mask updates over a pruning phase. */
const PRUNE_UPDATES = 16;

export async function trainPhase(tf: TF, model: Model, train: DigitSet, s: PhaseSettings): Promise<PhaseResult> {
  const n = train.indices.length;
  const stepsPerEpoch = Math.ceil(n / s.batchSize);
  const total = stepsPerEpoch * s.epochs;
  const updateEvery = Math.max(1, Math.floor(total / PRUNE_UPDATES));
  let masks: Tensor[] | undefined = s.masks ? [...s.masks] : undefined;
  const ownMasks = s.pruneTo !== undefined;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const pixels = new Float32Array(s.batchSize * PIXELS);
  // On a GPU the (un-augmented) training set lives on the device; each step gathers its rows there.
  const resident = s.augmentation === 0 && isGpuBackend(tf.getBackend()) ? residentPixels(tf, train) : undefined;
  const optimizer = tf.train.adam(s.learningRate);
  // tfjs's Adam reads its (protected) learningRate at every step, so a schedule can set it in place.
  const adam = optimizer as unknown as { learningRate: number };
  const schedule = s.schedule ?? 'constant';
  const vars = [...model.weights, ...model.biases];
  let step = 0;
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      s.rand.shuffle(order);
      for (let b = 0; b < n; b += s.batchSize) {
        // Yield to the event loop so an abort (a message from the main thread) can arrive.
        await new Promise((r) => setImmediate(r));
        s.signal?.throwIfAborted();
        const batch = order.subarray(b, Math.min(n, b + s.batchSize));
        const m = batch.length;
        let x: Float32Array | undefined;
        if (!resident) {
          x = gatherPixels(train, batch, pixels.subarray(0, m * PIXELS));
          augmentBatch(x, s.augmentation, s.rand);
        }
        const labels = gatherLabels(train, batch);
        adam.learningRate = learningRateAt(schedule, s.learningRate, step, total);
        tf.tidy(() => {
          const xs = resident ? (tf.gather(resident, tf.tensor1d(batch, 'int32')) as Tensor2D) : tf.tensor2d(x!, [m, PIXELS]);
          const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat() as Tensor2D;
          const teacher = s.teacher ? s.teacher(batch, xs) : null;
          optimizer.minimize(
            () => {
              const ws = s.qatBits !== undefined ? model.weights.map((w) => fakeQuantize(tf, w, s.qatBits!)) : model.weights;
              return distillationLoss(tf, forward(tf, model, xs, ws), oneHot, teacher, s.distill ?? { temperature: 0, alpha: 0 });
            },
            false,
            vars,
          );
        });
        step++;
        if (ownMasks && (step % updateEvery === 0 || step === total)) {
          const sparsity = step === total ? s.pruneTo! : scheduledSparsity(s.pruneTo!, step, total);
          const next = await magnitudeMasks(tf, model.weights, sparsity);
          masks?.forEach((mk) => mk.dispose());
          masks = next;
        }
        if (masks) applyMasks(tf, model.weights, masks);
      }
      await s.onEpoch?.(epoch);
    }
  } catch (err) {
    if (ownMasks) masks?.forEach((mk) => mk.dispose());
    throw err;
  } finally {
    optimizer.dispose();
  }
  return { masks, steps: step, samples: n * s.epochs };
}
