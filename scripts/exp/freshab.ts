// A/B/C in one process, alternating blocks of steps of a model's training step: (A) batchMatMul.ts's plan
// for new weights + the SIMD transpose, (B) untransposed products always direct + SIMD transpose, (C) direct
// + tfjs's own Transpose (the code before both). npx tsx scripts/exp/freshab.ts [model] [rounds] [steps]
import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { initBackend } from '../../src/backend';
import { batchMatMulOptions } from '../../src/backend/wasm/batchMatMul';
import { transposeOptions } from '../../src/backend/wasm/transpose';
import { buildModels } from '../../src/models';
import { createTrainStep } from '../../src/train/step';

async function main() {
  const [model = 'mlp-gan', rounds = '5', steps = '20'] = process.argv.slice(2);
  await initBackend();
  const models = buildModels(model as never, { seed: 1 });
  const step = createTrainStep(models, { seed: 2 });
  const real = tf.tidy(() => tf.randomUniform([64, ...models.imageShape], -1, 1)) as tf.Tensor4D;
  for (let i = 0; i < 10; i++) await step(real);
  const arms = { A: [true, true], B: [false, true], C: [false, false] } as const;
  const ms: Record<string, number[]> = { A: [], B: [], C: [] };
  const load0 = os.loadavg()[0];
  for (let r = 0; r < +rounds; r++) {
    for (const [arm, [plan, simd]] of Object.entries(arms)) {
      batchMatMulOptions.freshWeights = plan;
      transposeOptions.simd = simd;
      await step(real);
      const t0 = performance.now();
      for (let i = 0; i < +steps; i++) await step(real);
      ms[arm].push((performance.now() - t0) / +steps);
    }
  }
  const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1];
  for (const arm of Object.keys(arms))
    console.log(
      `${model} ${arm}: ${ms[arm].map((v) => v.toFixed(1)).join(' / ')} ms per step, median ${med(ms[arm]).toFixed(1)}`,
    );
  console.log(
    `A vs C ${(med(ms.C) / med(ms.A)).toFixed(2)}×, B vs C ${(med(ms.C) / med(ms.B)).toFixed(2)}×, A vs B ${(med(ms.B) / med(ms.A)).toFixed(2)}×; load ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`,
  );
}
main();
