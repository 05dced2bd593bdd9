/**
 * Conv2DBackpropFilter for the wasm backend (missing in tfjs-backend-wasm 4.22, tfjs issue #8474).
 * The weight gradient is itself a convolution: dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−p, ow·s+kw−p, ci]
 * · dy[n,oh,ow,co]. Treating the input channels as the batch, the batch as channels and dy as a
 * filter dilated by the stride gives one stride-1 XNNPACK convolution (multi-threaded when the
 * backend has threads), plus three cheap transposes.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2dPadded, free, runKernel, trace, type TensorInfo } from './heap';
import { transposeWasm as transpose } from './transpose';

export interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterFast(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat === 'NCHW') {
    throw new Error('Conv2DBackpropFilter on wasm supports NHWC (channelsLast) only, but got NCHW.');
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== outChannels) {
    throw new Error(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}] but x [${x.shape}] with filter [${filterShape}] ` +
        `gives [${batchSize},${outHeight},${outWidth},${outChannels}].`,
    );
  }
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Rows/cols the dilated "filter" dy spans; pad or crop the far side so the output is exactly kh×kw.
  const needH = kh + sh * (outHeight - 1);
  const needW = kw + sw * (outWidth - 1);
  const bottom = needH - inHeight - top;
  const right = needW - inWidth - left;
  // [n, h, w, ci] -> [ci, h, w, n]: input channels become the batch, the batch becomes channels.
  let xT = trace.time('bpf.transposeX', () => transpose(backend, x, [3, 1, 2, 0]));
  if (bottom < 0 || right < 0) {
    // 'valid' with a stride that does not divide evenly: the last rows/cols never reach dy.
    const cropped = runKernel(
      'Slice',
      backend,
      { x: xT },
      {
        begin: [0, 0, 0, 0],
        size: [inChannels, inHeight + Math.min(bottom, 0), inWidth + Math.min(right, 0), batchSize],
      },
    );
    free(backend, xT);
    xT = cropped;
  }
  // [n, oh, ow, co] -> [oh, ow, n, co]: a filter of size oh×ow, n in, co out.
  const dyT = trace.time('bpf.transposeDy', () => transpose(backend, dy, [1, 2, 0, 3]));
  const conv = trace.time('bpf.conv', () =>
    conv2dPadded(
      backend,
      xT,
      dyT,
      [
        [top, Math.max(bottom, 0)],
        [left, Math.max(right, 0)],
      ],
      [sh, sw],
    ),
  ); // [ci, kh, kw, co]
  free(backend, xT, dyT);
  if (conv.shape[1] !== kh || conv.shape[2] !== kw) {
    free(backend, conv);
    throw new Error(
      `Conv2DBackpropFilter: internal shape mismatch [${conv.shape}] for filter [${filterShape}].`,
    );
  }
  const dW = trace.time('bpf.transposeOut', () => transpose(backend, conv, [1, 2, 0, 3])); // [kh, kw, ci, co]
  free(backend, conv);
  return dW;
}
