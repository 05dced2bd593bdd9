/**
 * Conv2DBackpropInput for the wasm backend (the forward pass of every conv2dTranspose and the input
 * gradient of every conv2d). tfjs-backend-wasm 4.22 runs it as a direct loop at ~2 GFLOP/s. Here it runs by
 * stride phase (`phases`): the input-gradient pixels whose row is ≡ a (mod stride) and column ≡ b get their sums
 * from a fixed subset of the kernel's taps, so each phase is a stride-1 convolution of dy with those taps flipped
 * (channels swapped). Where dx has a multiple of 8 channels, conv.wat's conv_tiles computes each phase and writes
 * its pixels straight into dx (`directPhases`); otherwise, from MIN_PHASE_CHANNELS channels, one XNNPACK
 * convolution per phase, interleaved into dx (`phaseConvs`). Geometries that would need negative padding
 * (explicit padding wider than the kernel) or whose phases would mostly multiply padding (DCGAN's 1×1 → 4×4
 * first layer), and inputs with fewer channels, keep the GEMM + col2im path:
 * cols[m, (kh,kw,ci)] = Σ_co dy[m, co]·W[kh,kw,ci,co], each row of cols added into the pixels its
 * kernel window covers.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  alias,
  conv2dPadded,
  f32View,
  free,
  heapInfo,
  heapOffset,
  matmul,
  trace,
  type TensorInfo,
} from './heap';
import { nhwcConvInfo, convTiles, directSimd, padded, type DirectSimd } from './directConv';
import { col2imParallel } from './pool';
import { batchMatMulOptions } from './batchMatMul';
import { directProduct } from './directMatMul';
import { transposeWasm as transpose } from './transpose';

export interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** Fewest input channels for which the phase convolutions beat GEMM + col2im (measured on dcgan-28). */
export const MIN_PHASE_CHANNELS = 8;

/**
 * `direct: false` leaves conv_tiles out, `phaseConvs: false` the XNNPACK phases too (then every geometry runs as
 * GEMM + col2im): tests and benchmarks compare them.
 */
export const conv2dBackpropInputOptions = { phaseConvs: true, direct: true };

/** Input gradients conv.wat's conv_tiles computed (tests check the direct path is taken). */
export const directInputStats = { calls: 0 };

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
  const info = nhwcConvInfo(inputShape, filter.shape, strides, pad, dimRoundingMode);
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
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowPhases = phases(inHeight, outHeight, kh, sh, top);
  const colPhases = phases(inWidth, outWidth, kw, sw, left);
  const opts = conv2dBackpropInputOptions;
  // Phases multiply the zeros of their padding too: DCGAN's first transposed layer (1×1 → 4×4, padding 3) would
  // do 16 times the products it needs. There GEMM + col2im (one product of dy with W, then a scatter) wins.
  const phased =
    rowPhases && colPhases && phaseWork(rowPhases, colPhases) <= 2 * outHeight * outWidth * kh * kw;
  const simd = phased && opts.direct && inChannels % 8 === 0 ? directSimd(backend) : null;
  if (simd && rowPhases && colPhases) {
    return trace.time('bpi.direct', () =>
      directPhases(backend, simd, dy, filter, info, rowPhases, colPhases),
    );
  }
  // XNNPACK convolutions with very few output channels are slow (the image gradient of D's first
  // layer, ci = 1: 3.3 ms as four phase convolutions against 1.4 ms as GEMM + col2im, full-width dcgan-28).
  if (phased && rowPhases && colPhases && inChannels >= MIN_PHASE_CHANNELS && opts.phaseConvs) {
    return trace.time('bpi.phaseConvs', () =>
      phaseConvs(backend, dy, filter, inputShape, rowPhases, colPhases, dimRoundingMode),
    );
  }
  const k = kh * kw * inChannels;
  const m = batchSize * outHeight * outWidth;
  // W [kh, kw, ci, co] viewed as [k, co] -> Wᵀ [co, k], so the product below is a plain GEMM.
  const wT = trace.time('bpi.transposeW', () => transpose(backend, alias(filter, [k, outChannels]), [1, 0]));
  const cols = trace.time('bpi.matmul', () => {
    const [a, b] = [alias(dy, [1, m, outChannels]), alias(wT, [1, outChannels, k])];
    return (batchMatMulOptions.direct && directProduct(backend, a, b, false, false)) || matmul(backend, a, b);
  });
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
      sh,
      sw,
      top,
      left,
    }),
  );
  free(backend, cols);
  return dx;
}

