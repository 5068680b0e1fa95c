/**
 * The compression trial, start to end:
 *   teacher (once per study) → student trained with distillation → gradual magnitude pruning with
 *   fine-tuning, masks fixed → optional quantization-aware fine-tuning → per-channel quantization →
 *   evaluation with the quantized weights in the model → size, MACs, latency.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { ObjectiveError } from '../../errors.js';
import { Rng } from '../../math/index.js';
import type { Params } from '../../space/index.js';
import { hasKernel, isGpuBackend, loadBackend, type TF } from '../../engine/index.js';
import { isPrunedReason } from '../../study/index.js';
import type { ObjectiveContext, ObjectiveOutput } from '../types.js';
import { CLASSES, splitDigits, type Split } from './data.js';
import { distills } from './distill.js';
import { assignWeights, evaluate, latencyMs, logitsOf, sizeBits } from './metrics.js';
import { buildModel, disposeModel, forward, layerSpecs, macCount, paramCount, weightCount, type Model } from './models.js';
import { resolveSettings, type TrialSettings } from './options.js';
import { magnitudeMasks, measuredSparsity, nonzeroCounts } from './prune.js';
import { quantizeTensor, quantizes } from './quantize.js';
import { ensureTeacher, type Teacher, type TeacherRequest } from './teacher.js';
import { trainPhase, type TeacherLogits } from './train.js';

/** The context fields the trial uses (a full ObjectiveContext fits). */
export type TrialContext = Pick<ObjectiveContext, 'trial' | 'seed' | 'signal' | 'report' | 'studyDir' | 'options' | 'device' | 'artifacts'>;

export async function compressionTrial(params: Params, ctx: TrialContext): Promise<ObjectiveOutput> {
  const s = resolveSettings(params, ctx.options);
  // A GPU worker trains on its own GPU device; a CPU worker on the backend the space asks for.
  const { tf, backend, device } = await loadBackend(ctx.device === 'gpu' ? 'webgpu' : s.options.backend);
  requireKernels(tf, s);
  const split = splitDigits(s.options.trainSamples, s.options.testSamples, s.options.splitSeed);
  const started = performance.now();
  const rand = new Rng(ctx.seed);

  // Known before training: the size this configuration will have (at most: quantization may
  // round a few more weights to zero), its parameters and MACs. At step 0, so that a pruner ranks
  // by them from its first rung.
  ctx.report(0, plannedSize(s));

  let teacher: Teacher | undefined;
  if (distills({ temperature: s.temperature, alpha: s.options.alpha })) {
    // The teacher serves every trial of the study: a pruner's stop waits until it is trained (a
    // timeout or a study stop does not), then stops this trial.
    const teacherSignal = unlessPruned(ctx.signal);
    teacher = await ensureTeacher(
      tf,
      teacherRequest(s),
      ctx.studyDir,
      split,
      // With the study's artifacts, once per study across machines; the local folder is a cache.
      { signal: teacherSignal, ...(ctx.artifacts ? { artifacts: ctx.artifacts } : {}) },
    );
    ctx.signal.throwIfAborted();
  }
  const teacherSeconds = (performance.now() - started) / 1000;
  const trainStart = performance.now();

  const model = buildModel(tf, s.student, rand.int(2 ** 31));
  let masks: readonly Tensor[] | undefined;
  try {
    let step = 0;
    // Each epoch reports the accuracy the trial would end with if it stopped here: with its
    // weights quantized to its bit width, as the final evaluation measures them. A pruner ranks
    // trials by these values, and float accuracy flatters low-bit trials (a 2-bit network passed
    // the rungs and ended at 0.345). Pruning is not projected: its fine-tune epoch recovers most of it.
    const reportEpoch = async () => {
      const quantized = quantizes(s.bits) ? model.weights.map((w) => quantizeTensor(tf, w, s.bits)) : undefined;
      try {
        const ev = await evaluate(tf, model, split.test, s.options.evalBatchSize, quantized);
        ctx.report(++step, { accuracy: ev.accuracy, loss: ev.loss });
      } finally {
        quantized?.forEach((t) => t.dispose());
      }
    };
    const common = {
      learningRate: s.options.learningRate,
      batchSize: s.options.batchSize,
      augmentation: s.augmentation,
      rand,
      distill: { temperature: s.temperature, alpha: s.options.alpha },
      teacher: teacher ? await teacherLogits(tf, teacher, split, s.augmentation > 0, s.options.evalBatchSize) : undefined,
      signal: ctx.signal,
      onEpoch: reportEpoch,
    };
    await trainPhase(tf, model, split.train, { ...common, epochs: s.options.epochs, schedule: s.options.lrSchedule });

    if (s.pruning > 0) {
      if (s.options.pruneEpochs > 0) {
        masks = (await trainPhase(tf, model, split.train, { ...common, epochs: s.options.pruneEpochs, pruneTo: s.pruning })).masks;
      } else {
        masks = await magnitudeMasks(tf, model.weights, s.pruning);
        tf.tidy(() => model.weights.forEach((w, i) => w.assign(w.mul(masks![i]!))));
      }
    }
    if (quantizes(s.bits) && s.options.qatEpochs > 0) {
      await trainPhase(tf, model, split.train, { ...common, epochs: s.options.qatEpochs, masks, qatBits: s.bits });
    }
    const trainSeconds = (performance.now() - trainStart) / 1000;

    // Put the quantized weights into the model itself: everything below measures them.
    if (quantizes(s.bits)) {
      const q = model.weights.map((w) => quantizeTensor(tf, w, s.bits));
      assignWeights(model, q);
      q.forEach((t) => t.dispose());
    }
    const final = await evaluate(tf, model, split.test, s.options.evalBatchSize);
    const nonzero = await nonzeroCounts(model.weights);
    const out: Record<string, number | string> = {
      accuracy: final.accuracy,
      // The binomial standard error of the test accuracy: the balance takes it as a floor on E's
      // noise (src/balance/points.ts, SE_SUFFIX). On search-spaces/mnist-quick.yaml (1,000 test
      // digits) 10 seeds of one configuration gave accuracy sd 0.0095 against this 0.0087.
      accuracy_se: Math.sqrt((final.accuracy * (1 - final.accuracy)) / split.test.indices.length),
      loss: final.loss,
      params: paramCount(model.layers),
      nonzero_params: nonzero.reduce((a, b) => a + b, 0) + model.layers.reduce((a, l) => a + l.outChannels, 0),
      sparsity: await measuredSparsity(model.weights),
      size_bits: sizeBits(model.layers, nonzero, s.bits),
      macs: macCount(model.layers),
      latency_ms: await latencyMs(tf, model, split.test, s.options.latencyBatch, s.options.latencyRepeats),
      train_seconds: trainSeconds,
      backend,
      device,
    };
    if (teacher) {
      out.teacher_accuracy = teacher.accuracy;
      out.teacher_seconds = teacherSeconds;
    }
    return out;
  } finally {
    masks?.forEach((m) => m.dispose());
    disposeModel(model);
  }
}

