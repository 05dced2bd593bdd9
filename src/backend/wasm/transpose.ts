/**
 * Transpose for the wasm backend where it swaps the last two axes (the leading ones kept), or the first and
 * the last (the ones between kept), of float32 or int32 data: WebAssembly SIMD 4×4 blocks on the heap
 * (transpose.wat). tfjs-backend-wasm 4.22's
 * Transpose walks the output element by element: ~6.5 ms for a [1024, 784] matrix, ~0.6 ms in SIMD
 * blocks (scripts/exp/mmbench.ts), and the training kernels transpose around every XNNPACK product. A copy, so the result is the stock kernel's bit for bit; every other permutation,
 * dtype, or a runtime without WebAssembly SIMD runs the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapModule, heapOffset, runKernel, type TensorInfo } from './heap';
import { TRANSPOSE_WASM_PLAIN, TRANSPOSE_WASM_SHARED } from './transposeSimd';

export interface TransposeSimd {
  transpose_last2(x: number, out: number, batch: number, rows: number, cols: number): void;
}

/** `simd: false` runs the stock kernel even where the SIMD module loads (tests compare both). */
export const transposeOptions = { simd: true };

/** The SIMD module on `backend`'s heap, or null (no WebAssembly SIMD, or `transposeOptions.simd` off). */
export function transposeSimd(backend: BackendWasm): TransposeSimd | null {
  if (!transposeOptions.simd) return null;
  return heapModule(backend, TRANSPOSE_WASM_PLAIN, TRANSPOSE_WASM_SHARED) as unknown as TransposeSimd | null;
}

/** True when `perm` keeps every axis but the last two, which it swaps. */
export function swapsLastTwo(perm: readonly number[]): boolean {
  const r = perm.length;
  if (r < 2 || perm[r - 2] !== r - 1 || perm[r - 1] !== r - 2) return false;
  for (let i = 0; i < r - 2; i++) if (perm[i] !== i) return false;
  return true;
}

/** True when `perm` swaps the first and the last axis and keeps the ones between (e.g. [3, 1, 2, 0]). */
export function swapsOuterTwo(perm: readonly number[]): boolean {
  const r = perm.length;
  if (r < 3 || perm[0] !== r - 1 || perm[r - 1] !== 0) return false;
  for (let i = 1; i < r - 1; i++) if (perm[i] !== i) return false;
  return true;
}

/** `x` with axes permuted by `perm`; the SIMD path where it applies. Returns a new TensorInfo. */
/** Swap the last two axes of a rank-3 tensor (the SIMD transpose). */
export function swapLast(backend: BackendWasm, x: TensorInfo): TensorInfo {
  return transposeWasm(backend, x, [0, 2, 1]);
}

export function transposeWasm(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  const simd = x.dtype === 'float32' || x.dtype === 'int32' ? transposeSimd(backend) : null;
  if (simd && swapsOuterTwo(perm)) return swapOuter(backend, simd, x, perm);
  if (!simd || !swapsLastTwo(perm)) return runKernel('Transpose', backend, { x }, { perm });
  const r = x.shape.length;
  const rows = x.shape[r - 2];
  const cols = x.shape[r - 1];
  const out = backend.makeOutput(
    perm.map((p) => x.shape[p]),
    x.dtype,
  );
  const batch = tf.util.sizeFromShape(x.shape.slice(0, -2));
  if (batch * rows * cols > 0) {
    simd.transpose_last2(heapOffset(backend, x), heapOffset(backend, out), batch, rows, cols);
  }
  return out;
}

/**
 * x [A, M…, C] → [C, M…, A] in two last-two-axes passes: [A, M, C] → [A, C, M], then the matrix [A, C·M] →
 * [C·M, A]. The conv weight gradient's [n, h, w, ci] → [ci, h, w, n] took 183 ms of a DCGAN-64 step in tfjs's
 * element-by-element Transpose (GAN_WASM_TRACE=1, bpf.transposeX).
 */
function swapOuter(backend: BackendWasm, simd: TransposeSimd, x: TensorInfo, perm: number[]): TensorInfo {
  const a = x.shape[0];
  const c = x.shape[x.shape.length - 1];
  const m = tf.util.sizeFromShape(x.shape.slice(1, -1));
  const out = backend.makeOutput(
    perm.map((p) => x.shape[p]),
    x.dtype,
  );
  if (a * m * c === 0) return out;
  const tmp = backend.makeOutput([a, c, m], x.dtype);
  simd.transpose_last2(heapOffset(backend, x), heapOffset(backend, tmp), a, m, c);
  simd.transpose_last2(heapOffset(backend, tmp), heapOffset(backend, out), 1, a, c * m);
  backend.disposeData(tmp.dataId);
  return out;
}

export function transposeFast(args: {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: { perm: number[] };
}): TensorInfo {
  return transposeWasm(args.backend, args.inputs.x, args.attrs.perm);
}
