/**
 * Transpose for the wasm backend where it swaps the last two axes (the leading ones kept) of float32 or
 * int32 data: WebAssembly SIMD 4×4 blocks on the heap (transpose.wat). tfjs-backend-wasm 4.22's
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

/** `x` with axes permuted by `perm`; the SIMD path where it applies. Returns a new TensorInfo. */
export function transposeWasm(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  const simd =
    (x.dtype === 'float32' || x.dtype === 'int32') && swapsLastTwo(perm) ? transposeSimd(backend) : null;
  if (!simd) return runKernel('Transpose', backend, { x }, { perm });
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

export function transposeFast(args: {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: { perm: number[] };
}): TensorInfo {
  return transposeWasm(args.backend, args.inputs.x, args.attrs.perm);
}
