/**
 * BatchMatMul for the wasm backend with transposeA/transposeB routed through an explicit transpose
 * and the plain XNNPACK product. tfjs-backend-wasm 4.22 runs transposed products in a scalar loop
 * (~0.6 GFLOP/s, see docs/performance.md); dense-layer weight gradients (xᵀ·dy) and input gradients
 * (dy·Wᵀ) are exactly those products, so this kernel is what makes the MLP GAN's backward pass fast.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { alias, free, runKernel, transpose, type TensorInfo } from './heap';

/** Swap the last two axes of a rank-3 view. */
function swapLast(backend: BackendWasm, x: TensorInfo): TensorInfo {
  return transpose(backend, x, [0, 2, 1]);
}

export function batchMatMulFast(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: { transposeA: boolean; transposeB: boolean };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  if (!transposeA && !transposeB) return runKernel('BatchMatMul', backend, { a, b }, attrs);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error(`BatchMatMul on wasm supports float32 only, but got ${a.dtype} × ${b.dtype}.`);
  }
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  if (aRank < 2 || bRank < 2) {
    throw new Error(`BatchMatMul expects rank ≥ 2 inputs, but got shapes [${a.shape}] and [${b.shape}].`);
  }
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const a3 = alias(a, [batchA, a.shape[aRank - 2], a.shape[aRank - 1]]);
  const b3 = alias(b, [batchB, b.shape[bRank - 2], b.shape[bRank - 1]]);
  const temps: TensorInfo[] = [];
  let aN = a3;
  let bN = b3;
  if (transposeA) {
    aN = swapLast(backend, a3);
    temps.push(aN);
  }
  if (transposeB) {
    bN = swapLast(backend, b3);
    temps.push(bN);
  }
  if (aN.shape[2] !== bN.shape[1]) {
    free(backend, ...temps);
    throw new Error(
      `Error in matMul: inner shapes (${aN.shape[2]}) and (${bN.shape[1]}) of Tensors with shapes ` +
        `[${a.shape}] and [${b.shape}] and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  // The original kernel handles batch broadcasting and the output's outer shape.
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const aIn = alias(aN, [...outerA, aN.shape[1], aN.shape[2]]);
  const bIn = alias(bN, [...outerB, bN.shape[1], bN.shape[2]]);
  const out = runKernel('BatchMatMul', backend, { a: aIn, b: bIn }, { transposeA: false, transposeB: false });
  free(backend, ...temps);
  return out;
}
