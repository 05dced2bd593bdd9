/**
 * What the direct convolution kernels of conv.wat share (src/backend/wasm/conv2d.ts, conv2dBackpropInput.ts,
 * conv2dBackpropFilter.ts): the module on the backend's heap, the zero-padded copy of an input that a kernel reads
 * in place, conv_tiles driven over two cores, and the
 * geometry they all start from.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { f32View, heapInfo, heapModule, trace, type TensorInfo } from './heap';
import { CONV_WASM_PLAIN, CONV_WASM_SHARED } from './convSimd';
import { convParallel } from './pool';

/** tfjs's geometry of an undilated NHWC convolution of an x of `xShape` with a filter of `filterShape`. */
export function nhwcConvInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: [number, number] | number,
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.backend_util.Conv2DInfo {
  type Shape4 = [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** conv.wat's exports. */
export interface DirectSimd {
  bpf_tiles(...a: number[]): void;
  conv_tiles(...a: number[]): void;
  mm_tiles(...a: number[]): void;
  pack_cols8(src: number, dst: number, rows: number, cols: number): void;
}

/** conv.wat on `backend`'s heap, or null where WebAssembly SIMD (or the heap) is not there. */
export function directSimd(backend: BackendWasm): DirectSimd | null {
  return heapModule(backend, CONV_WASM_PLAIN, CONV_WASM_SHARED) as unknown as DirectSimd | null;
}

/**
 * x [n, h, w, c] copied into a zero-filled [n, hp, wp, c] buffer with its first row at `top` and first column at
 * `left`; rows and columns that fall outside are dropped (a crop where `top` or `left` is negative).
 */
export function padded(
  backend: BackendWasm,
  x: TensorInfo,
  hp: number,
  wp: number,
  top: number,
  left: number,
): TensorInfo {
  const [n, h, w, c] = x.shape;
  const xp = backend.makeOutput([n, hp, wp, c], 'float32');
  trace.time('direct.pad', () => {
    const src = f32View(backend, x);
    const dst = f32View(backend, xp);
    const c0 = Math.max(0, left);
    const c1 = Math.min(wp, w + left);
    const r0 = Math.max(0, top);
    const r1 = Math.min(hp, h + top);
    if (c1 <= c0 || r1 <= r0) {
      dst.fill(0);
      return;
    }
    // Only the padding is zeroed: the rows above and below the image, and each row's columns left and right of it.
    const len = (c1 - c0) * c;
    const row = wp * c;
    for (let i = 0; i < n; i++) {
      const img = i * hp * row;
      dst.fill(0, img, img + r0 * row);
      for (let r = r0; r < r1; r++) {
        const at = img + r * row;
        dst.fill(0, at, at + c0 * c);
        const from = ((i * h + r - top) * w + c0 - left) * c;
        dst.set(src.subarray(from, from + len), at + c0 * c);
        dst.fill(0, at + c1 * c, at + row);
      }
      dst.fill(0, img + r1 * row, img + hp * row);
    }
  });
  return xp;
}

/** Bytes of input that one chunk of conv_tiles' tiles reads per block of 8 output channels (tunable for A/B). */
export const directConvOptions = { chunkBytes: 1 << 18 };

/** The geometry of one conv_tiles pass (conv.wat: pointers and strides in bytes). */
export interface ConvTilesArgs {
  x: number;
  w: number;
  y: number;
  pixels: number;
  oh: number;
  ow: number;
  imgX: number;
  stepY: number;
  stepX: number;
  th: number;
  tw: number;
  dilY: number;
  dilX: number;
  wBlock: number;
  tap0: number;
  wI: number;
  wJ: number;
  c: number;
  k: number;
  imgY: number;
  rowY: number;
  pixY: number;
}

/** conv_tiles over every pixel of `a`, the tiles split between two cores when there are two. */
export function convTiles(backend: BackendWasm, simd: DirectSimd, a: ConvTilesArgs): void {
  // Tiles per chunk: their inputs (4 pixels × taps × c floats each) about chunkBytes, read once per block of
  // 8 output channels while that block of W stays in cache.
  const tilesPerChunk = Math.max(1, Math.floor(directConvOptions.chunkBytes / (16 * a.th * a.tw * a.c)));
  const args = [
    a.x,
    a.w,
    a.y,
    a.pixels,
    a.oh,
    a.ow,
    a.imgX,
    a.stepY,
    a.stepX,
    a.th,
    a.tw,
    a.dilY,
    a.dilX,
    a.wBlock,
    a.tap0,
    a.wI,
    a.wJ,
    a.c,
    a.k,
    a.imgY,
    a.rowY,
    a.pixY,
    tilesPerChunk,
  ];
  const work = a.pixels * a.th * a.tw * a.c * a.k;
  convParallel(heapInfo(backend), simd.conv_tiles, args, Math.ceil(a.pixels / 4), work);
}
