/**
 * Conv2DBackpropFilter for the wasm backend (missing in tfjs-backend-wasm 4.22, tfjs issue #8474).
 * The weight gradient is itself a convolution: dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+kh−p, ow·s+kw−p, ci]
 * · dy[n,oh,ow,co]. Treating the input channels as the batch, the batch as channels and dy as a
 * filter dilated by the stride gives one stride-1 XNNPACK convolution (multi-threaded when the
 * backend has threads), plus three cheap transposes. XNNPACK is slow with such large filters (4 GFLOP/s for
 * DCGAN-64's first layer, whose dy is 32×32), so where directPlan says so the sums run in conv.wat instead:
 * 4×8 tiles of dW in registers, x and dy read in place (7.9× faster on that layer).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2dPadded, free, heapInfo, heapOffset, runKernel, trace, type TensorInfo } from './heap';
import { nhwcConvInfo, directSimd, padded, type DirectSimd } from './directConv';
import { bpfParallel, type BpfArgs } from './pool';
import { transposeWasm as transpose } from './transpose';

export interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * `direct: false` always runs the XNNPACK convolution (tests and A/B measurements compare both). `packDyMinRows`:
 * from this many rows of dW (kh·kw·ci) on, dy is first packed in blocks of 8 columns (see direct). The direct
 * kernel measured faster on every DCGAN layer here (scripts/exp/bpfbench.ts, wasm, 2 threads, 2026-12-07:
 * 7.5× on dcgan-64's first, 1.3–1.9× on its others, 5.3× and 1.9× on dcgan-32's, 3.3× and 1.3× on dcgan-28's).
 */
export const conv2dBackpropFilterOptions = { direct: true, packDyMinRows: 512 };

/** Weight gradients conv.wat computed (tests check the direct path is taken). */
export const directStats = { calls: 0 };

/**
 * True when conv.wat should compute this weight gradient directly: four rows of dW that share a filter row
 * (kw·ci a multiple of 4) and eight columns (co a multiple of 8).
 */
export function directPlan(kw: number, inChannels: number, outChannels: number): boolean {
  return conv2dBackpropFilterOptions.direct && (kw * inChannels) % 4 === 0 && outChannels % 8 === 0;
}

/**
 * dW by conv.wat: x copied into a zero-padded [n, Hp, Wp, ci] buffer (Hp = (oh − 1)·sh + kh rows: exactly the
 * ones the filter visits), then 4×8 tiles of dW summed over every pixel, the tiles split between two cores.
 */
function direct(
  backend: BackendWasm,
  simd: DirectSimd,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { outChannels: co, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const hp = (oh - 1) * sh + kh;
  const wp = (ow - 1) * sw + kw;
  const xp = padded(backend, x, hp, wp, top, left);
  const k = n * oh * ow;
  // dy is read once per 4 rows of dW; from packDyMinRows rows on, packing it in blocks of 8 columns (one pass)
  // pays: sequential reads instead of one cache line per pixel at a stride of co·4 bytes (scripts/exp/bpfbench.ts:
  // 1.1–1.2× on DCGAN-64's deeper layers, slower on the first layers, 48 rows).
  const packed =
    kh * kw * ci >= conv2dBackpropFilterOptions.packDyMinRows
      ? backend.makeOutput([k * co], 'float32')
      : null;
  if (packed)
    trace.time('bpf.pack', () =>
      simd.pack_cols8(heapOffset(backend, dy), heapOffset(backend, packed), k, co),
    );
  const dW = backend.makeOutput([kh, kw, ci, co], 'float32');
  directStats.calls += 1;
  const groups = (kw * ci) / 4;
  const rowX = wp * ci * 4;
  const args: BpfArgs = [
    heapOffset(backend, xp),
    heapOffset(backend, packed ?? dy),
    heapOffset(backend, dW),
    n,
    hp * rowX,
    rowX,
    oh,
    ow,
    co,
    sh * rowX,
    sw * ci * 4,
    groups,
    // images per chunk: enough pixels (≥ 256) that loading and storing a tile's accumulators costs little
    Math.min(n, Math.ceil(256 / (oh * ow))),
    packed ? 32 : co * 4,
    packed ? k * 32 : 32,
  ];
  trace.time('bpf.direct', () =>
    bpfParallel(heapInfo(backend), simd.bpf_tiles, args, kh * groups, n * oh * ow * kh * kw * ci * co),
  );
  free(backend, xp);
  if (packed) free(backend, packed);
  return dW;
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
  const info = nhwcConvInfo(x.shape, filterShape, strides, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== outChannels) {
    throw new Error(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}] but x [${x.shape}] with filter [${filterShape}] ` +
        `gives [${batchSize},${outHeight},${outWidth},${outChannels}].`,
    );
  }
  const simd = directPlan(kw, inChannels, outChannels) ? directSimd(backend) : null;
  if (simd && batchSize * outHeight * outWidth > 0) return direct(backend, simd, x, dy, info);
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
