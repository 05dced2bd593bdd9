/**
 * The backend ladder: the one place that chooses, loads and reports the tfjs compute backend.
 * Notebooks, the CLI and the tests call `initBackend()`; nothing else imports a backend package
 * or calls `tf.setBackend`. Order: tfjs-node-gpu (only with a visible GPU), webgpu, tfjs-node,
 * wasm (the embedded default), cpu. `GAN_BACKEND=<name>` forces one and fails loudly.
 * The webgpu rung lives in ./webgpu.ts, the wasm speed-ups in ./wasm/ (set up by the wasm rung).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- optional backends load lazily: a missing package is a skip, not a crash */
import * as tf from '@tensorflow/tfjs';
import { readEnv } from '../env/variables';
import {
  activate,
  BACKEND_NAMES,
  BackendError,
  cpuDescription,
  diagnoseLoadError,
  errText,
  parseBackendName,
  type BackendName,
  type RungLoader,
} from './rung';
import { loadWebGpu } from './webgpu';
import { prepareWasmBackend, wasmActivated } from './wasm';

export {
  BACKEND_NAMES,
  BackendError,
  diagnoseLoadError,
  parseBackendName,
  type BackendName,
  type RungContext,
  type RungLoader,
  type RungResult,
} from './rung';
export {
  classifyWebGpuAdapter,
  softwareAdapterRefusal,
  softwareWebGpuDevice,
  vulkanLoaderMissing,
  WEBGPU_ALLOW_SOFTWARE_ENV,
  type WebGpuAdapterClass,
  type WebGpuAdapterInfo,
} from './webgpu';

export interface BackendReport {
  /** The tfjs backend name now active (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  backend: string;
  /** Which rung of the ladder provided it. */
  provider: BackendName;
  /** Human-readable device, e.g. `CPU (WebAssembly SIMD, 1 thread): AMD EPYC …, 2 cores`. */
  device: string;
  /** True when the device is a GPU. */
  gpu: boolean;
  /** Why each faster rung was not used, keyed by rung name. */
  skipped: Partial<Record<BackendName, string>>;
  /** Set when GAN_BACKEND / an explicit option forced the choice. */
  forced?: BackendName;
  tfjsVersion: string;
  /** Extra facts about the backend (wasm features, GPU adapter, custom kernels loaded…). */
  details: Record<string, string | number | boolean>;
}

interface NodeBinding {
  isUsingGpuDevice?: () => boolean;
}

/** The real rungs. Each requires its package lazily so a missing optional package is a "skip". */
export const DEFAULT_LOADERS: Record<BackendName, RungLoader> = {
  'tfjs-node-gpu': async () => {
    try {
      require('@tensorflow/tfjs-node-gpu');
    } catch (e) {
      throw new Error(diagnoseLoadError('tfjs-node-gpu', e));
    }
    await activate('tensorflow');
    const binding = (tf.backend() as unknown as { binding?: NodeBinding }).binding;
    const usingGpu = binding?.isUsingGpuDevice?.() ?? false;
    if (!usingGpu) {
      throw new Error(
        'tfjs-node-gpu loaded but sees no GPU (check `nvidia-smi`, CUDA_VISIBLE_DEVICES, and the driver)',
      );
    }
    const visible = readEnv('CUDA_VISIBLE_DEVICES');
    return {
      device: `NVIDIA GPU via libtensorflow (CUDA)${visible !== undefined ? `, CUDA_VISIBLE_DEVICES=${visible}` : ''}`,
      gpu: true,
      details: { allowGrowth: readEnv('TF_FORCE_GPU_ALLOW_GROWTH') === 'true' },
    };
  },
  webgpu: async (context) => loadWebGpu(context),
  'tfjs-node': async () => {
    try {
      require('@tensorflow/tfjs-node');
    } catch (e) {
      throw new Error(diagnoseLoadError('tfjs-node', e));
    }
    await activate('tensorflow');
    return { device: `CPU via libtensorflow: ${cpuDescription()}`, gpu: false };
  },
  wasm: async () => {
    let wasm: { setThreadsCount?: (n: number) => void; getThreadsCount?: () => number };
    try {
      wasm = require('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      throw new Error(diagnoseLoadError('tfjs-backend-wasm', e));
    }
    prepareWasmBackend();
    await activate('wasm');
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const threads = wasm.getThreadsCount ? wasm.getThreadsCount() : 1;
    return {
      device: `CPU (WebAssembly${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}): ${cpuDescription()}`,
      gpu: false,
      details: { simd, threads },
    };
  },
  cpu: async () => {
    await activate('cpu');
    return { device: `CPU (pure JavaScript): ${cpuDescription()}`, gpu: false };
  },
};

export interface InitBackendOptions {
  /** Force one rung; defaults to `process.env.GAN_BACKEND`. */
  force?: string;
  /** Replace the real loaders (tests simulate failures this way). */
  loaders?: Partial<Record<BackendName, RungLoader>>;
  /** Start below this rung (e.g. skip GPUs for a CPU-only test). */
  skipAbove?: BackendName;
}

let lastReport: BackendReport | undefined;

/** The report of the last successful `initBackend()`, if any. */
export function backendReport(): BackendReport | undefined {
  return lastReport;
}

/**
 * Choose, load and activate a backend; return what was chosen and why faster ones were skipped.
 * Throws a BackendError when a forced backend cannot load (with the reason) or no rung works.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const loaders = { ...DEFAULT_LOADERS, ...options.loaders };
  const forcedRaw = options.force ?? readEnv('GAN_BACKEND');
  const forced = forcedRaw !== undefined && forcedRaw.trim() !== '' ? parseBackendName(forcedRaw) : undefined;
  const skipped: Partial<Record<BackendName, string>> = {};
  let rungs: BackendName[] = forced ? [forced] : [...BACKEND_NAMES];
  if (!forced && options.skipAbove) rungs = rungs.slice(BACKEND_NAMES.indexOf(options.skipAbove));
  for (const name of BACKEND_NAMES) {
    if (!rungs.includes(name) && BACKEND_NAMES.indexOf(name) < BACKEND_NAMES.indexOf(rungs[0])) {
      skipped[name] = forced ? `not tried: GAN_BACKEND=${forced}` : 'not tried: skipped by the caller';
    }
  }
  for (const name of rungs) {
    try {
      const result = await loaders[name]({ forced: forced === name });
      const details: Record<string, string | number | boolean> = { ...result.details };
      // The wasm training kernels go in whenever wasm ends up active (registered once, idempotent).
      if (tf.getBackend() === 'wasm') Object.assign(details, wasmActivated());
      lastReport = {
        backend: tf.getBackend(),
        provider: name,
        device: result.device,
        gpu: result.gpu,
        skipped,
        forced,
        tfjsVersion: tf.version.tfjs,
        details,
      };
      return lastReport;
    } catch (e) {
      if (forced) {
        throw new BackendError(
          `GAN_BACKEND=${forced} was requested but it cannot be loaded: ${errText(e)}. ` +
            `Unset GAN_BACKEND to let the ladder pick a working backend (\`npx gan doctor\` shows what is available).`,
        );
      }
      skipped[name] = errText(e);
    }
  }
  throw new BackendError(`No tfjs backend could be loaded: ${JSON.stringify(skipped)}`);
}

/** One line for logs and notebook headers: `wasm — CPU (WebAssembly SIMD, 1 thread): …`. */
export function describeBackend(report: BackendReport): string {
  return `${report.backend} (${report.provider}) — ${report.device}`;
}
