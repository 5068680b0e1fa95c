/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22's wasm backend has none), with every
 * multiply-add on XNNPACK's SIMD kernels. The filter gradient is
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·s + kh − padTop, ow·s + kw − padLeft, ci] · dy[n, oh, ow, co].
 *
 * Two formulations, chosen by the number of input channels:
 * - Many channels (a hidden conv layer): one stride-1 forward convolution in which the input
 *   channels play the batch and the batch plays the channels. Input x transposed to
 *   Ci × H × W × N, filter dy transposed to OH × OW × N × Co and dilated by the forward stride,
 *   padded like the forward pass; its output Ci × KH' × KW' × Co (KH' ≥ KH: rows the forward pass
 *   never read give surplus taps that are dropped) is rearranged to KH × KW × Ci × Co.
 * - Few channels (the first layer, Ci = 1 for MNIST): that convolution would have only KH·KW
 *   output pixels per image, which XNNPACK runs poorly, so instead im2col: transposed columns
 *   (KH·KW·Ci) × P with P = N·OH·OW, and dW = columnsᵀ · dy (P × Co) on XNNPACK's GEMM.
 */
import * as tf from '@tensorflow/tfjs';
import { SweetspotError } from '../../errors.js';
import { allocate, asWasm, release, view, wasmTranspose, xnnConv2d, xnnMatMul, type ConvBackpropAttrs, type TensorInfo } from './wasm-heap.js';

export const CONV2D_BACKPROP_FILTER = 'Conv2DBackpropFilter';

/**
 * Below this many input channels the im2col formulation is used: with few input channels the
 * convolution formulation has too little work per call, with many im2col's copies cost more
 * (timed on the reference cnn's two layers: docs/compression.md).
 */
export const IM2COL_MAX_CHANNELS = 4;

interface Attrs extends ConvBackpropAttrs {
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const backend = asWasm(args.backend, CONV2D_BACKPROP_FILTER);
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Attrs;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') {
    throw new SweetspotError(`${CONV2D_BACKPROP_FILTER}: the wasm kernels support dataFormat NHWC only, got ${attrs.dataFormat}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, dataFormat);
  return info.inChannels < IM2COL_MAX_CHANNELS ? viaIm2col(backend, x, dy, info) : viaConvolution(backend, x, dy, info);
}

type Backend = ReturnType<typeof asWasm>;

function viaConvolution(backend: Backend, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Enough bottom/right padding for KH × KW outputs; when the forward windows did not reach the
  // input's last rows the output is taller than KH and the surplus rows are ignored below.
  const bottom = Math.max(0, kh + (oh - 1) * sh - top - h);
  const right = Math.max(0, kw + (ow - 1) * sw - left - w);

  const xT = wasmTranspose(backend, x, [3, 1, 2, 0]);
  const dyT = wasmTranspose(backend, dy, [1, 2, 0, 3]);
  const g = xnnConv2d(backend, xT, dyT, { pad: [top, bottom, left, right], dilation: [sh, sw] });
  release(backend, xT, dyT);
  const [, gh, gw] = g.shape as [number, number, number, number];
  const out = allocate(backend, [kh, kw, ci, co]);
  const gv = view(backend, g);
  const ov = view(backend, out);
  // g: ci × gh × gw × co → out: kh × kw × ci × co, rows of co contiguous on both sides.
  for (let c = 0; c < ci; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const src = ((c * gh + i) * gw + j) * co;
        ov.set(gv.subarray(src, src + co), ((i * kw + j) * ci + c) * co);
      }
    }
  }
  release(backend, g);
  return out;
}

function viaIm2col(backend: Backend, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const p = n * oh * ow;
  const width = kh * kw * ci;

  // Columns stored transposed, (KH·KW·Ci) × P, so that dW = columnsᵀ · dy needs no transpose of
  // dy (P × Co as it is) and its result is already KH × KW × Ci × Co.
  const colsT = allocate(backend, [width, p]);
  const xv = view(backend, x);
  const cv = view(backend, colsT);
  // colsT[(i, j, c), (b, r, q)] = x[b, r·sh + i − top, q·sw + j − left, c], zero outside the image.
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < ci; c++) {
        let at = ((i * kw + j) * ci + c) * p;
        for (let b = 0; b < n; b++) {
          for (let r = 0; r < oh; r++) {
            const y = r * sh + i - top;
            if (y < 0 || y >= h) {
              cv.fill(0, at, at + ow);
              at += ow;
              continue;
            }
            const rowBase = (b * h + y) * w;
            for (let q = 0; q < ow; q++) {
              const xx = q * sw + j - left;
              cv[at++] = xx >= 0 && xx < w ? xv[(rowBase + xx) * ci + c] : 0;
            }
          }
        }
      }
    }
  }
  const out = xnnMatMul(backend, colsT, dy, width, p, co);
  release(backend, colsT);
  return { dataId: out.dataId, shape: [kh, kw, ci, co], dtype: out.dtype };
}
