/**
 * The training loss, with or without a teacher (Hinton et al., 2015):
 *
 *   loss = alpha · T² · KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − alpha) · CE(labels, softmax(student))
 *
 * averaged over the batch. The T² keeps the soft term's gradients on the same scale as the hard
 * term's as T grows. Temperature ≤ 1 (or `off`), alpha 0 or no teacher means plain cross-entropy.
 */
import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { ObjectiveError } from '../../errors.js';
import type { TF } from '../../engine/index.js';

export interface DistillSettings {
  /** Softening temperature; ≤ 1 turns distillation off. */
  readonly temperature: number;
  /** Weight of the soft (teacher) term in [0, 1]. */
  readonly alpha: number;
}

/** Whether these settings use a teacher at all. */
export function distills(s: DistillSettings): boolean {
  return s.temperature > 1 && s.alpha > 0;
}

/** `temperature` from a knob value: a number, or `off` / `none` / false for plain training. */
export function parseTemperature(value: unknown): number {
  if (value === undefined || value === null || value === 'off' || value === 'none' || value === false) return 0;
  const t = typeof value === 'string' ? Number(value) : value;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
    throw new ObjectiveError(`temperature must be a number >= 0 or 'off', got ${JSON.stringify(value)}`);
  }
  return t;
}

/**
 * Mean loss over a batch. `student` and `teacher` are `n × 10` logits; `oneHot` is `n × 10`.
 * `teacher` may be null (plain cross-entropy).
 */
export function distillationLoss(tf: TF, student: Tensor2D, oneHot: Tensor2D, teacher: Tensor2D | null, s: DistillSettings): Scalar {
  return tf.tidy(() => {
    const ce = tf.losses.softmaxCrossEntropy(oneHot, student) as Scalar;
    if (!teacher || !distills(s)) return ce;
    const T = s.temperature;
    const logPs = tf.logSoftmax(student.div(T));
    const logPt = tf.logSoftmax(teacher.div(T));
    const kl = tf.exp(logPt).mul(logPt.sub(logPs)).sum(1).mean() as Scalar;
    return kl.mul(s.alpha * T * T).add(ce.mul(1 - s.alpha)) as Scalar;
  });
}
