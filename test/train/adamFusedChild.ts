/**
 * Run by adamFused.test.ts in a child process with GAN_WASM_THREADS=1: the stock single-thread wasm
 * build, whose heap is a plain (not shared) memory, takes the other SIMD module; bit-identical too.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../src/backend';
import { adamSimdFor } from '../../src/backend/wasm/adam';
import { wasmMemoryOf } from '../../src/backend/wasm/heap';
import { assertBitEqual, runAdam } from './adamFixtures';

(async () => {
  await initBackend({ force: 'wasm' });
  const backend = tf.backend() as unknown as BackendWasm;
  const memory = wasmMemoryOf(backend);
  if (!memory || memory.buffer instanceof SharedArrayBuffer) throw new Error('expected a plain wasm memory');
  if (!adamSimdFor(backend)) throw new Error('the SIMD module did not instantiate on a plain memory');
  const shapes = [[1], [7], [33, 5], [1000]];
  assertBitEqual(runAdam(true, shapes, 8, false), runAdam(false, shapes, 8, false), 'single-thread build');
  process.stdout.write('bit-identical\n');
})().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
