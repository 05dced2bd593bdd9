// A/B of training-step configurations in one process: after 20 warm-up steps, the arms take turns (one untimed step,
// then 4 timed) for `rounds` rounds, so the VM's drift falls on all of them alike; medians and means of the step
// times. Arms set batchMatMulOptions (bmm, src/backend/wasm/batchMatMul.ts) and elementwiseOptions (ew,
// activation.ts). Example:
//   npx tsx scripts/exp/stepab.ts mlp-gan '[{},{"bmm":{"direct":false}},{"ew":{"add":false}}]' 40
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels } from '../../src/models';
import { createTrainStep } from '../../src/train/step';
import { batchMatMulOptions } from '../../src/backend/wasm/batchMatMul';
import { elementwiseOptions } from '../../src/backend/wasm/activation';
async function main() {
  const arms: Array<{ bmm?: object; ew?: object }> = JSON.parse(process.argv[3]);
  await initBackend();
  const models = buildModels(process.argv[2] ?? 'mlp-gan', { seed: 1 });
  const step = createTrainStep(models, { seed: 2, reuseFakes: true });
  const real = tf.tidy(() => tf.randomUniform([64, ...models.imageShape], -1, 1)) as tf.Tensor4D;
  const base = { bmm: { ...batchMatMulOptions }, ew: { ...elementwiseOptions } };
  const times: number[][] = arms.map(() => []);
  for (let i = 0; i < 20; i++) await step(real);
  const rounds = Number(process.argv[4] ?? 30);
  for (let r = 0; r < rounds; r++)
    for (let a = 0; a < arms.length; a++) {
      Object.assign(batchMatMulOptions, base.bmm, arms[a].bmm ?? {});
      Object.assign(elementwiseOptions, base.ew, arms[a].ew ?? {});
      await step(real);
      for (let s = 0; s < 4; s++) {
        const t0 = performance.now();
        await step(real);
        times[a].push(performance.now() - t0);
      }
    }
  const med = (x: number[]) => {
    const s = [...x].sort((p, q) => p - q);
    return s[s.length >> 1];
  };
  arms.forEach((arm, a) =>
    console.log(
      JSON.stringify(arm).padEnd(50),
      'median',
      med(times[a]).toFixed(1),
      'mean',
      (times[a].reduce((p, q) => p + q, 0) / times[a].length).toFixed(1),
    ),
  );
}
main();
