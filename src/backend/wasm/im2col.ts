/**
 * im2col in transposed layout, the gather half of Conv2DBackpropFilter's GEMM path
 * (src/backend/wasm/conv2dBackpropFilter.ts): row (i, j, c) of colsT holds input channel c at kernel tap
 * (i, j) for every output pixel (n, y, x), so that dW [kh·kw·ci, co] = colsT · dy [n·oh·ow, co].
 */
import type { Col2imGeometry } from './col2im';

/**
 * colsT[(i·kw + j)·ci + c, (n·outH + y)·outW + x] = x[n, y·sh + i − top, x·sw + j − left, c], 0 where
 * that falls in the padding, for rows r0 ≤ r < r1 only. Self-contained (no outside references):
 * src/backend/wasm/pool.ts ships its source to a worker.
 */
export function im2colT(
  x: Float32Array,
  colsT: Float32Array,
  g: Col2imGeometry & { r0: number; r1: number },
): void {
  const { batch, inH, inW, inC, outH, outW, kw, sh, sw, top, left, r0, r1 } = g;
  const m = batch * outH * outW;
  for (let r = r0; r < r1; r++) {
    const c = r % inC;
    const tap = (r - c) / inC;
    const j = tap % kw;
    const i = (tap - j) / kw;
    // Output columns whose input column lies inside the image: x0 ≤ x < x1.
    const x0 = Math.min(outW, Math.max(0, Math.ceil((left - j) / sw)));
    const x1 = Math.max(x0, Math.min(outW, Math.ceil((inW + left - j) / sw)));
    let dst = r * m;
    for (let n = 0; n < batch; n++) {
      for (let y = 0; y < outH; y++, dst += outW) {
        const h = y * sh + i - top;
        if (h < 0 || h >= inH) {
          colsT.fill(0, dst, dst + outW);
          continue;
        }
        if (x0 > 0) colsT.fill(0, dst, dst + x0);
        if (x1 < outW) colsT.fill(0, dst + x1, dst + outW);
        let src = ((n * inH + h) * inW + x0 * sw + j - left) * inC + c;
        const step = sw * inC;
        for (let xx = x0; xx < x1; xx++, src += step) colsT[dst + xx] = x[src];
      }
    }
  }
}
