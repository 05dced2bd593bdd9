// A dense layer's three products (x·W, dy·Wᵀ, xᵀ·dy) per shape on wasm, new weights each call: the XNNPACK plans
// (batchMatMulOptions.direct false) against conv.wat's mm_tiles (directMatMul.ts), ms (medians, the copy that makes
// the new operand included in both), whether the direct path ran (D), and elements whose bits differ.
//   npx tsx scripts/exp/mmdirect.ts
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { batchMatMulOptions } from '../../src/backend/wasm/batchMatMul';
import { directProductStats } from '../../src/backend/wasm/directMatMul';
import { kernelMs } from './timing';
async function main() {
  await initBackend();

  const cases: Array<[number, number, number]> = [
    [64, 100, 256],
    [64, 256, 512],
    [64, 512, 1024],
    [64, 1024, 784],
    [64, 784, 512],
    [64, 512, 256],
    [64, 256, 1],
    [13, 37, 24],
    [64, 1, 256],
  ];
  for (const [m, k, n] of cases) {
    const x = tf.randomNormal([m, k]) as tf.Tensor2D;
    const w = tf.randomNormal([k, n]) as tf.Tensor2D;
    const dy = tf.randomNormal([m, n]) as tf.Tensor2D;
    const prods: Array<[string, () => tf.Tensor]> = [
      ['fwd', () => tf.matMul(x, tf.add(w, 0) as tf.Tensor2D)],
      ['dx', () => tf.matMul(dy, tf.add(w, 0) as tf.Tensor2D, false, true)],
      ['dW', () => tf.matMul(tf.add(x, 0) as tf.Tensor2D, dy, true, false)],
    ];
    const out: string[] = [];
    for (const [name, f] of prods) {
      batchMatMulOptions.direct = false;
      const ref = tf.tidy(f);
      const tRef = kernelMs(() => tf.tidy(f));
      batchMatMulOptions.direct = true;
      const c0 = directProductStats.calls;
      const got = tf.tidy(f);
      const tNew = kernelMs(() => tf.tidy(f));
      const used = directProductStats.calls > c0;
      const a = ref.dataSync(),
        b = got.dataSync();
      let diff = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
      out.push(`${name} ${used ? 'D' : '-'} ${tRef.toFixed(3)}→${tNew.toFixed(3)} diff=${diff}`);
      ref.dispose();
      got.dispose();
    }
    console.log(`[${m},${k},${n}]`, out.join(' | '));
  }
}
main();
