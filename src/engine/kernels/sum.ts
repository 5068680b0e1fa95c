/**
 * Sum over leading axes for the wasm backend: the bias gradient of every conv and dense layer
 * (`dy` summed over batch, rows and columns, keeping the channel axis).
 *
 * The backend's own Sum reduces only innermost axes, so for this case it first transposes the
 * whole gradient to put the channel axis outermost; here one pass adds each row of channels into
 * a float64 accumulator instead. Any other reduction goes to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { allocate, asWasm, original, view, type TensorInfo } from './wasm-heap.js';

export const SUM = 'Sum';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

export function sum(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend, SUM);
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = (args.attrs ?? {}) as { axis: number | number[]; keepDims?: boolean };
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== 'float32') return original(SUM).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;

  const kept = x.shape.slice(axes.length);
  const cols = kept.reduce((p, d) => p * d, 1);
  const rows = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
  const out = allocate(backend, keepDims ? [...axes.map(() => 1), ...kept] : kept);
  const xv = view(backend, x);
  const ov = view(backend, out);
  const acc = new Float64Array(cols);
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    for (let c = 0; c < cols; c++) acc[c] += xv[base + c];
  }
  ov.set(acc);
  return out;
}
