/**
 * Training kernels for tfjs's wasm backend.
 *
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (so a CNN cannot train on it at all), and its
 * Conv2DBackpropInput and MaxPoolGrad are scalar loops far slower than its XNNPACK forward
 * convolution; its BatchMatMul leaves XNNPACK for a scalar loop whenever an operand is transposed
 * (both products of every dense layer's backward pass), and its Sum transposes the whole bias
 * gradient first. `registerWasmKernels()` registers replacements that keep every multiply-add of
 * training on XNNPACK (convolution gradients as forward convolutions or im2col GEMMs, transposed
 * products as an explicit transpose plus the GEMM path), single-pass MaxPoolGrad and Sum, and a
 * row-copy GatherV2 for batch selection. `fusedAdam()` is an Adam with one pass per variable. Call it before or after `tf.setBackend('wasm')`; it is idempotent.
 */
// Importing the backend first makes its own kernel registrations happen before ours, so ours win
// and the originals are still there to capture as fallbacks.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { CONV2D_BACKPROP_FILTER, conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { CONV2D_BACKPROP_INPUT, makeConv2dBackpropInput } from './conv2d-backprop-input.js';
import { MAX_POOL_GRAD, maxPoolGrad } from './max-pool-grad.js';
import { BATCH_MAT_MUL, batchMatMul } from './batch-mat-mul.js';
import { SUM, sum } from './sum.js';
import { GATHER_V2, gatherV2 } from './gather.js';
import { rememberOriginal } from './wasm-heap.js';

export { xnnConv2d, type ConvGeometry } from './wasm-heap.js';
export { fusedAdam, FusedAdamOptimizer, type FusedAdamConfig } from './fused-adam.js';

const BACKEND = 'wasm';

/** The names `registerWasmKernels` registers (whether or not it has been called). */
export const WASM_KERNEL_NAMES: readonly string[] = [CONV2D_BACKPROP_FILTER, CONV2D_BACKPROP_INPUT, MAX_POOL_GRAD, BATCH_MAT_MUL, SUM, GATHER_V2];
let registered: readonly string[] | undefined;

/**
 * Registers sweetspot's kernels for the 'wasm' backend and returns their names
 * (Conv2DBackpropFilter, Conv2DBackpropInput, MaxPoolGrad, BatchMatMul, Sum, GatherV2). Calling it
 * again changes nothing and returns the same names.
 */
export function registerWasmKernels(): string[] {
  if (registered !== undefined) return [...registered];
  // The kernels below call some of the originals (BatchMatMul, Sum, Transpose, Conv2D) for the
  // cases they do not handle, so those are recorded before anything is replaced.
  for (const name of [...WASM_KERNEL_NAMES, 'Transpose', 'Conv2D']) rememberOriginal(name);
  const kernels: Array<[string, tf.KernelFunc]> = [
    [CONV2D_BACKPROP_FILTER, conv2dBackpropFilter as tf.KernelFunc],
    [CONV2D_BACKPROP_INPUT, makeConv2dBackpropInput(rememberOriginal(CONV2D_BACKPROP_INPUT)?.kernelFunc) as tf.KernelFunc],
    [MAX_POOL_GRAD, maxPoolGrad as tf.KernelFunc],
    [BATCH_MAT_MUL, batchMatMul as tf.KernelFunc],
    [SUM, sum as tf.KernelFunc],
    [GATHER_V2, gatherV2 as tf.KernelFunc],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    // Replacing a registered kernel directly makes tfjs warn; unregistering first is the quiet way.
    // The original's setupFunc stays: the backend runs setup hooks of the kernels registered when
    // it initialises, and the original kernel (kept as a fallback) needs its wasm bindings.
    const original = rememberOriginal(kernelName);
    if (original !== undefined) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc, setupFunc: original?.setupFunc, disposeFunc: original?.disposeFunc });
  }
  registered = kernels.map(([name]) => name);
  return [...registered];
}

