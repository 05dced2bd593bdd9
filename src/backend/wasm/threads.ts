/**
 * Multi-threaded wasm in Node. tfjs-backend-wasm ships a threaded SIMD build (XNNPACK over a
 * pthreadpool of emscripten workers) but disables it in Node (tfjs issue #3830): its loader hands
 * the worker a blob: URL, which Node's worker_threads cannot load. This module starts that same build
 * with the worker script written to a file. The binary's pool is capped at logical cores / 2
 * (it assumes hyper-threading), so the core count is reported doubled while the module starts.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the wasm package and its emscripten output load lazily, by path */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { readEnv } from '../../env/variables';
import { writeFileAtomic } from '../../util/fsAtomic';

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { unusedWorkers: NodeWorker[]; runningWorkers: NodeWorker[] };
}

interface NodeWorker {
  unref?: () => void;
}

type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/** Where the package keeps its emscripten output. */
function wasmOutDir(): string {
  return path.dirname(
    require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
  );
}

/** Write the pthread worker script once per package version (the package only ships it as a string). */
function workerScript(dir: string): string {
  const { wasmWorkerContents } = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const version = (require('@tensorflow/tfjs-backend-wasm/package.json') as { version: string }).version;
  const file = path.join(
    os.tmpdir(),
    `gan-notebooks-tfjs-wasm-${version}-${process.getuid?.() ?? 0}.worker.js`,
  );
  // The string was written for a Blob, where "\n" inside literals must be escaped (as tfjs does).
  const text = wasmWorkerContents.replace(/\n/g, '\\n');
  // Atomic: another process may be starting its workers from this file right now.
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) writeFileAtomic(file, text);
  return file;
}

/** Threads wanted: GAN_WASM_THREADS, else every core (max 8, the binary's worker pool). */
export function wantedThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = readEnv('GAN_WASM_THREADS', env);
  if (raw !== undefined && raw.trim() !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`Expected GAN_WASM_THREADS to be a positive integer, but got "${raw}".`);
    }
    return Math.min(n, 8);
  }
  return Math.max(1, Math.min(os.cpus().length, 8));
}

/**
 * Start the threaded SIMD wasm module with `threads` XNNPACK threads and wrap it in tfjs's
 * BackendWasm. Throws (the caller falls back to the stock single-thread backend) if anything fails.
 */
export async function createThreadedBackend(threads: number): Promise<BackendWasm> {
  const pkg = require('@tensorflow/tfjs-backend-wasm') as {
    BackendWasm: new (wasm: unknown) => BackendWasm;
    setThreadsCount(n: number): void;
  };
  const dir = wasmOutDir();
  const mainJs = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainJs) as Factory;
  const worker = workerScript(dir);
  // The binary computes its thread cap from os.cpus().length / 2 at start-up; report 2× cores then.
  // (Patch the CommonJS module object itself: the emscripten glue calls require("os").cpus().)
  const osModule = require('os') as { cpus: typeof os.cpus };
  const realCpus = osModule.cpus;
  osModule.cpus = () => {
    const cpus = realCpus();
    return cpus.concat(cpus);
  };
  let mod: EmscriptenModule;
  try {
    mod = await factory({
      locateFile: (p: string, prefix: string) =>
        p.endsWith('.worker.js')
          ? worker
          : p.endsWith('.wasm')
            ? path.join(dir, 'tfjs-backend-wasm-threaded-simd.wasm')
            : prefix + p,
      mainScriptUrlOrBlob: mainJs,
    });
  } finally {
    osModule.cpus = realCpus;
  }
  (mod as unknown as { tfjs: Record<string, unknown> }).tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  pkg.setThreadsCount(threads);
  const backend = new pkg.BackendWasm(mod);
  // The pool's threads block forever waiting for work; unref their workers so they do not keep
  // Node alive after the program is done (the CLI and mocha would otherwise never exit).
  for (const w of [...(mod.PThread?.runningWorkers ?? []), ...(mod.PThread?.unusedWorkers ?? [])])
    w.unref?.();
  return backend;
}
