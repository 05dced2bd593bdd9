// Timing helpers shared by the performance probes in scripts/exp/.
import * as tf from '@tensorflow/tfjs';

/** Mean wall time of `f` over `reps` calls, after one untimed call. */
export function timeMs(f: () => void, reps: number): number {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

/**
 * Time every kernel registered for the active backend: each call reports its kernel name, inputs and
 * milliseconds to `onCall` (no tf.profile bookkeeping).
 */
export function wrapKernels(
  onCall: (kernelName: string, inputs: Array<tf.TensorInfo | null>, ms: number) => void,
): void {
  for (const k of tf.getKernelsForBackend(tf.getBackend())) {
    const f = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel({
      ...k,
      kernelFunc: ((args: Parameters<typeof f>[0]) => {
        const t0 = performance.now();
        const out = f(args);
        const ms = performance.now() - t0;
        onCall(k.kernelName, Object.values(args.inputs as Record<string, tf.TensorInfo | null>), ms);
        return out;
      }) as typeof f,
    });
  }
}

/**
 * Median ms of 7 calls of a kernel after 2 warm-up calls, its output disposed each time. No dataSync: the wasm
 * kernels run synchronously, and copying a large output out was most of the noise.
 */
export function kernelMs(f: () => { dispose(): void }): number {
  const v: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const r = f();
    v.push(performance.now() - t0);
    r.dispose();
  }
  return v.slice(2).sort((a, b) => a - b)[3];
}
