/**
 * LeakyReLU, its gradient's mask (Greater against a scalar) and Select for the wasm backend.
 * tfjs-backend-wasm 4.22 runs them as scalar loops, branchy where the sign of an activation is a coin
 * toss: LeakyRelu took ~1 ms, Greater ~0.7 ms on [64, 14, 14, 16]. Here they are WebAssembly SIMD on
 * the heap (elementwise.wat), with the same results to the bit: x·α rounds once in float32 either
 * way, and the rest only compares and picks. Where the SIMD module does not load, branch-free
 * JavaScript loops do the same.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ELEMENTWISE_WASM_PLAIN, ELEMENTWISE_WASM_SHARED } from './elementwiseSimd';
import { f32View, heapModule, heapOffset, heapView, runKernel, type TensorInfo } from './heap';

/** The functions of elementwise.wat (heap byte offsets, counts, scalars). */
export interface ElementwiseSimd {
  leaky_relu(x: number, out: number, n: number, alpha: number): void;
  greater_scalar(x: number, out: number, n: number, s: number): void;
  select(c: number, t: number, e: number, out: number, n: number): void;
  sum_rows(x: number, out: number, outer: number, inner: number, j0: number, j1: number, scale: number): void;
  add_rows(x: number, y: number, out: number, rows: number, cols: number, yRow: number): void;
}

/**
 * `simd: false` runs the JavaScript loops even where the SIMD module loads, `add: false` leaves Add to the stock
 * kernel (tests compare both).
 */
export const elementwiseOptions = { simd: true, add: true };

/** Adds add_rows computed (tests check the path is taken). */
export const addStats = { calls: 0 };

/** elementwise.wat on `backend`'s heap, or null (no WebAssembly SIMD, or `elementwiseOptions.simd` off). */
export function elementwiseSimd(backend: BackendWasm): ElementwiseSimd | null {
  if (!elementwiseOptions.simd) return null;
  return heapModule(
    backend,
    ELEMENTWISE_WASM_PLAIN,
    ELEMENTWISE_WASM_SHARED,
  ) as unknown as ElementwiseSimd | null;
}

/** out = x > 0 ? x : α·x, branch-free (the sign indexes the factor); −0 and NaN as the original. */
export function leakyReluInto(x: Float32Array, out: Float32Array, alpha: number): void {
  const factor = new Float64Array([Math.fround(alpha), 1]);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v * factor[+(v > 0)];
  }
}

export function leakyReluFast(args: {
  inputs: { x: TensorInfo };
  backend: BackendWasm;
  attrs: { alpha: number };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype !== 'float32') return runKernel('LeakyRelu', backend, { x }, attrs);
  const out = backend.makeOutput(x.shape, 'float32');
  const simd = elementwiseSimd(backend);
  const n = tf.util.sizeFromShape(x.shape);
  if (simd) simd.leaky_relu(heapOffset(backend, x), heapOffset(backend, out), n, Math.fround(attrs.alpha));
  else leakyReluInto(f32View(backend, x), f32View(backend, out), attrs.alpha);
  return out;
}

/** Greater: a float32 tensor against a float32 scalar (LeakyReLU's gradient mask) here; the rest as before. */
export function greaterFast(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || tf.util.sizeFromShape(b.shape) !== 1) {
    return runKernel('Greater', backend, { a, b });
  }
  const out = backend.makeOutput(a.shape, 'bool');
  const s = f32View(backend, b)[0];
  const n = tf.util.sizeFromShape(a.shape);
  const simd = elementwiseSimd(backend);
  if (simd) {
    simd.greater_scalar(heapOffset(backend, a), heapOffset(backend, out), n, s);
  } else {
    const xv = f32View(backend, a);
    const ov = heapView(backend, out);
    for (let i = 0; i < n; i++) ov[i] = +(xv[i] > s);
  }
  return out;
}

/** Select (tf.where) of float32 tensors with a condition of the same shape here; the rest as before. */
export function selectFast(args: {
  inputs: { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, backend } = args;
  const { condition, t, e } = inputs;
  const n = tf.util.sizeFromShape(t.shape);
  const simd = elementwiseSimd(backend);
  if (
    !simd ||
    condition.dtype !== 'bool' ||
    t.dtype !== 'float32' ||
    e.dtype !== 'float32' ||
    !tf.util.arraysEqual(condition.shape, t.shape) ||
    !tf.util.arraysEqual(e.shape, t.shape)
  ) {
    return runKernel('Select', backend, { condition, t, e });
  }
  const out = backend.makeOutput(t.shape, 'float32');
  simd.select(
    heapOffset(backend, condition),
    heapOffset(backend, t),
    heapOffset(backend, e),
    heapOffset(backend, out),
    n,
  );
  return out;
}

/**
 * Add of float32 tensors of the same shape, or a tensor and a row broadcast over its leading axes (a dense layer's
 * bias), here; the rest as before. tfjs-backend-wasm hands these to XNNPACK's threaded add, which in a training
 * step mostly waits for its threads (~0.3 ms for a [64, 512] bias, against ~0.02 ms on one core here). One float32
 * addition per element either way: the same bits.
 */
export function addFast(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs;
  const simd = elementwiseOptions.add ? elementwiseSimd(backend) : null;
  if (!simd || a.dtype !== 'float32' || b.dtype !== 'float32') return runKernel('Add', backend, { a, b });
  const same = tf.util.arraysEqual(a.shape, b.shape);
  // x: the larger operand; y: the same shape, or its last axis with only ones before it
  const [x, y] = same || a.shape.length >= b.shape.length ? [a, b] : [b, a];
  const cols = x.shape[x.shape.length - 1] ?? 1;
  const row =
    !same &&
    x.shape.length >= 1 &&
    y.shape.length >= 1 &&
    y.shape[y.shape.length - 1] === cols &&
    tf.util.sizeFromShape(y.shape) === cols;
  if (!same && !row) return runKernel('Add', backend, { a, b });
  const n = tf.util.sizeFromShape(x.shape);
  const out = backend.makeOutput(x.shape, 'float32');
  if (n === 0) return out;
  addStats.calls += 1;
  // same shapes: one row of every element
  const rows = same ? 1 : n / cols;
  simd.add_rows(heapOffset(backend, x), heapOffset(backend, y), heapOffset(backend, out), rows, n / rows, 0);
  return out;
}