/**
 * One stride phase along one axis: the input-gradient positions a, a + s, a + 2s, … (count of them),
 * which take the taps r, r + s, … (taps of them) of the kernel, as a stride-1 convolution of dy padded
 * by padBefore / padAfter.
 */
export interface Phase {
  a: number;
  count: number;
  r: number;
  taps: number;
  padBefore: number;
  padAfter: number;
}

/**
 * The stride phases of one axis of a convolution (input length n, output length o, kernel k, stride s,
 * padding `before`), or undefined where one would need negative padding (then the caller uses col2im).
 * Forward: y[o] = Σ_i x[s·o − before + i]·W[i], so dx[h] = Σ dy[o]·W[i] over s·o + i = h + before: for
 * h = a + s·q, the taps are i = r + s·t with r = (a + before) mod s, at o = q + c − t, c = ⌊(a + before)/s⌋.
 */
export function phases(n: number, o: number, k: number, s: number, before: number): Phase[] | undefined {
  const out: Phase[] = [];
  for (let a = 0; a < Math.min(s, n); a++) {
    const count = Math.ceil((n - a) / s);
    const r = (a + before) % s;
    const c = Math.floor((a + before) / s);
    const taps = Math.max(0, Math.ceil((k - r) / s));
    const padBefore = taps - 1 - c;
    const padAfter = count + taps - 1 - padBefore - o;
    if (taps > 0 && (padBefore < 0 || padAfter < 0)) return undefined;
    out.push({ a, count, r, taps, padBefore, padAfter });
  }
  return out;
}

/** Products (per pair of channels and per image) the phases of `rows` × `cols` compute, padding included. */
function phaseWork(rows: Phase[], cols: Phase[]): number {
  const axis = (ps: Phase[]) => ps.reduce((sum, p) => sum + p.count * p.taps, 0);
  return axis(rows) * axis(cols);
}

/** dx from one XNNPACK convolution of dy per (row phase, column phase); see `phases`. */
function phaseConvs(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: [number, number, number, number],
  rows: Phase[],
  cols: Phase[],
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): TensorInfo {
  const [n, inH, inW, ci] = inputShape;
  const [, kw, , co] = filter.shape;
  const sh = rows.length;
  const sw = cols.length;
  // One phase per axis: the convolution's output is dx itself.
  const single = sh === 1 && sw === 1 && rows[0].taps > 0 && cols[0].taps > 0;
  const dx = single ? undefined : backend.makeOutput(inputShape, 'float32');
  // The phases write every pixel, except those of a phase no tap reaches: those are 0.
  if (dx && [...rows, ...cols].some((p) => p.taps === 0)) f32View(backend, dx).fill(0);
  for (const p of rows) {
    for (const q of cols) {
      if (p.taps === 0 || q.taps === 0) continue; // no tap reaches this phase: its pixels stay 0
      // Wp[t, u, co, ci] = W[r + sh·(T−1−t), r' + sw·(U−1−u), ci, co]: the phase's taps, flipped.
      const wp = backend.makeOutput([p.taps, q.taps, co, ci], 'float32');
      const w = f32View(backend, filter);
      const wv = f32View(backend, wp);
      for (let t = 0; t < p.taps; t++) {
        const i = p.r + sh * (p.taps - 1 - t);
        for (let u = 0; u < q.taps; u++) {
          const j = q.r + sw * (q.taps - 1 - u);
          const src = (i * kw + j) * ci * co;
          const dst = (t * q.taps + u) * co * ci;
          for (let c = 0; c < ci; c++)
            for (let m = 0; m < co; m++) wv[dst + m * ci + c] = w[src + c * co + m];
        }
      }
      // [n, p.count, q.count, ci]
      const y = conv2dPadded(
        backend,
        dy,
        wp,
        [
          [p.padBefore, p.padAfter],
          [q.padBefore, q.padAfter],
        ],
        [1, 1],
        dimRoundingMode,
      );
      free(backend, wp);
      if (y.shape[1] !== p.count || y.shape[2] !== q.count) {
        free(backend, y, ...(dx ? [dx] : []));
        throw new Error(
          `Conv2DBackpropInput: internal shape mismatch [${y.shape}] for input [${inputShape}].`,
        );
      }
      if (!dx) return y;
      // Interleave: dx[b, a + sh·y, a' + sw·x, :] = y[b, y, x, :].
      const yv = f32View(backend, y);
      const dv = f32View(backend, dx);
      let src = 0;
      for (let b = 0; b < n; b++) {
        for (let yy = 0; yy < p.count; yy++) {
          let dst = ((b * inH + p.a + sh * yy) * inW + q.a) * ci;
          for (let xx = 0; xx < q.count; xx++, dst += sw * ci) {
            for (let c = 0; c < ci; c++) dv[dst + c] = yv[src++];
          }
        }
      }
      free(backend, y);
    }
  }
  return dx as TensorInfo;
}

