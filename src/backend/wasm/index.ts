/**
 * Fast wasm training, set up by the backend ladder (src/backend/index.ts) with two explicit calls:
 * 1. `prepareWasmBackend()`, before the wasm rung activates wasm: the 'wasm' backend factory is wrapped so
 *    it starts the multi-threaded SIMD build in Node (src/backend/wasm/threads.ts; GAN_WASM_THREADS=1 keeps
 *    the stock single-thread build), and
 * 2. `wasmActivated()`, once wasm is the active backend: the training kernels are registered
 *    (src/backend/wasm/kernels.ts) and returned for the backend report's details. Other backends are untouched.
 * GAN_WASM_KERNELS=0 skips the kernels (before/after comparisons). Importing this module does nothing.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the wasm package and its emscripten output load lazily, by path */
import * as tf from '@tensorflow/tfjs';
import { readEnv } from '../../env/variables';
import { registerTrainingKernels } from './kernels';
import { createThreadedBackend, wantedThreads } from './threads';

/** What happened when the wasm backend started (for the report). */
const startInfo: { threaded: boolean; threads: number; fallback?: string } = { threaded: false, threads: 1 };

/**
 * Register the training kernels now that wasm is active; returns the backend report's details
 * (`trainingKernels`, `wasmThreads`, and `wasmThreadsFallback` when the threaded build did not start).
 */
export function wasmActivated(): Record<string, string | number | boolean> {
  if (readEnv('GAN_WASM_KERNELS') === '0') {
    // For before/after measurements only: the stock kernels (no Conv2DBackpropFilter).
    return { trainingKernels: 'off (GAN_WASM_KERNELS=0)', wasmThreads: startInfo.threads };
  }
  const kernels = registerTrainingKernels();
  const details: Record<string, string | number | boolean> = {
    trainingKernels: kernels.join(','),
    wasmThreads: startInfo.threads,
  };
  if (startInfo.fallback) details.wasmThreadsFallback = startInfo.fallback;
  return details;
}

let prepared = false;

/**
 * Replace the package's 'wasm' factory with one that tries threads first (once per process). A wasm
 * backend that tfjs already started is kept (its tensors live in it), single-threaded.
 */
export function prepareWasmBackend(): void {
  if (prepared) return;
  prepared = true;
  try {
    require('@tensorflow/tfjs-backend-wasm');
  } catch {
    return; // Not installed: the ladder reports it; nothing to speed up.
  }
  const original = tf.findBackendFactory('wasm');
  if (!original) return;
  if ((tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm) {
    startInfo.fallback = 'wasm was initialized before the backend ladder activated it';
    return;
  }
  const priority = 2; // tfjs-backend-wasm's own WASM_PRIORITY
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const threads = wantedThreads();
      if (threads > 1) {
        try {
          const backend = await createThreadedBackend(threads);
          startInfo.threaded = true;
          startInfo.threads = (
            require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number }
          ).getThreadsCount();
          return backend;
        } catch (e) {
          startInfo.fallback = e instanceof Error ? e.message : String(e);
        }
      }
      startInfo.threaded = false;
      startInfo.threads = 1;
      return original();
    },
    priority,
  );
}
