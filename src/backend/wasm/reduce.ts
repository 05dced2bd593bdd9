/**
 * Sum and Mean over leading axes (e.g. [0, 1, 2] of NHWC: per-channel sums in batch-norm and bias
 * gradients) for the wasm backend. tfjs-backend-wasm 4.22 first transposes the whole tensor so the
 * reduced axes are innermost; here rows are accumulated in place, in float64. Any other axis set
 * goes to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { elementwiseSimd } from './activation';
import { f32View, heapInfo, heapOffset, runKernel, type TensorInfo } from './heap';
import { sumRowsParallel } from './pool';

interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** Number of leading axes reduced, or -1 when `axis` is not exactly [0, …, k−1] with 0 < k < rank. */
export function leadingAxes(shape: number[], axis: number | number[]): number {
  const rank = shape.length;
  const axes = tf.util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return -1;
  for (let i = 0; i < axes.length; i++) if (axes[i] !== i) return -1;
  return axes.length;
}

function reduceLeading(kernel: 'Sum' | 'Mean') {
  return (args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: ReduceAttrs }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const k = x.dtype === 'float32' ? leadingAxes(x.shape, attrs.axis) : -1;
    if (k < 0) return runKernel(kernel, backend, { x }, attrs);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, k));
    const innerShape = x.shape.slice(k);
    const inner = tf.util.sizeFromShape(innerShape);
    const outShape = attrs.keepDims ? [...new Array<number>(k).fill(1), ...innerShape] : innerShape;
    const out = backend.makeOutput(outShape, 'float32');
    const scale = kernel === 'Mean' ? 1 / outer : 1;
    const simd = elementwiseSimd(backend);
    if (simd) {
      simd.sum_rows(heapOffset(backend, x), heapOffset(backend, out), outer, inner, 0, inner, scale);
      return out;
    }
    sumRowsParallel(heapInfo(backend), f32View(backend, x), f32View(backend, out), outer, inner, scale);
    return out;
  };
}

export const sumFast = reduceLeading('Sum');
export const meanFast = reduceLeading('Mean');
