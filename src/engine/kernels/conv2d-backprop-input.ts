/**
 * Conv2DBackpropInput for the wasm backend as one forward convolution on XNNPACK (the backend's
 * own kernel is a scalar C++ loop, several times slower than its forward convolution).
 *
 * The input gradient
 *   dx[n, h, w, ci] = Σ_{kh, kw, co} dy[n, oh, ow, co] · W[kh, kw, ci, co],  h = oh·s + kh − padTop
 * is a stride-1 "full" convolution of dy — with s − 1 zeros inserted between its pixels when the
 * forward stride s > 1 — padded by KH − 1 − padTop above (KW − 1 − padLeft left), with the filter
 * rotated by 180° and its channel axes swapped: W'[kh, kw, co, ci] = W[KH−1−kh, KW−1−kw, ci, co].
 * When the forward padding exceeds KH − 1 (no such layer in sweetspot's models) the
 * backend's original kernel is used instead.
 */
import * as tf from '@tensorflow/tfjs';
import { SweetspotError } from '../../errors.js';
import { allocate, asWasm, release, view, xnnConv2d, type ConvBackpropAttrs, type TensorInfo } from './wasm-heap.js';

export const CONV2D_BACKPROP_INPUT = 'Conv2DBackpropInput';

interface Attrs extends ConvBackpropAttrs {
  inputShape: [number, number, number, number];
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** Builds the kernel; `fallback` is the backend's original kernel, for geometries this one does not cover. */
export function makeConv2dBackpropInput(fallback: tf.KernelFunc | undefined): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const backend = asWasm(args.backend, CONV2D_BACKPROP_INPUT);
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Attrs;
    const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, dataFormat);
    const { batchSize: n, inHeight, inWidth, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    // Dilated dy is (oh−1)·s+1 tall; the bottom padding makes the output exactly inHeight tall.
    const dh = (oh - 1) * sh + 1;
    const dw = (ow - 1) * sw + 1;
    const bottom = inHeight + kh - 1 - dh - top;
    const right = inWidth + kw - 1 - dw - left;
    if (dataFormat !== 'channelsLast' || Math.min(top, left, bottom, right) < 0) {
      if (fallback === undefined) {
        throw new SweetspotError(`${CONV2D_BACKPROP_INPUT}: unsupported geometry (dataFormat ${attrs.dataFormat}, ` +
          `padding [${top}, ${bottom}, ${left}, ${right}]) and no original wasm kernel to fall back to`);
      }
      return fallback(args as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    }

    const w = allocate(backend, [kh, kw, co, ci]);
    const dilated = sh === 1 && sw === 1 ? dy : allocate(backend, [n, dh, dw, co]);
    rotateAndSwap(view(backend, filter), view(backend, w), kh * kw, ci, co);
    if (dilated !== dy) dilate(view(backend, dy), view(backend, dilated), n, oh, ow, co, sh, sw, dh, dw);

    const dx = xnnConv2d(backend, dilated, w, { pad: [top, bottom, left, right], dilation: [1, 1] });
    release(backend, w);
    if (dilated !== dy) release(backend, dilated);
    if (dx.shape[1] !== inHeight || dx.shape[2] !== inWidth || dx.shape[3] !== ci) {
      release(backend, dx);
      throw new SweetspotError(`${CONV2D_BACKPROP_INPUT}: internal shape rule broken, expected [${n}, ${inHeight}, ${inWidth}, ${ci}], got [${dx.shape.join(', ')}]`);
    }
    return dx;
  };
}

/** w: taps × ci × co → out: taps × co × ci with the taps reversed (taps = KH·KW, row-major). */
function rotateAndSwap(w: Float32Array, out: Float32Array, taps: number, ci: number, co: number): void {
  for (let t = 0; t < taps; t++) {
    const src = t * ci * co;
    const dst = (taps - 1 - t) * co * ci;
    for (let i = 0; i < ci; i++) {
      for (let o = 0; o < co; o++) out[dst + o * ci + i] = w[src + i * co + o];
    }
  }
}

/** dy: n × oh × ow × co → out: n × dh × dw × co with dy's pixels at multiples of the stride, zeros between. */
function dilate(dy: Float32Array, out: Float32Array, n: number, oh: number, ow: number, co: number, sh: number, sw: number, dh: number, dw: number): void {
  out.fill(0);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        const src = ((b * oh + r) * ow + q) * co;
        out.set(dy.subarray(src, src + co), ((b * dh + r * sh) * dw + q * sw) * co);
      }
    }
  }
}
