/**
 * Access to the wasm backend's heap and its own XNNPACK convolution, for kernels written on top of it.
 *
 * A kernel here works on `TensorInfo`s that live on the wasm heap (`backend.makeOutput`), not on
 * engine-tracked tensors: intermediates are freed with `release`, and only the kernel's result goes
 * back to the engine. Typed-array views of the heap are taken with `view` only after every
 * allocation of a step is done, because an allocation may grow the wasm memory, which detaches
 * every earlier view of it.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SweetspotError } from '../../errors.js';

export type TensorInfo = tf.TensorInfo;

/** The backend a kernel was called with, checked to be the wasm backend (it has a heap and XNNPACK). */
export function asWasm(backend: unknown, kernel: string): BackendWasm {
  const b = backend as Partial<BackendWasm> | null;
  if (b === null || typeof b !== 'object' || b.wasm === undefined || typeof b.makeOutput !== 'function') {
    throw new SweetspotError(`${kernel}: sweetspot's wasm kernels run only on the 'wasm' backend, got a ${describe(backend)}`);
  }
  return b as BackendWasm;
}

function describe(backend: unknown): string {
  const ctor = (backend as { constructor?: { name?: string } } | null)?.constructor?.name;
  return ctor ? `${ctor} backend` : String(backend);
}

/** A new float32 tensor on the wasm heap; its contents are uninitialised. */
export function allocate(backend: BackendWasm, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** A Float32Array over a tensor's heap memory. Take views after the step's last allocation. */
export function view(backend: BackendWasm, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') {
    throw new SweetspotError(`wasm kernels work on float32 tensors, got ${info.dtype} of shape [${info.shape.join(', ')}]`);
  }
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Frees an intermediate (and, through the backend, any XNNPACK operator cached for it as a filter). */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId, true);
}

/** The attributes tfjs gives both convolution-gradient kernels. */
export interface ConvBackpropAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface ConvGeometry {
  /** [top, bottom, left, right] zero padding of the input, each ≥ 0. */
  readonly pad: readonly [number, number, number, number];
  /** Filter dilation [height, width] (the forward stride of the convolution being differentiated). */
  readonly dilation: readonly [number, number];
}

/**
 * A stride-1 NHWC convolution on the backend's own Conv2D kernel (XNNPACK, SIMD where available).
 * x: batch × height × width × inChannels; filter: filterHeight × filterWidth × inChannels × outChannels.
 * Returns a new heap tensor the caller owns.
 */
export function xnnConv2d(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const conv = original('Conv2D');
  const [top, bottom, left, right] = g.pad;
  if (Math.min(top, bottom, left, right) < 0) {
    throw new SweetspotError(`xnnConv2d padding must be ≥ 0 on every side, got [${g.pad.join(', ')}]`);
  }
  const attrs = {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [g.dilation[0], g.dilation[1]],
    dimRoundingMode: undefined,
  };
  return conv.kernelFunc({ inputs: { x, filter }, backend, attrs } as unknown as Parameters<typeof conv.kernelFunc>[0]) as TensorInfo;
}

/** The backend's own Transpose kernel (C++, much faster than a JavaScript loop). Returns a new tensor. */
export function wasmTranspose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return original('Transpose').kernelFunc({ inputs: { x }, backend, attrs: { perm } } as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
}

/** A view of the same heap data under another shape of the same size (no copy, nothing to free). */
export function reshaped(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

const originals = new Map<string, tf.KernelConfig>();

/**
 * The wasm backend's own kernel registered under `name`, as it was before sweetspot replaced any
 * kernel (recorded by `rememberOriginal`).
 */
export function original(name: string): tf.KernelConfig {
  const k = originals.get(name) ?? tf.getKernel(name, 'wasm');
  if (k === undefined) throw new SweetspotError(`the wasm backend has no ${name} kernel registered (tfjs ${tf.version.tfjs})`);
  return k;
}

/** Records the backend's kernel `name` before it is replaced; returns it (undefined if it has none). */
export function rememberOriginal(name: string): tf.KernelConfig | undefined {
  if (!originals.has(name)) {
    const k = tf.getKernel(name, 'wasm');
    if (k !== undefined) originals.set(name, k);
  }
  return originals.get(name);
}

/**
 * a: M × K, b: K × N (any leading shape; only the element counts matter) → a new 1 × M × N tensor,
 * on the backend's own BatchMatMul called without transposes, which is the one case it sends to
 * XNNPACK's SIMD GEMM (any transpose flag or a batch > 1 takes its much slower scalar loop).
 * XNNPACK packs `b` as the weights, once per tensor id.
 */
export function xnnMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, m: number, k: number, n: number): TensorInfo {
  const attrs = { transposeA: false, transposeB: false };
  const inputs = { a: reshaped(a, [1, m, k]), b: reshaped(b, [1, k, n]) };
  return original('BatchMatMul').kernelFunc({ inputs, backend, attrs } as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
}

/**
 * rows × cols → a new cols × rows tensor, transposed in cache-sized blocks in JavaScript. For
 * matrices with long rows this is several times faster than the backend's Transpose, whose plain
 * loop writes with a stride of a whole column (timing in docs/compression.md).
 */
export function transpose2d(backend: BackendWasm, x: TensorInfo, rows: number, cols: number): TensorInfo {
  const out = allocate(backend, [cols, rows]);
  const a = view(backend, x);
  const o = view(backend, out);
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        for (let c = c0; c < c1; c++) o[c * rows + r] = a[base + c];
      }
    }
  }
  return out;
}
