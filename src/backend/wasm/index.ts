/**
 * Fast wasm training, installed on import (src/backend.ts imports this file). Two parts:
 * 1. the 'wasm' backend factory is wrapped so it starts the multi-threaded SIMD build in Node
 *    (src/backend/wasm/threads.ts; GAN_WASM_THREADS=1 keeps the stock single-thread build), and
 * 2. when the ladder activates wasm, the training kernels are registered (src/backend/wasm/kernels.ts)
 *    and reported in the backend report's details. Other backends are untouched.
 * GAN_WASM_THREADS=1 keeps one thread; GAN_WASM_KERNELS=0 skips the kernels (before/after comparisons).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the wasm package and its emscripten output load lazily, by path */
import * as tf from '@tensorflow/tfjs';
import { onBackendActivated } from '../../backend';
import { registerTrainingKernels } from './kernels';
import { createThreadedBackend, wantedThreads } from './threads';

/** What happened when the wasm backend started (for the report). */
const startInfo: { threaded: boolean; threads: number; fallback?: string } = { threaded: false, threads: 1 };

let hooked = false;

function hookOnce(): void {
  if (hooked) return;
  hooked = true;
  // Registered lazily: this module is imported by src/backend.ts, whose hook list exists only
  // after that file has finished loading, which is before any backend factory can run.
  onBackendActivated((backend) => {
    if (backend !== 'wasm') return;
    if (process.env.GAN_WASM_KERNELS === '0') {
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
  });
}

/** Replace the package's 'wasm' factory with one that tries threads first. */
function wrapWasmFactory(): void {
  try {
    require('@tensorflow/tfjs-backend-wasm');
  } catch {
    return; // Not installed: the ladder reports it; nothing to speed up.
  }
  const original = tf.findBackendFactory('wasm');
  if (!original) return;
  if ((tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm) {
    // Someone started wasm before the ladder was loaded: keep that instance (its tensors live in it),
    // single-threaded; the kernels still install when the ladder activates it.
    startInfo.fallback = 'wasm was initialized before src/backend.ts was loaded';
    queueMicrotask(hookOnce);
    return;
  }
  const priority = 2; // tfjs-backend-wasm's own WASM_PRIORITY
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      hookOnce();
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

wrapWasmFactory();
