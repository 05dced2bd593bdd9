/**
 * col2im, the scatter-add half of Conv2DBackpropInput (src/backend/wasm/conv2dBackpropInput.ts): each
 * row of cols = dy·Wᵀ holds one output pixel's contribution to the kh×kw window of input pixels it came
 * from; adding the rows back into place gives the input gradient.
 */

/** Shapes, strides and padding of the convolution whose input gradient is assembled. */
export interface Col2imGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

/**
 * Scatter-add cols [n·oh·ow, kh·kw·ci] into dx [n, h, w, ci] (zeroed by the caller), for images
 * n0 ≤ n < n1 only. Self-contained (no outside references): src/backend/wasm/pool.ts ships its source
 * to a worker.
 */
export function col2im(
  cols: Float32Array,
  dx: Float32Array,
  g: Col2imGeometry & { n0: number; n1: number },
): void {
  const { inH, inW, inC, outH, outW, kh, kw, sh, sw, top, left, n0, n1 } = g;
  const rowLen = kh * kw * inC;
  let src = n0 * outH * outW * rowLen;
  for (let n = n0; n < n1; n++) {
    const nBase = n * inH;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sh - top;
      for (let ow = 0; ow < outW; ow++, src += rowLen) {
        const w0 = ow * sw - left;
        for (let i = 0; i < kh; i++) {
          const h = h0 + i;
          if (h < 0 || h >= inH) continue;
          const rowBase = (nBase + h) * inW;
          for (let j = 0; j < kw; j++) {
            const w = w0 + j;
            if (w < 0 || w >= inW) continue;
            let d = (rowBase + w) * inC;
            let s = src + (i * kw + j) * inC;
            const end = d + inC;
            while (d < end) dx[d++] += cols[s++];
          }
        }
      }
    }
  }
}
