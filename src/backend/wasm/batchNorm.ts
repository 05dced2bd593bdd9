/**
 * Batch normalisation in training mode as two kernels for the wasm backend: the forward pass (batch
 * statistics and the normalised, scaled, shifted output) and its whole gradient. tfjs-layers builds the
 * same thing from tf.moments + tf.batchNorm, whose gradients are a chain of ~40 small ops per layer
 * (Sub, Mul, Sum, Tile, RealDiv, Rsqrt, …): with nine batch-norm calls per DCGAN-28 step that was more
 * than half of the step's ~1,500 kernel calls. Here each direction is two or three passes over the
 * activations, channels last, statistics accumulated in float64: WebAssembly SIMD on the heap
 * (batchnorm.wat, and elementwise.wat's sum_rows for the mean), JavaScript where SIMD is missing.
 *
 * For x viewed as [rows, C] (C the last axis), μ and σ² the per-channel mean and biased variance (what
 * tf.moments returns), r = 1/√(σ² + ε):
 *   forward   y = (x − μ)·γr + β, outputs [y, μ, σ²]
 *   gradient  with S1 = Σ dy and S2 = Σ dy·(x − μ) per channel, N = rows:
 *             dβ = S1, dγ = r·S2,
 *             dx = γr·dy + (2·dσ²/N − γr³·S2/N)·(x − μ) + (dμ/N − γr·S1/N)
 *   (dμ, dσ² are the gradients reaching the mean and variance outputs; zero when only y feeds the loss).
 * The layer that calls them is src/models/batchNorm.ts; other backends keep tfjs's own ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { elementwiseSimd, type ElementwiseSimd } from './activation';
import { BATCH_NORM_WASM_PLAIN, BATCH_NORM_WASM_SHARED } from './batchNormSimd';
import { f32View, free, heapModule, heapOffset, type TensorInfo } from './heap';
import { sumRowsRange } from './reduceRows';

/** Kernel names (ours; registered on the wasm backend only). */
export const BATCH_NORM_TRAIN = 'GanBatchNormTrain';
export const BATCH_NORM_GRAD = 'GanBatchNormGrad';

export interface BatchNormAttrs {
  epsilon: number;
}

/** The functions of batchnorm.wat (heap byte offsets, counts, scalars). */
interface BatchNormSimd {
  sum_sq_dev_rows(x: number, m: number, out: number, outer: number, inner: number, scale: number): void;
  sum_dy_rows(dy: number, x: number, m: number, s1: number, s2: number, outer: number, inner: number): void;
  affine_rows(
    p: number,
    q: number,
    m: number,
    A: number,
    B: number,
    C: number,
    out: number,
    outer: number,
    inner: number,
  ): void;
}

/** `simd: false` runs the JavaScript passes even where the SIMD modules load (tests compare both). */
export const batchNormOptions = { simd: true };

/**
 * The passes, on Float32Arrays, computing exactly what batchnorm.wat computes (float64 sums, float32
 * elementwise arithmetic rounded at each step): the fallback where WebAssembly SIMD is missing, and the
 * reference the tests hold the SIMD passes to, bit for bit. The mean is reduceRows.ts's sumRowsRange,
 * elementwise.wat's sum_rows in JavaScript.
 */
export const batchNormPassesJs = {
  /** out[j] = f32(scale · Σ_i f32(x[i, j] − m[j])²). */
  sumSqDevRows(x: Float32Array, m: Float32Array, out: Float32Array, inner: number, scale: number): void {
    const acc = new Float64Array(inner);
    for (let off = 0; off < x.length; off += inner) {
      for (let j = 0; j < inner; j++) {
        const d = Math.fround(x[off + j] - m[j]);
        acc[j] += d * d;
      }
    }
    for (let j = 0; j < inner; j++) out[j] = acc[j] * scale;
  },
  /** s1[j] = f32(Σ_i dy[i, j]), s2[j] = f32(Σ_i dy[i, j]·f32(x[i, j] − m[j])). */
  sumDyRows(dy: Float32Array, x: Float32Array, m: Float32Array, s1: Float32Array, s2: Float32Array): void {
    const inner = m.length;
    const a = new Float64Array(inner);
    const b = new Float64Array(inner);
    for (let off = 0; off < x.length; off += inner) {
      for (let j = 0; j < inner; j++) {
        const g = dy[off + j];
        a[j] += g;
        b[j] += g * Math.fround(x[off + j] - m[j]);
      }
    }
    for (let j = 0; j < inner; j++) {
      s1[j] = a[j];
      s2[j] = b[j];
    }
  },
  /** out[i, j] = A[j]·p[i, j] + B[j]·(q[i, j] − m[j]) + C[j], each operation rounded to float32. */
  affineRows(
    p: Float32Array,
    q: Float32Array,
    m: Float32Array,
    A: Float32Array,
    B: Float32Array,
    C: Float32Array,
    out: Float32Array,
  ): void {
    const f = Math.fround;
    const inner = m.length;
    for (let off = 0; off < q.length; off += inner) {
      for (let j = 0; j < inner; j++) {
        const k = off + j;
        out[k] = f(f(f(A[j] * p[k]) + f(B[j] * f(q[k] - m[j]))) + C[j]);
      }
    }
  },
};

function batchNormSimd(
  backend: BackendWasm,
): { bn: BatchNormSimd; sumRows: ElementwiseSimd['sum_rows'] } | null {
  if (!batchNormOptions.simd) return null;
  const bn = heapModule(
    backend,
    BATCH_NORM_WASM_PLAIN,
    BATCH_NORM_WASM_SHARED,
  ) as unknown as BatchNormSimd | null;
  const ew = elementwiseSimd(backend);
  return bn && ew ? { bn, sumRows: ew.sum_rows } : null;
}

