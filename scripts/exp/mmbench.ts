// The MLP step's dense-layer products on wasm, per shape: tfjs-backend-wasm's BatchMatMul (XNNPACK fully-connected;
// its operator packs the weights when first used, cached per weight tensor) with the weights reused or new (as
// after every Adam step; made just before the call, so warm in cache), and the stock Transpose against ours
// (transpose.ts). npx tsx scripts/exp/mmbench.ts
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { timeMs as time } from './timing';
import { batchMatMulOptions } from '../../src/backend/wasm/batchMatMul';
import { transposeOptions } from '../../src/backend/wasm/transpose';

async function main() {
  const b = await initBackend();
  console.log(b.device);
  const shapes: Array<[number, number, number]> = [
    [64, 100, 256],
    [64, 256, 512],
    [64, 512, 1024],
    [64, 1024, 784],
    [64, 784, 512],
    [64, 512, 256],
  ];
  const reps = 40;
  for (const [m, k, n] of shapes) {
    const a = tf.randomNormal([m, k]) as tf.Tensor2D;
    const w = tf.randomNormal([k, n]) as tf.Tensor2D;
    const copy = time(() => tf.add(w, 0).dispose(), reps);
    const same = time(() => tf.matMul(a, w).dispose(), reps);
    const freshWith = (plan: boolean) => {
      batchMatMulOptions.freshWeights = plan;
      const t = time(() => tf.tidy(() => void tf.matMul(a, tf.add(w, 0) as tf.Tensor2D)), reps) - copy;
      batchMatMulOptions.freshWeights = true;
      return t;
    };
    const fresh = freshWith(false);
    const planned = freshWith(true);
    const tr = (simd: boolean) => {
      transposeOptions.simd = simd;
      const t = time(() => tf.transpose(w).dispose(), reps);
      transposeOptions.simd = true;
      return t;
    };
    const gf = (2 * m * k * n) / 1e6;
    const f = (ms: number) => `${ms.toFixed(3)} ms (${(gf / ms).toFixed(0)} GF/s)`;
    console.log(
      `${`${m}×${k}×${n}`.padEnd(13)} matMul same W ${f(same)}, new W ${f(fresh)}, new W as (Wᵀ·aᵀ)ᵀ ${f(planned)}; ` +
        `transpose W [${k},${n}]: stock ${tr(false).toFixed(3)} ms, SIMD ${tr(true).toFixed(3)} ms`,
    );
    tf.dispose([a, w]);
  }
}
main();
