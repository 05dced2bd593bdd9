/**
 * Conv2DBackpropInput for the wasm backend (the forward pass of every conv2dTranspose and the input
 * gradient of every conv2d). tfjs-backend-wasm 4.22 runs it as a direct loop at ~2 GFLOP/s; here it is
 * a GEMM on XNNPACK followed by col2im: cols[m, (kh,kw,ci)] = Σ_co dy[m, co]·W[kh,kw,ci,co], then each
 * row of cols is added into the input-gradient pixels its kernel window covers.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alias, f32View, free, heapInfo, matmul, trace, transpose, type TensorInfo } from './heap';
import { col2imParallel } from './pool';

export interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

export function conv2dBackpropInputFast(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat === 'NCHW') {
    throw new Error('Conv2DBackpropInput on wasm supports NHWC (channelsLast) only, but got NCHW.');
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  if (
    dy.shape[0] !== batchSize ||
    dy.shape[1] !== outHeight ||
    dy.shape[2] !== outWidth ||
    dy.shape[3] !== outChannels
  ) {
    throw new Error(
      `Conv2DBackpropInput: dy has shape [${dy.shape}] but input [${inputShape}] with filter [${filter.shape}] ` +
        `gives [${batchSize},${outHeight},${outWidth},${outChannels}].`,
    );
  }
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const k = kh * kw * inChannels;
  const m = batchSize * outHeight * outWidth;
  // W [kh, kw, ci, co] viewed as [k, co] -> Wᵀ [co, k], so the product below is a plain GEMM.
  const wT = trace.time('bpi.transposeW', () => transpose(backend, alias(filter, [k, outChannels]), [1, 0]));
  const cols = trace.time('bpi.matmul', () =>
    matmul(backend, alias(dy, [1, m, outChannels]), alias(wT, [1, outChannels, k])),
  );
  free(backend, wT);
  const dx = backend.makeOutput(inputShape, 'float32');
  const dxView = f32View(backend, dx);
  dxView.fill(0);
  trace.time('bpi.col2im', () =>
    col2imParallel(heapInfo(backend), f32View(backend, cols), dxView, {
      batch: batchSize,
      inH: inHeight,
      inW: inWidth,
      inC: inChannels,
      outH: outHeight,
      outW: outWidth,
      kh,
      kw,
      sh: info.strideHeight,
      sw: info.strideWidth,
      top: info.padInfo.top,
      left: info.padInfo.left,
    }),
  );
  free(backend, cols);
  return dx;
}
