/**
 * Small helpers shared by the fast wasm training kernels: typed views on the wasm heap, calling the
 * backend's own kernels (XNNPACK matmul/conv, transpose) from inside ours, and freeing temporaries.
 * Pattern from tfjs-backend-wasm's kernels (`backend.dataIdMap`, `backend.makeOutput`), not copied.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;

/** The wasm module fields we touch: the (possibly shared, growable) memory and its byte view. */
interface WasmModuleView {
  HEAPU8: Uint8Array;
  wasmMemory?: WebAssembly.Memory;
  /** The instance's exports (emscripten), where the single-thread build's memory is. */
  asm?: { memory?: WebAssembly.Memory };
}

/** The backend's WebAssembly.Memory: shared in the threaded build, the module's export otherwise. */
export function wasmMemoryOf(backend: BackendWasm): WebAssembly.Memory | undefined {
  const mod = backend.wasm as unknown as WasmModuleView;
  return mod.wasmMemory ?? mod.asm?.memory;
}

/**
 * A Float32Array view of a float32 tensor's bytes on the wasm heap. Reads the live memory buffer
 * each time: with threads the heap is a growable SharedArrayBuffer and cached views go stale.
 */
export function f32View(backend: BackendWasm, t: TensorInfo): Float32Array {
  if (t.dtype !== 'float32') {
    throw new Error(`Expected a float32 tensor on the wasm heap, but got ${t.dtype} (shape [${t.shape}]).`);
  }
  const mod = backend.wasm as unknown as WasmModuleView;
  const buffer = mod.wasmMemory ? mod.wasmMemory.buffer : mod.HEAPU8.buffer;
  const offset = backend.getMemoryOffset(t.dataId);
  return new Float32Array(buffer, offset, tf.util.sizeFromShape(t.shape));
}

/** A tensor's byte offset on the wasm heap (what our WebAssembly modules take as a pointer). */
export function heapOffset(backend: BackendWasm, t: TensorInfo): number {
  return backend.getMemoryOffset(t.dataId);
}

/** A typed view of a float32, int32 or bool tensor on the wasm heap (same caveats as `f32View`). */
export function heapView(backend: BackendWasm, t: TensorInfo): Float32Array | Int32Array | Uint8Array {
  if (t.dtype === 'float32') return f32View(backend, t);
  const mod = backend.wasm as unknown as WasmModuleView;
  const buffer = mod.wasmMemory ? mod.wasmMemory.buffer : mod.HEAPU8.buffer;
  const offset = backend.getMemoryOffset(t.dataId);
  const size = tf.util.sizeFromShape(t.shape);
  if (t.dtype === 'int32') return new Int32Array(buffer, offset, size);
  if (t.dtype === 'bool') return new Uint8Array(buffer, offset, size);
  throw new Error(`Expected a float32, int32 or bool tensor on the wasm heap, but got ${t.dtype}.`);
}

const heapModules = new WeakMap<WebAssembly.Memory, Map<string, WebAssembly.Exports | null>>();

/**
 * A WebAssembly module of ours (base64, built by scripts/build-wasm.js in a plain-memory and a
 * shared-memory variant) instantiated on `backend`'s own memory, so its functions take heap byte
 * offsets; cached per memory. Null where that fails (a runtime without WebAssembly SIMD, or a backend
 * whose memory we cannot reach): callers then run their JavaScript fallback.
 */
export function heapModule(backend: BackendWasm, plain: string, shared: string): WebAssembly.Exports | null {
  const memory = wasmMemoryOf(backend);
  if (!memory) return null;
  let byModule = heapModules.get(memory);
  if (!byModule) heapModules.set(memory, (byModule = new Map()));
  let exports = byModule.get(plain);
  if (exports === undefined) {
    try {
      const isShared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = Buffer.from(isShared ? shared : plain, 'base64');
      exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
    } catch {
      exports = null;
    }
    byModule.set(plain, exports);
  }
  return exports;
}

const heapInfos = new WeakMap<object, { memory?: WebAssembly.Memory; threads: number }>();

/** The backend's wasm memory and XNNPACK thread count (for src/backend/wasm/pool.ts). */
export function heapInfo(backend: BackendWasm): { memory?: WebAssembly.Memory; threads: number } {
  let info = heapInfos.get(backend);
  if (!info) {
    const mod = backend.wasm as unknown as WasmModuleView & { tfjs: { getThreadsCount(): number } };
    info = { memory: mod.wasmMemory, threads: mod.tfjs.getThreadsCount() };
    heapInfos.set(backend, info);
  }
  return info;
}

/** A view of the same data with another shape (no copy, no refcount: never dispose it). */
export function alias(t: TensorInfo, shape: number[]): TensorInfo {
  if (tf.util.sizeFromShape(shape) !== tf.util.sizeFromShape(t.shape)) {
    throw new Error(`Cannot view shape [${t.shape}] as [${shape}]: sizes differ.`);
  }
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

type KernelFn = (args: { inputs: object; backend: BackendWasm; attrs?: object }) => TensorInfo | TensorInfo[];

/**
 * The kernel functions we call from our kernels, captured from the wasm backend's registry before
 * we override any of them (so "BatchMatMul" here is always the original XNNPACK one).
 */
const originals = new Map<string, KernelFn>();

export function captureOriginal(name: string): void {
  if (originals.has(name)) return;
  const cfg = tf.getKernel(name, 'wasm');
  if (!cfg) throw new Error(`The wasm backend has no "${name}" kernel; the training kernels need it.`);
  originals.set(name, cfg.kernelFunc as unknown as KernelFn);
}

/** Run one of the wasm backend's original kernels; returns a new TensorInfo the caller must free. */
export function runKernel(
  name: string,
  backend: BackendWasm,
  inputs: object,
  attrs: object = {},
): TensorInfo {
  let fn = originals.get(name);
  if (!fn) {
    captureOriginal(name);
    fn = originals.get(name) as KernelFn;
  }
  const out = fn({ inputs, backend, attrs });
  return Array.isArray(out) ? out[0] : out;
}

/**
 * The wasm backend's own (XNNPACK) Conv2D, stride 1, NHWC, with explicit padding [[top, bottom], [left,
 * right]] and the given dilations; returns a new TensorInfo the caller must free.
 */
export function conv2dPadded(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  pad: [[number, number], [number, number]],
  dilations: [number, number] = [1, 1],
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): TensorInfo {
  return runKernel(
    'Conv2D',
    backend,
    { x, filter },
    { strides: [1, 1], pad: [[0, 0], ...pad, [0, 0]], dataFormat: 'NHWC', dilations, dimRoundingMode },
  );
}

/** Free temporaries made by `runKernel` / `makeOutput`. */
export function free(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** Plain (untransposed) batched matmul on XNNPACK: a [B, M, K] × b [B, K, N] → [B, M, N]. */
export function matmul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  return runKernel('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
}

/** Per-phase wall time of the training kernels, collected when GAN_WASM_TRACE=1 (for profiling). */
export const trace = {
  enabled: process.env.GAN_WASM_TRACE === '1',
  ms: new Map<string, number>(),
  /** Run `f`, adding its wall time to `name` when tracing. */
  time<T>(name: string, f: () => T): T {
    if (!this.enabled) return f();
    const t0 = performance.now();
    const out = f();
    this.ms.set(name, (this.ms.get(name) ?? 0) + performance.now() - t0);
    return out;
  },
};
