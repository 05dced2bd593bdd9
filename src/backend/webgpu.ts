/**
 * The `webgpu` rung of the backend ladder: Dawn's WebGPU for Node (the `webgpu` package, over Vulkan) with
 * tfjs-backend-webgpu on it. Needs only a Vulkan driver, no CUDA toolkit. A software adapter (SwiftShader,
 * llvmpipe) is refused unless the rung is forced and GAN_WEBGPU_ALLOW_SOFTWARE=1 (CI tests the WebGPU code
 * on SwiftShader that way).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- Dawn and the webgpu backend load lazily: a missing package is a skip, not a crash */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { readEnv } from '../env/variables';
import { activate, diagnoseLoadError, type RungContext, type RungResult } from './rung';

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
    for (const dir of (readEnv('LD_LIBRARY_PATH') ?? '').split(':')) {
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

/** Set to `1` to let a forced `webgpu` rung use a software adapter (SwiftShader, llvmpipe): for tests only. */
export const WEBGPU_ALLOW_SOFTWARE_ENV = 'GAN_WEBGPU_ALLOW_SOFTWARE' as const;

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
  const addon = readEnv('GAN_DAWN_NODE') || dawnAddonPath();
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
export async function loadWebGpu(context: RungContext): Promise<RungResult> {
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
  const allowSoftware = context.forced && readEnv('GAN_WEBGPU_ALLOW_SOFTWARE') === '1';
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
