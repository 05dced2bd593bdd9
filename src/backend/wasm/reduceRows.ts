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
  const acc = new Float64Array(j1 - j0);
  for (let i = 0, off = 0; i < outer; i++, off += inner) {
    for (let j = j0; j < j1; j++) acc[j - j0] += x[off + j];
  }
  for (let j = j0; j < j1; j++) out[j] = acc[j - j0] * scale;
}
