/**
 * A quick throughput probe for the environment notebook and `gan doctor`: time square matrix
 * products on the active backend and report GFLOP/s (2·n³ floating-point operations each).
 */
import * as tf from '@tensorflow/tfjs';

export interface MatmulTiming {
  n: number;
  ms: number;
  gflops: number;
}

export async function matmulThroughput(
  sizes: readonly number[] = [64, 128, 256, 512],
  reps = 5,
): Promise<MatmulTiming[]> {
  const out: MatmulTiming[] = [];
  for (const n of sizes) {
    const a = tf.randomNormal([n, n], 0, 1, 'float32', n);
    await tf.tidy(() => tf.matMul(a, a)).data(); // warm-up (kernel set-up, first allocation)
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) {
      const c = tf.matMul(a, a);
      await c.data();
      c.dispose();
    }
    const ms = (performance.now() - t0) / reps;
    a.dispose();
    out.push({ n, ms, gflops: (2 * n ** 3) / (ms * 1e6) });
  }
  return out;
}