/**
 * dx by conv.wat's conv_tiles, phase by phase (see `phases`): dy zero-padded once by the widest padding any phase
 * needs, W transposed to [kh, kw, co, ci] and packed in blocks of 8 input channels; each phase is a stride-1
 * convolution of the padded dy with its taps (walked backwards: the flip) that writes its pixels straight into
 * their places in dx.
 */
function directPhases(
  backend: BackendWasm,
  simd: DirectSimd,
  dy: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  rows: Phase[],
  cols: Phase[],
): TensorInfo {
  const { batchSize: n, inHeight, inWidth, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { outChannels: co, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  // Phases that own pixels and take taps; the others' pixels (no tap reaches them) stay 0.
  const liveRows = rows.filter((p) => p.taps > 0 && p.count > 0);
  const liveCols = cols.filter((p) => p.taps > 0 && p.count > 0);
  const top = Math.max(0, ...liveRows.map((p) => p.padBefore));
  const left = Math.max(0, ...liveCols.map((p) => p.padBefore));
  const hp = top + oh + Math.max(0, ...liveRows.map((p) => p.padAfter));
  const wp = left + ow + Math.max(0, ...liveCols.map((p) => p.padAfter));
  const dyp = padded(backend, dy, hp, wp, top, left);
  // W [kh, kw, ci, co] → [kh, kw, co, ci] → blocks of 8 input channels, [ci / 8][kh·kw·co][8].
  const taps = kh * kw;
  const wT = trace.time('bpi.transposeW', () => transpose(backend, alias(filter, [taps, ci, co]), [0, 2, 1]));
  const packed = backend.makeOutput([taps * co * ci], 'float32');
  trace.time('bpi.packW', () =>
    simd.pack_cols8(heapOffset(backend, wT), heapOffset(backend, packed), taps * co, ci),
  );
  free(backend, wT);
  const dx = backend.makeOutput([n, inHeight, inWidth, ci], 'float32');
  if ([...rows, ...cols].some((p) => p.taps === 0)) f32View(backend, dx).fill(0);
  directInputStats.calls += 1;
  const rowX = wp * co * 4;
  const tapB = co * 32; // one tap of one packed block
  for (const p of liveRows) {
    for (const q of liveCols) {
      // Phase tap (t, u) is W's tap (p.r + sh·(p.taps − 1 − t), q.r + sw·(q.taps − 1 − u)).
      const i0 = p.r + sh * (p.taps - 1);
      const j0 = q.r + sw * (q.taps - 1);
      convTiles(backend, simd, {
        x: heapOffset(backend, dyp) + ((top - p.padBefore) * wp + left - q.padBefore) * co * 4,
        w: heapOffset(backend, packed),
        y: heapOffset(backend, dx) + (p.a * inWidth + q.a) * ci * 4,
        pixels: n * p.count * q.count,
        oh: p.count,
        ow: q.count,
        imgX: hp * rowX,
        stepY: rowX,
        stepX: co * 4,
        th: p.taps,
        tw: q.taps,
        dilY: rowX,
        dilX: co * 4,
        wBlock: taps * tapB,
        tap0: (i0 * kw + j0) * tapB,
        wI: -sh * kw * tapB,
        wJ: -sw * tapB,
        c: co,
        k: ci,
        imgY: inHeight * inWidth * ci * 4,
        rowY: sh * inWidth * ci * 4,
        pixY: sw * ci * 4,
      });
    }
  }
  free(backend, dyp, packed);
  return dx;
}
