/**
 * The two model families, written as plain tf.Variables and a forward function rather than tf.layers:
 * pruning masks, quantization with a straight-through estimator and distillation all need to reach
 * each weight tensor directly.
 *
 * - `mlp`: `depth` hidden dense layers of `width` units (ReLU), then dense 10.
 * - `cnn`: `depth` conv blocks, block i with width·2^i 3×3 filters (valid padding while the map is
 *   at least 3 wide, else same), ReLU, 2×2 max-pool while the map is at least 2 wide; then a dense
 *   head of 2·width units (ReLU) and dense 10. Width 32, depth 1 is the design article's MNIST CNN
 *   (conv 32, pool, dense 64, dense 10); width 32, depth 2 is the reference cnn of
 *   shared/reference/torch_train_bench.py.
 */
import type { Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs';
import { ObjectiveError } from '../../errors.js';
import type { TF } from '../../engine/index.js';
import { CLASSES, IMAGE_SIZE, PIXELS } from './data.js';

export type Family = 'mlp' | 'cnn';

export interface ModelSpec {
  readonly family: Family;
  readonly width: number;
  readonly depth: number;
}

/** One weight layer's shape facts. Conv kernels are `3 × 3 × in × out`, dense `in × out`: the output channel is the last axis. */
export interface LayerSpec {
  readonly kind: 'conv' | 'dense';
  readonly inChannels: number;
  readonly outChannels: number;
  /** conv only: output map side before pooling. */
  readonly outSide: number;
  readonly padding: 'valid' | 'same';
  readonly pool: boolean;
  readonly relu: boolean;
  readonly weightShape: readonly number[];
}

export interface Model {
  readonly spec: ModelSpec;
  readonly layers: readonly LayerSpec[];
  /** One per layer, shaped `layers[i].weightShape`. */
  readonly weights: readonly Variable[];
  /** One per layer, `outChannels`. */
  readonly biases: readonly Variable[];
}

export const KERNEL = 3;
export const MAX_WIDTH = 4096;

export function validateSpec(spec: ModelSpec): void {
  if (spec.family !== 'mlp' && spec.family !== 'cnn') throw new ObjectiveError(`family must be mlp or cnn, got ${JSON.stringify(spec.family)}`);
  if (!Number.isInteger(spec.width) || spec.width < 1 || spec.width > MAX_WIDTH) {
    throw new ObjectiveError(`width must be an integer in 1..${MAX_WIDTH}, got ${spec.width}`);
  }
  const maxDepth = spec.family === 'cnn' ? 6 : 16;
  if (!Number.isInteger(spec.depth) || spec.depth < (spec.family === 'cnn' ? 1 : 0) || spec.depth > maxDepth) {
    throw new ObjectiveError(`depth for ${spec.family} must be an integer in ${spec.family === 'cnn' ? 1 : 0}..${maxDepth}, got ${spec.depth}`);
  }
}

/** The layer list of a spec (shapes only; no tensors). */
export function layerSpecs(spec: ModelSpec): LayerSpec[] {
  validateSpec(spec);
  const layers: LayerSpec[] = [];
  const dense = (inC: number, outC: number, relu: boolean): LayerSpec => ({
    kind: 'dense', inChannels: inC, outChannels: outC, outSide: 1, padding: 'valid', pool: false, relu, weightShape: [inC, outC],
  });
  if (spec.family === 'mlp') {
    let inC = PIXELS;
    for (let i = 0; i < spec.depth; i++) {
      layers.push(dense(inC, spec.width, true));
      inC = spec.width;
    }
    layers.push(dense(inC, CLASSES, false));
    return layers;
  }
  let side = IMAGE_SIZE;
  let inC = 1;
  for (let i = 0; i < spec.depth; i++) {
    const outC = spec.width * 2 ** i;
    const padding = side >= KERNEL ? 'valid' : 'same';
    const outSide = padding === 'valid' ? side - KERNEL + 1 : side;
    const pool = outSide >= 2;
    layers.push({ kind: 'conv', inChannels: inC, outChannels: outC, outSide, padding, pool, relu: true, weightShape: [KERNEL, KERNEL, inC, outC] });
    side = pool ? Math.floor(outSide / 2) : outSide;
    inC = outC;
  }
  const head = 2 * spec.width;
  layers.push(dense(side * side * inC, head, true));
  layers.push(dense(head, CLASSES, false));
  return layers;
}

/** He-normal weights, zero biases, all drawn from `seed`. */
export function buildModel(tf: TF, spec: ModelSpec, seed: number): Model {
  const layers = layerSpecs(spec);
  const weights = layers.map((l, i) => {
    const fanIn = l.kind === 'conv' ? KERNEL * KERNEL * l.inChannels : l.inChannels;
    return tf.variable(tf.randomNormal([...l.weightShape], 0, Math.sqrt(2 / fanIn), 'float32', seed + i), true, undefined, 'float32');
  });
  const biases = layers.map((l) => tf.variable(tf.zeros([l.outChannels]), true));
  return { spec, layers, weights, biases };
}

/** Build a model around given weight tensors (e.g. a loaded teacher); takes ownership of them. */
export function modelFromTensors(tf: TF, spec: ModelSpec, weights: readonly Tensor[], biases: readonly Tensor[]): Model {
  const layers = layerSpecs(spec);
  layers.forEach((l, i) => {
    const w = weights[i];
    const b = biases[i];
    if (!w || w.shape.join() !== l.weightShape.join() || !b || b.shape.join() !== String(l.outChannels)) {
      throw new ObjectiveError(`saved weights do not fit ${describeSpec(spec)}: layer ${i} expects ${l.weightShape.join('×')} and ${l.outChannels} biases, got ${w?.shape.join('×')} and ${b?.shape.join('×')}`);
    }
  });
  return {
    spec,
    layers,
    weights: weights.map((w) => tf.variable(w, true)),
    biases: biases.map((b) => tf.variable(b, true)),
  };
}

/**
 * Logits for a batch. `x` is `n × 784`; returns `n × 10`. `weights` replaces the model's weight
 * tensors (masked or fake-quantized views during training); biases are always the model's.
 */
export function forward(tf: TF, model: Model, x: Tensor2D, weights: readonly Tensor[] = model.weights): Tensor2D {
  const n = x.shape[0];
  let h: Tensor = model.spec.family === 'cnn' ? x.reshape([n, IMAGE_SIZE, IMAGE_SIZE, 1]) : x;
  model.layers.forEach((l, i) => {
    if (l.kind === 'conv') {
      h = tf.conv2d(h as Tensor4D, weights[i] as Tensor4D, 1, l.padding).add(model.biases[i]!);
      if (l.relu) h = tf.relu(h);
      if (l.pool) h = tf.maxPool(h as Tensor4D, 2, 2, 'valid');
    } else {
      if (h.rank !== 2) h = h.reshape([n, -1]);
      h = tf.matMul(h as Tensor2D, weights[i] as Tensor2D).add(model.biases[i]!);
      if (l.relu) h = tf.relu(h);
    }
  });
  return h as Tensor2D;
}

export function disposeModel(model: Model): void {
  model.weights.forEach((w) => w.dispose());
  model.biases.forEach((b) => b.dispose());
}

/** Weights (not biases) per layer. */
export function weightCount(l: LayerSpec): number {
  return l.weightShape.reduce((a, b) => a * b, 1);
}

/** All parameters: weights plus biases. */
export function paramCount(layers: readonly LayerSpec[]): number {
  return layers.reduce((s, l) => s + weightCount(l) + l.outChannels, 0);
}

/** Multiply-accumulates for one digit, dense (pruned zeros still counted: dense kernels do that work). */
export function macCount(layers: readonly LayerSpec[]): number {
  return layers.reduce((s, l) => s + (l.kind === 'conv' ? l.outSide * l.outSide * weightCount(l) : weightCount(l)), 0);
}

export function describeSpec(spec: ModelSpec): string {
  return `${spec.family} width ${spec.width} depth ${spec.depth}`;
}
