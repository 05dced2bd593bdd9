/**
 * Conv2D for the wasm backend: conv.wat's conv_tiles (4 output pixels × 8 channels of sums in registers, the input
 * read in place from a zero-padded copy, W packed in blocks of 8 output channels) where it applies — NHWC, no
 * dilation, output channels a multiple of 8 — and the stock XNNPACK convolution elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, runKernel, trace, free, type TensorInfo } from './heap';
import { nhwcConvInfo, convTiles, directSimd, padded } from './directConv';

export interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * `direct: false` keeps every convolution on XNNPACK (tests and A/B measurements compare both). `minRun`: the
 * fewest inputs per filter row (kw·ci) for the direct kernel; below it (an RGB image's 4·3) XNNPACK is faster
 * (scripts/exp/convbench.ts).
 */
export const conv2dOptions = { direct: true, minRun: 32 };

/** Convolutions conv_tiles computed (tests check the direct path is taken). */
export const directConvStats = { calls: 0 };

export function conv2dFast(args: {
  inputs: { x: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  const dilated = Array.isArray(dilations) ? dilations[0] * dilations[1] !== 1 : dilations !== 1;
  const co = filter.shape[3];
  const simd =
    conv2dOptions.direct &&
    dataFormat === 'NHWC' &&
    !dilated &&
    co % 8 === 0 &&
    filter.shape[1] * filter.shape[2] >= conv2dOptions.minRun &&
    x.shape[0] > 0
      ? directSimd(backend)
      : null;
  if (!simd) return runKernel('Conv2D', backend, inputs, attrs as never);
  const info = nhwcConvInfo(x.shape, filter.shape, strides, pad, dimRoundingMode);
  const { batchSize: n, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  if (oh * ow === 0) return runKernel('Conv2D', backend, inputs, attrs as never);
  return trace.time('conv.direct', () => {
    // Exactly the rows and columns the filter visits, zero where they fall in the padding.
    const hp = (oh - 1) * sh + kh;
    const wp = (ow - 1) * sw + kw;
    const xp = padded(backend, x, hp, wp, info.padInfo.top, info.padInfo.left);
    // W [kh, kw, ci, co] in blocks of 8 output channels: [co / 8][kh·kw·ci][8].
    const rows = kh * kw * ci;
    const packed = backend.makeOutput([rows * co], 'float32');
    simd.pack_cols8(heapOffset(backend, filter), heapOffset(backend, packed), rows, co);
    const y = backend.makeOutput([n, oh, ow, co], 'float32');
    directConvStats.calls += 1;
    const rowX = wp * ci * 4;
    convTiles(backend, simd, {
      x: heapOffset(backend, xp),
      w: heapOffset(backend, packed),
      y: heapOffset(backend, y),
      pixels: n * oh * ow,
      oh,
      ow,
      imgX: hp * rowX,
      stepY: sh * rowX,
      stepX: sw * ci * 4,
      // A filter row's kw·ci inputs are consecutive floats of the padded input, and its rows of W consecutive
      // rows: one run of kw·ci channels per filter row.
      th: kh,
      tw: 1,
      dilY: rowX,
      dilX: 0,
      wBlock: rows * 32,
      tap0: 0,
      wI: kw * ci * 32,
      wJ: 0,
      c: kw * ci,
      k: co,
      imgY: oh * ow * co * 4,
      rowY: ow * co * 4,
      pixY: co * 4,
    });
    free(backend, xp, packed);
    return y;
  });
}
