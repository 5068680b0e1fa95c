/**
 * BatchMatMul for the wasm backend that keeps every single-batch product on XNNPACK.
 *
 * tfjs-backend-wasm 4.22 runs BatchMatMul on XNNPACK only when neither operand is transposed and
 * the batch is 1; anything else — including both matrix products of every dense layer's backward
 * pass (dX = dY·Wᵀ, dW = Xᵀ·dY) — takes a scalar triple loop. This kernel materialises the
 * transposed operand with the backend's own Transpose (a memory pass, far cheaper than the
 * multiply) and then calls the XNNPACK path. Batched products (rank > 2 with a batch > 1) go to the
 * original kernel unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasm, original, release, wasmTranspose, xnnMatMul, type TensorInfo } from './wasm-heap.js';

export const BATCH_MAT_MUL = 'BatchMatMul';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

export function batchMatMul(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend, BATCH_MAT_MUL);
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const batchA = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  if (batchA !== 1 || batchB !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return original(BATCH_MAT_MUL).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  }
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [a1, a0] : [a0, a1];
  const [k2, n] = transposeB ? [b1, b0] : [b0, b1];
  if (k !== k2) {
    // Let the original kernel raise tfjs's own shape error.
    return original(BATCH_MAT_MUL).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  }
  const aN = transposeA ? wasmTranspose(backend, { dataId: a.dataId, shape: [a0, a1], dtype: a.dtype }, [1, 0]) : a;
  const bN = transposeB ? wasmTranspose(backend, { dataId: b.dataId, shape: [b0, b1], dtype: b.dtype }, [1, 0]) : b;
  const out = xnnMatMul(backend, aN, bN, m, k, n);
  if (aN !== a) release(backend, aN);
  if (bN !== b) release(backend, bN);
  const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), m, n];
  return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
}
