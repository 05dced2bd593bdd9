/**
 * out[j] = scale · Σ_i x[i, j] for x viewed as [outer, inner], columns j0 ≤ j < j1 only, accumulated in
 * float64. Self-contained (no outside references): src/backend/wasm/pool.ts ships its source to a worker.
 */
export function sumRowsRange(
  x: Float32Array,
  out: Float32Array,
  outer: number,
  inner: number,
  scale: number,
  j0: number,
  j1: number,
): void {
  const w = j1 - j0;
  const acc = new Float64Array(w);
  let i = 0;
  let off = j0;
  // Four rows per pass over acc (2.3× faster on [3136, 32]); the sum is still added row by row, left
  // to right, so the result is the same to the bit.
  for (const i2 = 2 * inner, i3 = 3 * inner; i + 3 < outer; i += 4, off += 4 * inner) {
    for (let j = 0; j < w; j++) {
      acc[j] = acc[j] + x[off + j] + x[off + inner + j] + x[off + i2 + j] + x[off + i3 + j];
    }
  }
  for (; i < outer; i++, off += inner) for (let j = 0; j < w; j++) acc[j] += x[off + j];
  for (let j = 0; j < w; j++) out[j0 + j] = acc[j] * scale;
}
