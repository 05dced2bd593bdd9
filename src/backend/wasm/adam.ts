/**
 * A fused Adam update for the wasm backend: one pass over each weight tensor on the wasm heap instead
 * of the dozen element-wise kernels (and their temporary buffers) of src/train/adam.ts's tfjs op
 * chain. The pass is WebAssembly SIMD (adam.wat, compiled into adamSimd.ts) instantiated on the
 * backend's own memory; a JavaScript loop is the fallback. Both do the chain's float32 operations in
 * the chain's order and nothing else (no fused multiply-add; in JavaScript each step is rounded with
 * Math.fround — a product, sum, quotient or square root of float32 values computed in float64 and
 * rounded once is the correctly rounded float32 result), so the weights are bit for bit those of the
 * op chain (test/train/adamFused.test.ts). The scalars are float32 too: tfjs turns
 * `tf.mul(m, 0.999)` into a float32 scalar tensor.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { trainingKernelsInstalled } from './kernels';
import { ADAM_WASM_PLAIN, ADAM_WASM_SHARED } from './adamSimd';
import { f32View, heapModule, trace, type TensorInfo } from './heap';

/** The chain's scalar operands, as the float32 values its scalar tensors hold. */
export interface AdamScalars {
  beta1: number;
  /** 1 − β1, computed in float64 then rounded to float32 (as `tf.mul(g, 1 - beta1)` does). */
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** lr·√(1 − β2^t)/(1 − β1^t). */
  lrT: number;
  /** ε·√(1 − β2^t). */
  epsHat: number;
}

/** Round the host's float64 scalars to the float32 values tfjs's scalar tensors would hold. */
export function adamScalars(beta1: number, beta2: number, lrT: number, epsHat: number): AdamScalars {
  const f = Math.fround;
  return {
    beta1: f(beta1),
    oneMinusBeta1: f(1 - beta1),
    beta2: f(beta2),
    oneMinusBeta2: f(1 - beta2),
    lrT: f(lrT),
    epsHat: f(epsHat),
  };
}

/**
 * θ, m, v ← Adam(θ, m, v, g) over [start, end), reading from the `*In` arrays and writing to the
 * `*Out` arrays (the same arrays for an in-place update). The op chain, element by element:
 * m' = β1·m + (1−β1)·g; v' = β2·v + (1−β2)·(g·g); θ' = θ − (m'·lrT) / (√v' + ε̂).
 */
export function adamRange(
  pIn: Float32Array,
  mIn: Float32Array,
  vIn: Float32Array,
  g: Float32Array,
  pOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  s: AdamScalars,
  start: number,
  end: number,
): void {
  const f = Math.fround;
  const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, lrT, epsHat } = s;
  for (let i = start; i < end; i++) {
    const gi = g[i];
    const m = f(f(mIn[i] * beta1) + f(gi * oneMinusBeta1));
    const v = f(f(vIn[i] * beta2) + f(f(gi * gi) * oneMinusBeta2));
    mOut[i] = m;
    vOut[i] = v;
    pOut[i] = f(pIn[i] - f(f(m * lrT) / f(f(Math.sqrt(v)) + epsHat)));
  }
}

/** The SIMD kernel's signature: byte offsets θ, m, v, g, θ', m', v', the count, then the scalars. */
type AdamSimd = (...args: number[]) => void;

/**
 * The SIMD build of the update (adam.wat) instantiated on `backend`'s memory, or null where that
 * fails (a runtime without WebAssembly SIMD); then the JavaScript loop runs instead.
 */
export function adamSimdFor(backend: BackendWasm): AdamSimd | null {
  const exports = heapModule(backend, ADAM_WASM_PLAIN, ADAM_WASM_SHARED);
  return exports ? (exports.adam as AdamSimd) : null;
}

/** `simd: false` runs the JavaScript loop even where the SIMD module loads (tests compare both). */
export const fusedAdamOptions = { simd: true };

/** The active backend when it is wasm with our training kernels installed, else null. */
export function fusedAdamBackend(): BackendWasm | null {
  if (tf.getBackend() !== 'wasm' || !trainingKernelsInstalled()) return null;
  return tf.backend() as unknown as BackendWasm;
}

/** True when every tensor is float32 with its data on `backend`'s heap. */
export function onHeap(backend: BackendWasm, tensors: TensorInfo[]): boolean {
  return tensors.every((t) => t.dtype === 'float32' && backend.dataIdMap.has(t.dataId));
}

/**
 * One fused Adam update of `param` and its moments `m`, `v` from gradient `g`, all on `backend`'s
 * heap. The weights always go to a fresh buffer that `param` is assigned, as with the op chain:
 * tfjs-backend-wasm caches XNNPACK operators with their packed weights by buffer, so weights written
 * in place would not be seen by the next matmul or convolution. The moments (read by nothing but
 * Adam) are updated in place when only their variable holds the buffer; one shared with another
 * tensor (the wasm Identity kernel shares buffers, and tfjs assumes buffers never change) is
 * replaced too.
 */
export function adamUpdateWasm(
  backend: BackendWasm,
  param: tf.Variable,
  m: tf.Variable,
  v: tf.Variable,
  g: tf.Tensor,
  s: AdamScalars,
): void {
  trace.time('adam.fused', () => {
    const size = param.size;
    if (m.size !== size || v.size !== size || g.size !== size) {
      throw new Error(`Adam: expected gradient and moments of ${size} elements like [${param.shape}].`);
    }
    const vars = [param, m, v];
    const fresh = vars.map((x) =>
      x === param || backend.refCount(x.dataId) > 1 ? backend.makeOutput(x.shape, 'float32') : null,
    );
    const simd = fusedAdamOptions.simd ? adamSimdFor(backend) : null;
    if (simd) {
      const ins = vars.map((x) => backend.getMemoryOffset(x.dataId));
      const outs = fresh.map((o, i) => (o ? backend.getMemoryOffset(o.dataId) : ins[i]));
      const at = backend.getMemoryOffset(g.dataId);
      simd(...ins, at, ...outs, size, s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.lrT, s.epsHat);
    } else {
      // Views after every allocation: a growing heap detaches older views.
      const ins = vars.map((x) => f32View(backend, x));
      const outs = fresh.map((o, i) => (o ? f32View(backend, o) : ins[i]));
      adamRange(ins[0], ins[1], ins[2], f32View(backend, g), outs[0], outs[1], outs[2], s, 0, size);
    }
    fresh.forEach((o, i) => {
      if (!o) return;
      const t = tf.engine().makeTensorFromTensorInfo(o);
      vars[i].assign(t);
      t.dispose();
    });
  });
}
