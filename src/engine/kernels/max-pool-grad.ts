/**
 * MaxPoolGrad for the wasm backend: one pass over the pooling windows that routes each output
 * gradient to its window's maximum, with the channels (contiguous in NHWC) as the inner loop.
 *
 * The backend's own kernel visits every input pixel and searches all windows that could contain
 * it; this one visits each window once (O(input) work for the usual non-overlapping 2×2 pool).
 * Ties go to the first maximum in row-major window order, as in the cpu backend, so both route
 * every gradient to the same pixel (bit-identical results for non-overlapping windows).
 */
import * as tf from '@tensorflow/tfjs';
import { allocate, asWasm, view, type TensorInfo } from './wasm-heap.js';

export const MAX_POOL_GRAD = 'MaxPoolGrad';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const backend = asWasm(args.backend, MAX_POOL_GRAD);
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const attrs = args.attrs as unknown as Attrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;

  const dx = allocate(backend, input.shape.slice());
  const xv = view(backend, input);
  const dyv = view(backend, dy);
  const dxv = view(backend, dx);
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && padTop === 0 && padLeft === 0 && 2 * oh <= h && 2 * ow <= w) {
    pool2x2(xv, dyv, dxv, n, h, w, c, oh, ow);
  } else {
    anyWindow(xv, dyv, dxv, n, h, w, c, oh, ow, fh, fw, sh, sw, padTop, padLeft);
  }
  return dx;
}

/**
 * The 2×2 stride-2 unpadded pool of sweetspot's CNNs: every covered input pixel is written once
 * (its gradient or 0) and only the uncovered last row/column (odd sizes) is cleared separately.
 */
function pool2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number): void {
  if (2 * oh < h || 2 * ow < w) dx.fill(0);
  const row = w * c;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        const p00 = ((b * h + 2 * r) * w + 2 * q) * c;
        const p01 = p00 + c;
        const p10 = p00 + row;
        const p11 = p10 + c;
        const g = ((b * oh + r) * ow + q) * c;
        for (let k = 0; k < c; k++) {
          const v00 = x[p00 + k], v01 = x[p01 + k], v10 = x[p10 + k], v11 = x[p11 + k];
          // First maximum in row-major order wins, as in the cpu backend (strict >).
          let best = v00, at = 0;
          if (v01 > best) { best = v01; at = 1; }
          if (v10 > best) { best = v10; at = 2; }
          if (v11 > best) at = 3;
          const d = dy[g + k];
          dx[p00 + k] = at === 0 ? d : 0;
          dx[p01 + k] = at === 1 ? d : 0;
          dx[p10 + k] = at === 2 ? d : 0;
          dx[p11 + k] = at === 3 ? d : 0;
        }
      }
    }
  }
}

/** Any window, stride and padding: find each window's first maximum per channel, add its gradient there. */
function anyWindow(
  x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number,
  fh: number, fw: number, sh: number, sw: number, padTop: number, padLeft: number,
): void {
  dx.fill(0);
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      const r0 = Math.max(0, r * sh - padTop);
      const r1 = Math.min(h, r * sh - padTop + fh);
      for (let q = 0; q < ow; q++) {
        const q0 = Math.max(0, q * sw - padLeft);
        const q1 = Math.min(w, q * sw - padLeft + fw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let i = r0; i < r1; i++) {
          for (let j = q0; j < q1; j++) {
            const base = ((b * h + i) * w + j) * c;
            for (let k = 0; k < c; k++) {
              const v = x[base + k];
              if (v > best[k]) {
                best[k] = v;
                where[k] = base + k;
              }
            }
          }
        }
        const g = ((b * oh + r) * ow + q) * c;
        for (let k = 0; k < c; k++) {
          const at = where[k];
          if (at >= 0) dx[at] += dy[g + k];
        }
      }
    }
  }
}
