/**
 * The backend ladder: the one place that chooses, loads and reports the tfjs compute backend.
 * Notebooks, the CLI and the tests call `initBackend()`; nothing else imports a backend package
 * or calls `tf.setBackend`. Order: tfjs-node-gpu (only with a visible GPU), webgpu, tfjs-node,
 * wasm (the embedded default), cpu. `GAN_BACKEND=<name>` forces one and fails loudly.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- optional backends load lazily: a missing package is a skip, not a crash */
import { UserError } from './errors';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import './backend/wasm';

/** Names accepted by `GAN_BACKEND` and `--backend`, fastest first (the ladder's order). */
export const BACKEND_NAMES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Aliases people type: the tfjs backend names themselves. */
const ALIASES: Record<string, BackendName> = {
  tensorflow: 'tfjs-node-gpu',
  'tensorflow-gpu': 'tfjs-node-gpu',
  gpu: 'tfjs-node-gpu',
  node: 'tfjs-node',
  'tensorflow-cpu': 'tfjs-node',
};

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

/** What a rung's loader returns when it succeeds. */
export interface RungResult {
  device: string;
  gpu: boolean;
  details?: Record<string, string | number | boolean>;
}

/**
 * A rung of the ladder: tries to load and activate its backend; throws an Error whose message
 * explains why not (the message becomes the `skipped` entry). Injectable for tests.
 */
export type RungLoader = (context: RungContext) => Promise<RungResult>;

/** What a rung is told about how it was reached. */
export interface RungContext {
  /** True when GAN_BACKEND / `force` named this rung; false when the ladder is choosing. */
  forced: boolean;
}

export class BackendError extends UserError {
  override name = 'BackendError';
}

/** Parse a backend name from GAN_BACKEND / --backend; throws listing the valid names. */
export function parseBackendName(raw: string): BackendName {
  const name = raw.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  if (name in ALIASES) return ALIASES[name];
  throw new BackendError(
    `Unknown backend "${raw}". Expected one of: ${BACKEND_NAMES.join(', ')} ` +
      `(set GAN_BACKEND or --backend to one of these, or leave it unset to let the ladder choose).`,
  );
}

/**
 * Turn a native-library load failure into a diagnosis that names the cause and the fix.
 * tfjs-node-gpu 4.x binds libtensorflow 2.9.1, built for CUDA 11.2 and cuDNN 8.1.
 */
export function diagnoseLoadError(pkg: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const first = msg.split('\n')[0];
  if (
    /Cannot find module '(@tensorflow\/tfjs-node(-gpu)?|webgpu|@tensorflow\/tfjs-backend-webgpu)'/.test(msg)
  ) {
    return 'not installed';
  }
  const cuda = /(libcudart\.so[.\d]*|libcublas\w*\.so[.\d]*|libcufft\.so[.\d]*|libcusolver\.so[.\d]*)/.exec(
    msg,
  );
  if (cuda) {
    return (
      `${cuda[1]} not found — ${pkg} 4.x needs CUDA 11.2 and cuDNN 8.1 (CUDA 12 alone is not enough). ` +
      `Install the CUDA 11.x runtime libraries (or use GAN_BACKEND=webgpu, which needs only a Vulkan driver).`
    );
  }
  const cudnn = /(libcudnn\w*\.so[.\d]*)/.exec(msg);
  if (cudnn) {
    return `${cudnn[1]} not found — ${pkg} 4.x needs cuDNN 8.1 for CUDA 11.2. Install cuDNN 8 and add it to LD_LIBRARY_PATH.`;
  }
  if (/driver version is insufficient|CUDA driver version/i.test(msg)) {
    return `NVIDIA driver too old for CUDA 11.2 (needs ≥ 460): update the driver. (${first})`;
  }
  if (/libtensorflow|tfjs_binding\.node|napi-v\d/.test(msg)) {
    return (
      `${pkg}: installed but its native library is missing (its install step downloads libtensorflow, ` +
      `which failed or was skipped). Re-run \`npm rebuild ${pkg === 'tfjs-node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'}\` with internet access.`
    );
  }
  return first;
}

function dawnAddonPath(): string {
  const pkgDir = path.dirname(require.resolve('webgpu/package.json'));
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  return path.join(pkgDir, 'dist', `${process.platform}-${arch}`, 'dawn.node');
}

/**
 * Dawn needs the Vulkan loader (libvulkan.so.1) on Linux; without it, it prints a warning and finds
 * no adapter. Checking first keeps CPU machines quiet and gives the fix. Returns why not, or undefined.
 */
