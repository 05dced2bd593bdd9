/**
 * Matrix products of batch-1 float32 operands on conv.wat's mm_tiles (a 4×8 register tile of sums, the kernel of the
 * direct convolutions), for BatchMatMul (batchMatMul.ts): a dense layer's forward product x·W, its weight gradient
 * xᵀ·dy and its input gradient dy·Wᵀ, with no XNNPACK operator to create (XNNPACK packs new weights, as after every
 * Adam step, at the cost of a product) and the work cut in pieces both cores claim (pool.ts). Each of C's sums runs
 * over k in order from zero, one product added at a time, as XNNPACK's GEMM does: the same bits as the XNNPACK plans
 * (test/backend/wasmMatMul.test.ts), so trajectories trained before are unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alias, f32View, free, heapInfo, heapOffset, type TensorInfo } from './heap';
import { directSimd, type DirectSimd } from './directConv';
import { mmParallel } from './pool';
import { swapLast } from './transpose';

/** Products mm_tiles computed (tests check the direct path is taken). */
export const directProductStats = { calls: 0 };

/** Pieces a product is cut into for the two cores, at least (pool.ts claims them). */
const PIECES = 16;

/** Bytes of A rows one piece reads per block of B: they stay in a core's L2 while its blocks run over them. */
const PIECE_A_BYTES = 256 * 1024;

/** dst [rows, dstCols] ← the first min(srcCols, dstCols) columns of src [rows, srcCols], the rest zero. */
function copyColumns(
  src: Float32Array,
  dst: Float32Array,
  rows: number,
  srcCols: number,
  dstCols: number,
): void {
  const cols = Math.min(srcCols, dstCols);
  if (cols < dstCols) dst.fill(0);
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * srcCols, r * srcCols + cols), r * dstCols);
}

/**
 * Where A, B and C lie on the heap (bytes): A(m, k) at a + m·sAM + k·sAK, B's row k at b + k·sBK, C's row m at
 * c + m·sCM.
 */
interface Operands {
  a: number;
  sAM: number;
  sAK: number;
  b: number;
  sBK: number;
  c: number;
  sCM: number;
}

/** C [rows, cols] = A [rows, k] · B [k, cols] on mm_tiles, cols a multiple of 8. */
function runTiles(
  backend: BackendWasm,
  simd: DirectSimd,
  o: Operands,
  rows: number,
  k: number,
  cols: number,
): void {
  const tiles = Math.ceil(rows / 4);
  const blocks = cols / 8;
  // Pieces: A cut in row ranges that fit L2 (pt), then blocks of B cut until there are PIECES pieces (pb).
  const pt = Math.min(tiles, Math.max(1, Math.ceil((rows * k * 4) / PIECE_A_BYTES)));
  const pb = Math.min(blocks, Math.max(1, Math.ceil(PIECES / pt)));
  // With one row range, each block of B is read by one piece only: copied once to 32-byte rows (its K rows of 8
  // floats contiguous), it stays in L1 over the tiles instead of K lines a row of B apart (4 KB for B [k, 1024]:
  // one cache set).
  const pack = pt === 1 && tiles >= 2 && o.sBK !== 32;
  const scratch = pack ? backend.makeOutput([k * cols], 'float32') : null;
  const args = [
    o.a,
    o.sAM,
    o.sAK,
    o.b,
    o.sBK,
    o.c,
    o.sCM,
    k,
    rows,
    scratch ? heapOffset(backend, scratch) : 0,
  ];
  mmParallel(heapInfo(backend), simd.mm_tiles, args, tiles, blocks, pt, pb, rows * k * cols);
  if (scratch) free(backend, scratch);
}

/**
 * op(A) · op(B) for batch-1 float32 operands on mm_tiles, or null where it does not apply (batched or non-float32
 * operands, both transposed, no WebAssembly SIMD, a·bᵀ with B the larger side and m not a multiple of 8). Products
 * make no copy of the larger operand:
 * - a·b: C = A·B in blocks of 8 columns of B (B and C padded to 8k columns where n is not);
 * - aᵀ·b (a weight gradient xᵀ·dy): A = aᵀ copied ([k, m] → [m, k]: small, the batch is k), then as a·b;
 * - a·bᵀ (an input gradient dy·Wᵀ): Cᵀ = B·Aᵀ with the small Aᵀ [k, m] copied, B read as it is, Cᵀ transposed
 *   (m a multiple of 8) — or, where B is the smaller side, B transposed and then as a·b.
 */
export function directProduct(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | null {
  if (transposeA && transposeB) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  if (
    tf.util.sizeFromShape(a.shape.slice(0, -2)) !== 1 ||
    tf.util.sizeFromShape(b.shape.slice(0, -2)) !== 1
  ) {
    return null;
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const n = transposeB ? br : bc;
  // mismatched inner sizes get the error of the general path
  if (k !== (transposeB ? bc : br) || k === 0 || m === 0 || n === 0) return null;
  const simd = directSimd(backend);
  if (!simd) return null;
  const outShape = [...a.shape.slice(0, -2), m, n];
  // a·bᵀ: transpose whichever side moves fewer elements — B (k·n: a filter against many pixels), or A and C
  // (m·k + m·n: a dense layer's input gradient with a small batch)
  if (transposeB && k * n < m * (k + n)) {
    const bT = swapLast(backend, alias(b, [1, n, k]));
    const c = directProduct(backend, alias(a, [m, k]), alias(bT, [k, n]), false, false);
    free(backend, bT);
    return c && alias(c, outShape);
  }
  if (transposeB && m % 8 !== 0) return null;
  directProductStats.calls += 1;
  const at = (t: TensorInfo) => heapOffset(backend, t);
  if (transposeB) {
    // Cᵀ [n, m] = B [n, k] · Aᵀ [k, m]
    const aT = swapLast(backend, alias(a, [1, m, k]));
    const cT = backend.makeOutput([1, n, m], 'float32');
    runTiles(
      backend,
      simd,
      { a: at(b), sAM: k * 4, sAK: 4, b: at(aT), sBK: m * 4, c: at(cT), sCM: m * 4 },
      n,
      k,
      m,
    );
    free(backend, aT);
    const c = swapLast(backend, cT);
    free(backend, cT);
    return alias(c, outShape);
  }
  const aN = transposeA ? swapLast(backend, alias(a, [1, k, m])) : a;
  const n8 = Math.ceil(n / 8) * 8;
  // B and C with their columns padded to 8k (zeros in B) where n is not: each real column's sums are unchanged.
  const bP = n8 === n ? b : backend.makeOutput([k, n8], 'float32');
  if (bP !== b) copyColumns(f32View(backend, b), f32View(backend, bP), k, n, n8);
  const cP = backend.makeOutput(n8 === n ? outShape : [m, n8], 'float32');
  runTiles(
    backend,
    simd,
    { a: at(aN), sAM: k * 4, sAK: 4, b: at(bP), sBK: n8 * 4, c: at(cP), sCM: n8 * 4 },
    m,
    k,
    n8,
  );
  if (aN !== a) free(backend, aN);
  if (bP !== b) free(backend, bP);
  if (n8 === n) return cP;
  const c = backend.makeOutput(outShape, 'float32');
  copyColumns(f32View(backend, cP), f32View(backend, c), m, n8, n);
  free(backend, cP);
  return c;
}
