// A/B in one process: step time with and without reuseFakes (G forward once), interleaved blocks.
//   npx tsx scripts/exp/reuse.ts dcgan-28 '{"ngf":32,"ndf":32}'
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, type ModelName } from '../../src/models';
import { createTrainStep } from '../../src/train/step';

async function main() {
  await initBackend();
  const name = process.argv[2] as ModelName;
  const config = JSON.parse(process.argv[3] ?? '{}');
  const arms = [false, true].map((reuseFakes) => {
    const m = buildModels(name, { seed: 1, config });
    return { reuseFakes, step: createTrainStep(m, { seed: 2, reuseFakes }), ms: [] as number[] };
  });
  const m0 = buildModels(name, { seed: 1, config });
  const x = tf.randomUniform([64, ...m0.imageShape], -1, 1) as tf.Tensor4D;
  for (const a of arms) for (let i = 0; i < 2; i++) await a.step(x);
  for (let block = 0; block < 6; block++) {
    for (const a of arms) {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) await a.step(x);
      a.ms.push((performance.now() - t0) / 5);
    }
  }
  const med = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1];
  const [off, on] = arms.map((a) => med(a.ms));
  console.log(
    JSON.stringify({
      name,
      config,
      msOff: +off.toFixed(1),
      msOn: +on.toFixed(1),
      ratio: +(off / on).toFixed(3),
    }),
  );
}
main();
