/**
 * BatchMatMul for the wasm backend that keeps every single-batch product on XNNPACK.
 *
 * tfjs-backend-wasm 4.22 runs BatchMatMul on XNNPACK only when neither operand is transposed and
 * the batch is 1; anything else — including both matrix products of every dense layer's backward
 * pass (dX = dY·Wᵀ, dW = Xᵀ·dY) — takes a much slower scalar triple loop. This kernel
 * materialises transposes explicitly (a memory pass, far cheaper than the multiply) and calls the
 * XNNPACK path, choosing what to transpose by size:
 * - A·Bᵀ (M×K · (N×K)ᵀ): either transpose B (N·K moved, then K·N packed by XNNPACK as weights), or
 *   compute (B·Aᵀ)ᵀ (M·K moved and packed, M·N moved back), whichever moves less; for a dense
 *   layer's dX the second avoids touching the large weight matrix.
 * - Aᵀ·B: transpose A (M·K) — never worse than the alternative.
 * - Aᵀ·Bᵀ = (B·A)ᵀ: one product, one transpose of the result.
 * Batched products (rank > 2 with a batch > 1) go to the original kernel unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasm, original, release, transpose2d, xnnMatMul, type TensorInfo } from './wasm-heap.js';

export const BATCH_MAT_MUL = 'BatchMatMul';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

export function batchMatMul(args: KernelArgs): TensorInfo {
  const backend = asWasm(args.backend, BATCH_MAT_MUL);
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA = false, transposeB = false } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const batchA = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [a1, a0] : [a0, a1];
  const [k2, n] = transposeB ? [b1, b0] : [b0, b1];
  if (batchA !== 1 || batchB !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32' || k !== k2) {
    // Batched products, other dtypes, and shape errors (raised by tfjs's own kernel) go there.
    return original(BATCH_MAT_MUL).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
  }
  const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), m, n];
  const result = (info: TensorInfo): TensorInfo => ({ dataId: info.dataId, shape: outShape, dtype: info.dtype });

  if (!transposeA && !transposeB) return result(xnnMatMul(backend, a, b, m, k, n));
  if (transposeA && transposeB) {
    // Aᵀ·Bᵀ = (B·A)ᵀ with B n × k and A k × m as stored.
    const ba = xnnMatMul(backend, b, a, n, k, m);
    const out = transpose2d(backend, ba, n, m);
    release(backend, ba);
    return result(out);
  }
  if (transposeA) {
    const aT = transpose2d(backend, a, k, m);
    const out = xnnMatMul(backend, aT, b, m, k, n);
    release(backend, aT);
    return result(out);
  }
  // A·Bᵀ: B is n × k as stored.
  if (2 * n * k <= 2 * m * k + m * n) {
    const bT = transpose2d(backend, b, n, k);
    const out = xnnMatMul(backend, a, bT, m, k, n);
    release(backend, bT);
    return result(out);
  }
  const aT = transpose2d(backend, a, m, k);
  const ct = xnnMatMul(backend, b, aT, n, k, m);
  release(backend, aT);
  const out = transpose2d(backend, ct, n, m);
  release(backend, ct);
  return result(out);
}
