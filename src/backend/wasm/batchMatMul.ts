/**
 * BatchMatMul for the wasm backend. Batch-1 float32 products run on conv.wat's mm_tiles (directMatMul.ts), the
 * same bits as XNNPACK's. The rest — batched products, both operands transposed, shapes mm_tiles does not take, a
 * runtime without WebAssembly SIMD — as follows, with transposeA/transposeB routed through explicit transposes and
 * the plain XNNPACK product. tfjs-backend-wasm 4.22 runs transposed products in a scalar loop
 * (~0.6 GFLOP/s); dense-layer weight gradients (xᵀ·dy) and input gradients (dy·Wᵀ) are exactly those
 * products. Of the two equivalent plans — transpose the operands, or compute the transposed product
 * (C = (Bᵀ·Aᵀ)ᵀ) — the one that moves fewer elements is used: for dy·Wᵀ with a small batch that is
 * transposing dy and the small result instead of the large weight matrix.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alias, free, runKernel, type TensorInfo } from './heap';
import { swapLast } from './transpose';
import { directProduct } from './directMatMul';

/** Elements moved by each plan for op(A)[M,K] · op(B)[K,N] (per batch entry). */
export function transposeCost(
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): { direct: number; swapped: number } {
  // direct: make A [M,K] and B [K,N] untransposed.
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0);
  // swapped: Cᵀ = op(B)ᵀ · op(A)ᵀ needs B as [N,K] (free when transposeB) and A as [K,M] (free when
  // transposeA), then Cᵀ [N,M] back to C.
  const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * n;
  return { direct, swapped };
}

/**
 * Uses of each right-hand operand (by data id) in untransposed products. tfjs-backend-wasm's BatchMatMul
 * hands the right operand to an XNNPACK fully-connected operator as its weights and caches the operator per
 * operand; creating it packs the weights, reading them column by column: for new weights [1024, 784]
 * (after every Adam step) that takes ~2.4 ms, against ~1.4 ms for the whole product with the operator cached
 * (scripts/exp/mmbench.ts). The first uses of an operand therefore go through `productOfTransposes`; from
 * the third on (weights that stay, as when sampling) the cached operator is cheaper.
 */
const plainUses = new WeakMap<object, number>();

/**
 * `direct: false` leaves conv.wat's mm_tiles out (directMatMul.ts), `freshWeights: false` always runs untransposed
 * XNNPACK products directly (tests and A/B measurements).
 */
export const batchMatMulOptions = { direct: true, freshWeights: true };

/** Batch-1 products at least this large (K·N of the right operand) are worth the transposes. */
const FRESH_WEIGHTS_MIN_ELEMENTS = 64 * 1024;

/** True when a·b should be computed as (bᵀ·aᵀ)ᵀ: a batch-1 product with a large right operand seen < 3 times. */
export function freshWeightsPlan(a: TensorInfo, b: TensorInfo): boolean {
  if (!batchMatMulOptions.freshWeights) return false;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2)
    return false;
  if (
    tf.util.sizeFromShape(a.shape.slice(0, -2)) !== 1 ||
    tf.util.sizeFromShape(b.shape.slice(0, -2)) !== 1
  ) {
    return false;
  }
  const [k, n] = b.shape.slice(-2);
  const m = a.shape[a.shape.length - 2];
  if (k * n < FRESH_WEIGHTS_MIN_ELEMENTS || m > n) return false;
  const uses = (plainUses.get(b.dataId) ?? 0) + 1;
  plainUses.set(b.dataId, uses);
  return uses <= 2;
}

/**
 * a [.., M, K] · b [.., K, N] (batch 1) as (bᵀ·aᵀ)ᵀ: bᵀ [N, K] becomes the operator's input, which XNNPACK
 * reads row by row without packing, and aᵀ [K, M] its (small) weights; the three transposes are SIMD copies
 * (transpose.ts). Each output is the same sum over k in the same order, so the result is the direct
 * product's bit for bit (test/backend/wasmTranspose.test.ts).
 */
function productOfTransposes(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const outShape = [...a.shape.slice(0, -2), m, n];
  const bT = swapLast(backend, alias(b, [1, k, n]));
  const aT = swapLast(backend, alias(a, [1, m, k]));
  const cT = runKernel('BatchMatMul', backend, { a: bT, b: aT }, { transposeA: false, transposeB: false });
  free(backend, bT, aT);
  const c = swapLast(backend, cT);
  free(backend, cT);
  return alias(c, outShape);
}

export function batchMatMulFast(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: { transposeA: boolean; transposeB: boolean };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  const direct = batchMatMulOptions.direct ? directProduct(backend, a, b, transposeA, transposeB) : null;
  if (direct) return direct;
  if (!transposeA && !transposeB) {
    return freshWeightsPlan(a, b)
      ? productOfTransposes(backend, a, b)
      : runKernel('BatchMatMul', backend, { a, b }, attrs);
  }
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error(`BatchMatMul on wasm supports float32 only, but got ${a.dtype} × ${b.dtype}.`);
  }
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  if (aRank < 2 || bRank < 2) {
    throw new Error(`BatchMatMul expects rank ≥ 2 inputs, but got shapes [${a.shape}] and [${b.shape}].`);
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const a3 = alias(a, [tf.util.sizeFromShape(outerA), a.shape[aRank - 2], a.shape[aRank - 1]]);
  const b3 = alias(b, [tf.util.sizeFromShape(outerB), b.shape[bRank - 2], b.shape[bRank - 1]]);
  const m = transposeA ? a3.shape[2] : a3.shape[1];
  const kA = transposeA ? a3.shape[1] : a3.shape[2];
  const kB = transposeB ? b3.shape[2] : b3.shape[1];
  const n = transposeB ? b3.shape[1] : b3.shape[2];
  if (kA !== kB) {
    throw new Error(
      `Error in matMul: inner shapes (${kA}) and (${kB}) of Tensors with shapes ` +
        `[${a.shape}] and [${b.shape}] and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const outShape = [...tf.backend_util.assertAndGetBroadcastShape(outerA, outerB), m, n];
  const cost = transposeCost(m, kA, n, transposeA, transposeB);
  if (cost.direct <= cost.swapped) {
    const aN = transposeA ? swapLast(backend, a3) : a3;
    const bN = transposeB ? swapLast(backend, b3) : b3;
    const out = runKernel(
      'BatchMatMul',
      backend,
      { a: alias(aN, [...outerA, m, kA]), b: alias(bN, [...outerB, kA, n]) },
      { transposeA: false, transposeB: false },
    );
    if (aN !== a3) free(backend, aN);
    if (bN !== b3) free(backend, bN);
    return alias(out, outShape);
  }
  // Cᵀ [N,M] = op(B)ᵀ [N,K] · op(A)ᵀ [K,M]
  const bT = transposeB ? b3 : swapLast(backend, b3);
  const aT = transposeA ? a3 : swapLast(backend, a3);
  const cT = runKernel(
    'BatchMatMul',
    backend,
    { a: alias(bT, [...outerB, n, kA]), b: alias(aT, [...outerA, kA, m]) },
    { transposeA: false, transposeB: false },
  );
  if (bT !== b3) free(backend, bT);
  if (aT !== a3) free(backend, aT);
  const batch = tf.util.sizeFromShape(cT.shape.slice(0, -2));
  const c = swapLast(backend, alias(cT, [batch, n, m]));
  free(backend, cT);
  return alias(c, outShape);
}