function channels(x: TensorInfo, gamma: TensorInfo, kernel: string): number {
  const c = x.shape[x.shape.length - 1];
  if (x.dtype !== 'float32' || x.shape.length < 2 || gamma.shape.length !== 1 || gamma.shape[0] !== c) {
    throw new Error(
      `${kernel} expects a float32 x of rank ≥ 2 with channels last and a [C] scale, but got x ${x.dtype} ` +
        `[${x.shape}] and scale [${gamma.shape}].`,
    );
  }
  return c;
}

/** Forward: [y, mean, variance] (see the module comment). */
export function batchNormTrainFast(args: {
  inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  backend: BackendWasm;
  attrs: BatchNormAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, gamma, beta } = inputs;
  const c = channels(x, gamma, BATCH_NORM_TRAIN);
  const rows = tf.util.sizeFromShape(x.shape) / c;
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([c], 'float32');
  const variance = backend.makeOutput([c], 'float32');
  const coef = backend.makeOutput([3 * c], 'float32'); // A = 0, B = γ/√(σ² + ε), C = β
  // Views after every makeOutput: an allocation may grow the heap and detach earlier views.
  const v = (t: TensorInfo) => f32View(backend, t);
  const simd = batchNormSimd(backend);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  if (simd) {
    simd.sumRows(at(x), at(mean), rows, c, 0, c, 1 / rows);
    simd.bn.sum_sq_dev_rows(at(x), at(mean), at(variance), rows, c, 1 / rows);
  } else {
    sumRowsRange(v(x), v(mean), rows, c, 1 / rows, 0, c);
    batchNormPassesJs.sumSqDevRows(v(x), v(mean), v(variance), c, 1 / rows);
  }
  const k = v(coef);
  const [g, b, s] = [v(gamma), v(beta), v(variance)];
  for (let j = 0; j < c; j++) {
    k[j] = 0;
    k[c + j] = g[j] / Math.sqrt(s[j] + attrs.epsilon);
    k[2 * c + j] = b[j];
  }
  const c4 = 4 * c;
  if (simd) {
    const o = at(coef);
    simd.bn.affine_rows(at(x), at(x), at(mean), o, o + c4, o + 2 * c4, at(y), rows, c);
  } else {
    const [kx, km] = [v(x), v(mean)];
    batchNormPassesJs.affineRows(kx, kx, km, k.subarray(0, c), k.subarray(c, 2 * c), k.subarray(2 * c), v(y));
  }
  free(backend, coef);
  return [y, mean, variance];
}

/** Gradient: [dx, dγ, dβ] from dy and the gradients reaching the mean and variance outputs. */
export function batchNormGradFast(args: {
  inputs: {
    dy: TensorInfo;
    x: TensorInfo;
    gamma: TensorInfo;
    mean: TensorInfo;
    variance: TensorInfo;
    dmean: TensorInfo;
    dvar: TensorInfo;
  };
  backend: BackendWasm;
  attrs: BatchNormAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, x, gamma, mean, variance, dmean, dvar } = inputs;
  const c = channels(x, gamma, BATCH_NORM_GRAD);
  const rows = tf.util.sizeFromShape(x.shape) / c;
  const dx = backend.makeOutput(x.shape, 'float32');
  const dgamma = backend.makeOutput([c], 'float32');
  const dbeta = backend.makeOutput([c], 'float32');
  const coef = backend.makeOutput([4 * c], 'float32'); // A, B, C, then S2 = Σ dy·(x − μ)
  const v = (t: TensorInfo) => f32View(backend, t);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const simd = batchNormSimd(backend);
  const c4 = 4 * c;
  if (simd) simd.bn.sum_dy_rows(at(dy), at(x), at(mean), at(dbeta), at(coef) + 3 * c4, rows, c);
  else batchNormPassesJs.sumDyRows(v(dy), v(x), v(mean), v(dbeta), v(coef).subarray(3 * c));
  const k = v(coef);
  const [g, s, s1, dg, dm, dv] = [v(gamma), v(variance), v(dbeta), v(dgamma), v(dmean), v(dvar)];
  for (let j = 0; j < c; j++) {
    const r = 1 / Math.sqrt(s[j] + attrs.epsilon);
    const gr = g[j] * r;
    const s2 = k[3 * c + j];
    dg[j] = s2 * r;
    k[j] = gr;
    k[c + j] = (2 * dv[j] - gr * r * r * s2) / rows;
    k[2 * c + j] = (dm[j] - gr * s1[j]) / rows;
  }
  if (simd) {
    const o = at(coef);
    simd.bn.affine_rows(at(dy), at(x), at(mean), o, o + c4, o + 2 * c4, at(dx), rows, c);
  } else {
    batchNormPassesJs.affineRows(
      v(dy),
      v(x),
      v(mean),
      k.subarray(0, c),
      k.subarray(c, 2 * c),
      k.subarray(2 * c, 3 * c),
      v(dx),
    );
  }
  free(backend, coef);
  return [dx, dgamma, dbeta];
}

let gradientRegistered = false;

/** The gradient of BATCH_NORM_TRAIN for the tape (once per process): one BATCH_NORM_GRAD call. */
export function registerBatchNormGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dmean, dvar] = dys as tf.Tensor[];
      const [x, gamma, mean, variance] = saved;
      const [dx, dgamma, dbeta] = tf
        .engine()
        .runKernel(
          BATCH_NORM_GRAD,
          { dy, x, gamma, mean, variance, dmean, dvar },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
}
