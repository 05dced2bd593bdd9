// Does XNNPACK's thread pool charge a wake-up to the first call after a stretch of JavaScript? A tiny product with
// new weights (as after an Adam step: add + matmul of [64, 1] · [1, 256]) timed after 0–1 ms of busy JavaScript.
// GAN_WASM_THREADS=1|2 npx tsx scripts/exp/wake.ts
// Measured 2026-12-07 (second pass of each, after warm-up): 2 threads 37 / 42 / 56 / 90 µs after 0 / 0.05 / 0.2 / 1 ms
// of JavaScript; 1 thread 15 / 13 / 15 / 20 µs. Waking the pool costs tens of microseconds, not the millisecond
// the MLP's kernel profile charged to dy [64, 1] · W [256, 1]ᵀ.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
async function main() {
  console.log((await initBackend()).device);
  const a = tf.randomNormal([64, 1]);
  const b = tf.randomNormal([1, 256]);
  const busy = (ms: number) => {
    const t = performance.now();
    while (performance.now() - t < ms);
  };
  const run = (gapMs: number, reps = 300) => {
    let tot = 0;
    for (let i = 0; i < reps; i++) {
      if (gapMs > 0) busy(gapMs);
      const t0 = performance.now();
      const w = tf.add(b, 0); // new weights, as after an Adam step
      tf.matMul(a, w).dispose();
      w.dispose();
      tot += performance.now() - t0;
    }
    return (tot / reps) * 1000;
  };
  run(0, 50);
  for (const gap of [0, 0.05, 0.2, 1, 0, 0.05, 0.2, 1])
    console.log(`gap ${gap} ms of JavaScript before: ${run(gap).toFixed(0)} µs per add + matmul`);
}
main();