/** What shapes this trial's teacher (its cache key): the same for every trial of a study. */
export function teacherRequest(s: TrialSettings): TeacherRequest {
  return { settings: s.teacher, batchSize: s.options.batchSize, trainSamples: s.options.trainSamples, testSamples: s.options.testSamples, splitSeed: s.options.splitSeed };
}

/** size_bits, params and macs of the trial's student, from its settings alone (prune.ts keeps exactly n − round(ratio·n) weights a layer). */
export function plannedSize(s: TrialSettings): Record<string, number> {
  const layers = layerSpecs(s.student);
  const nonzero = layers.map((l) => weightCount(l) - Math.round(s.pruning * weightCount(l)));
  return { size_bits: sizeBits(layers, nonzero, s.bits), params: paramCount(layers), macs: macCount(layers) };
}

/** A signal that follows `signal` except for a pruner's stop (see isPrunedReason). */
function unlessPruned(signal: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const follow = (): void => {
    if (!isPrunedReason(signal.reason)) controller.abort(signal.reason);
  };
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return controller.signal;
}

/** CNN training needs Conv2DBackpropFilter, which plain wasm lacks without src/engine/kernels. */
function requireKernels(tf: TF, s: TrialSettings): void {
  const cnn = s.student.family === 'cnn' || (s.temperature > 1 && s.teacher.spec.family === 'cnn');
  if (cnn && !hasKernel(tf, 'Conv2DBackpropFilter')) {
    throw new ObjectiveError(
      `training a cnn needs the Conv2DBackpropFilter kernel, which backend ${tf.getBackend()} lacks (the wasm training kernels of src/engine/kernels are missing); use family mlp or backend cpu`,
    );
  }
}

/**
 * Cached teacher logits for un-augmented batches (on a GPU kept on the device, each step gathering
 * its rows there); a teacher forward pass on augmented ones.
 */
async function teacherLogits(tf: TF, teacher: Teacher, split: Split, augmented: boolean, batchSize: number): Promise<TeacherLogits> {
  if (augmented) return (_batch, xs) => forward(tf, teacher.model, xs);
  const all = await cachedLogits(tf, teacher, split, batchSize);
  if (isGpuBackend(tf.getBackend())) {
    const onDevice = deviceLogits(tf, all);
    return (batch) => tf.gather(onDevice, tf.tensor1d(batch, 'int32')) as Tensor2D;
  }
  return (batch) => {
    const out = new Float32Array(batch.length * CLASSES);
    for (let i = 0; i < batch.length; i++) out.set(all.subarray(batch[i]! * CLASSES, (batch[i]! + 1) * CLASSES), i * CLASSES);
    return tf.tensor2d(out, [batch.length, CLASSES]) as Tensor2D;
  };
}

const logitCache = new Map<string, Float32Array>();
async function cachedLogits(tf: TF, teacher: Teacher, split: Split, batchSize: number): Promise<Float32Array> {
  const key = `${teacher.dir}\0${split.train.indices.length}`;
  let v = logitCache.get(key);
  if (!v) {
    v = await logitsOf(tf, teacher.model, split.train, batchSize);
    logitCache.clear(); // one teacher's logits per thread: 8,000 × 10 floats
    logitCache.set(key, v);
  }
  return v;
}

let uploaded: { readonly host: Float32Array; readonly tensor: Tensor2D } | undefined;
/** `logits` (`n × 10`) on the device, uploaded once per cached array and thread. */
function deviceLogits(tf: TF, logits: Float32Array): Tensor2D {
  if (uploaded?.host === logits && !uploaded.tensor.isDisposed) return uploaded.tensor;
  uploaded?.tensor.dispose();
  uploaded = { host: logits, tensor: tf.keep(tf.tensor2d(logits, [logits.length / CLASSES, CLASSES])) };
  return uploaded.tensor;
}

export type { Model };