export function vulkanLoaderMissing(
  platform = process.platform,
  ldconfig = ldconfigLibraries,
): string | undefined {
  if (platform !== 'linux') return undefined;
  const libs = ldconfig();
  if (libs === undefined || /libvulkan\.so\.1\b/.test(libs)) return undefined;
  return "libvulkan.so.1 not found: install the Vulkan loader and the GPU's Vulkan driver (Debian/Ubuntu: apt install libvulkan1; NVIDIA's driver ships its Vulkan ICD)";
}

/** `ldconfig -p` plus the files in LD_LIBRARY_PATH, or undefined when ldconfig cannot run. */
function ldconfigLibraries(): string | undefined {
  for (const cmd of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    const r = spawnSync(cmd, ['-p'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) continue;
    const extra: string[] = [];
    for (const dir of (process.env.LD_LIBRARY_PATH ?? '').split(':')) {
      try {
        if (dir) extra.push(...fs.readdirSync(dir));
      } catch {
        // an unreadable LD_LIBRARY_PATH entry is ignored
      }
    }
    return `${r.stdout}\n${extra.join('\n')}`;
  }
  return undefined;
}

function cpuDescription(): string {
  const cpus = os.cpus();
  const model = cpus.length > 0 ? cpus[0].model.trim() : 'unknown CPU';
  return `${model}, ${cpus.length} cores`;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/** Hooks that run after a backend is activated (e.g. the fast wasm training kernels). */
const activationHooks: Array<(backend: string) => Record<string, string | number | boolean> | void> = [];

/**
 * Register code to run whenever the ladder activates a backend. The fast-CPU kernels use this
 * to install themselves only on wasm; other backends stay untouched.
 */
export function onBackendActivated(
  hook: (backend: string) => Record<string, string | number | boolean> | void,
): void {
  activationHooks.push(hook);
}

/** Set to `1` to let a forced `webgpu` rung use a software adapter (SwiftShader, llvmpipe): for tests only. */
export const WEBGPU_ALLOW_SOFTWARE_ENV = 'GAN_WEBGPU_ALLOW_SOFTWARE';

/** The adapter facts the rung reads (a subset of WebGPU's GPUAdapterInfo). */
export interface WebGpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** What the rung makes of an adapter: its name and, for a software one, which renderer it is. */
export interface WebGpuAdapterClass {
  /** e.g. `nvidia hopper (NVIDIA H200)` or `google swiftshader (SwiftShader driver 5.0.0)`. */
  name: string;
  /** `SwiftShader`, `llvmpipe`, `lavapipe` or `software` for a CPU renderer; undefined for a GPU. */
  software?: string;
}

/** Name an adapter and tell a CPU renderer (SwiftShader, llvmpipe, lavapipe, a fallback adapter) from a GPU. */
export function classifyWebGpuAdapter(
  info: WebGpuAdapterInfo,
  isFallbackAdapter = false,
): WebGpuAdapterClass {
  const head = [info.vendor, info.architecture].filter(Boolean).join(' ');
  const tail = info.description || info.device;
  const name = (head && tail ? `${head} (${tail})` : head || tail) || 'unknown adapter';
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  const known = /swiftshader/i.test(text)
    ? 'SwiftShader'
    : /lavapipe/i.test(text)
      ? 'lavapipe'
      : /llvmpipe/i.test(text)
        ? 'llvmpipe'
        : undefined;
  const software = known ?? (isFallbackAdapter || info.isFallbackAdapter ? 'software' : undefined);
  return { name, software };
}

/** The report's device line for a software adapter. */
export function softwareWebGpuDevice(c: WebGpuAdapterClass): string {
  return `software WebGPU (${c.software}), for testing — not a GPU: ${c.name}`;
}

/** Why the ladder refused a software adapter, with both ways forward. */
export function softwareAdapterRefusal(c: WebGpuAdapterClass): string {
  return (
    `only a software WebGPU adapter was found (${c.software}: ${c.name}), not a GPU — ` +
    `no GPU Vulkan driver is visible (check \`vulkaninfo --summary\`, VK_ICD_FILENAMES); ` +
    `GAN_BACKEND=webgpu ${WEBGPU_ALLOW_SOFTWARE_ENV}=1 uses it anyway, for testing`
  );
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: WebGpuAdapterInfo;
  limits?: Record<string, number>;
  requestDevice(descriptor?: object): Promise<unknown>;
}

interface GpuLike {
  requestAdapter(options?: object): Promise<GpuAdapterLike | null>;
}

/** One Dawn instance per process: loading dawn.node twice, or creating a second instance, gains nothing. */
let dawnGpu: GpuLike | undefined;

function loadDawn(): GpuLike {
  if (dawnGpu) return dawnGpu;
  // The `webgpu` package's index is ESM-only; its Dawn addon is a plain CommonJS-loadable .node file.
  // GAN_DAWN_NODE points at a dawn.node directly (the bundled GPU check carries one without node_modules).
  const addon = process.env.GAN_DAWN_NODE || dawnAddonPath();
  const vulkan = vulkanLoaderMissing();
  if (vulkan) throw new Error(vulkan);
  const dawn = require(addon) as { create: (opts: string[]) => GpuLike; globals?: object };
  // GPUBufferUsage, GPUShaderStage, … : tfjs-backend-webgpu uses them as globals, as in a browser.
  if (dawn.globals) Object.assign(globalThis, dawn.globals);
  dawnGpu = dawn.create([]);
  return dawnGpu;
}

/** Make `navigator.gpu` the Dawn instance (Node ≥ 21 has a read-only `navigator` without `gpu`). */
function installNavigatorGpu(gpu: GpuLike): void {
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (!g.navigator) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  if (g.navigator!.gpu !== gpu) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}

/**
 * Register tfjs's `webgpu` backend. The package registers itself at load time only if `navigator.gpu`
 * exists then, so it is required here, after `installNavigatorGpu`; should it have been loaded earlier
 * (without a GPU), its backend class is registered by hand.
 */
function registerWebGpuBackend(adapter: GpuAdapterLike): void {
  if (tf.findBackendFactory('webgpu')) return;
  const pkg = require('@tensorflow/tfjs-backend-webgpu') as {
    WebGPUBackend: new (device: unknown, info?: unknown) => tf.KernelBackend;
  };
  if (tf.findBackendFactory('webgpu')) return;
  tf.registerBackend('webgpu', async () => {
    const limits = adapter.limits ?? {};
    const wanted = [
      'maxComputeWorkgroupStorageSize',
      'maxComputeWorkgroupsPerDimension',
      'maxStorageBufferBindingSize',
      'maxBufferSize',
      'maxComputeWorkgroupSizeX',
      'maxComputeInvocationsPerWorkgroup',
    ];
    const requiredLimits = Object.fromEntries(wanted.filter((k) => k in limits).map((k) => [k, limits[k]]));
    const device = await adapter.requestDevice({ requiredLimits });
    return new pkg.WebGPUBackend(device, adapter.info);
  });
}

/**
 * The `webgpu` rung: Dawn (the `webgpu` package) over Vulkan, then tfjs-backend-webgpu on it. A software
 * adapter is refused when the ladder chooses; when the rung is forced and GAN_WEBGPU_ALLOW_SOFTWARE=1 it is
 * used and reported as "software WebGPU (…), for testing — not a GPU" (CI runs the WebGPU code on SwiftShader).
 */
async function loadWebGpu(context: RungContext): Promise<RungResult> {
  let gpu: GpuLike;
  try {
    // (No require.resolve of tfjs-backend-webgpu here: the GPU-check bundle inlines it, without node_modules.)
    gpu = loadDawn();
  } catch (e) {
    throw new Error(diagnoseLoadError('webgpu', e));
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error('no WebGPU adapter found (needs a Vulkan driver for the GPU: `vulkaninfo --summary`)');
  }
  const info = adapter.info ?? {};
  const c = classifyWebGpuAdapter(info, adapter.isFallbackAdapter);
  const allowSoftware = context.forced && process.env[WEBGPU_ALLOW_SOFTWARE_ENV] === '1';
  if (c.software && !allowSoftware) throw new Error(softwareAdapterRefusal(c));
  installNavigatorGpu(gpu);
  try {
    registerWebGpuBackend(adapter);
  } catch (e) {
    throw new Error(diagnoseLoadError('webgpu', e));
  }
  await activate('webgpu');
  const details: Record<string, string | number | boolean> = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    adapter: info.description || info.device || '',
    software: Boolean(c.software),
  };
  if (c.software) return { device: softwareWebGpuDevice(c), gpu: false, details };
  return { device: `GPU via WebGPU (Dawn, Vulkan): ${c.name}`, gpu: true, details };
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
    const visible = process.env.CUDA_VISIBLE_DEVICES;
    return {
      device: `NVIDIA GPU via libtensorflow (CUDA)${visible !== undefined ? `, CUDA_VISIBLE_DEVICES=${visible}` : ''}`,
      gpu: true,
      details: { allowGrowth: process.env.TF_FORCE_GPU_ALLOW_GROWTH === 'true' },
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
  const forcedRaw = options.force ?? process.env.GAN_BACKEND;
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
      for (const hook of activationHooks) Object.assign(details, hook(tf.getBackend()) ?? {});
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
