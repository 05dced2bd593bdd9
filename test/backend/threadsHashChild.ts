/**
 * Run by threadsBitExact.test.ts with GAN_WASM_THREADS set: trains `steps` seeded steps of one
 * model on wasm at full width and prints the SHA-256 of every trainable weight and the losses.
 * Args: model batch steps.
 */
import { createHash } from 'crypto';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, disposeModels, type ModelName } from '../../src/models';
import { createTrainStep } from '../../src/train/step';

(async () => {
  const [model, batch, steps] = process.argv.slice(2);
  const report = await initBackend({ force: 'wasm' });
  const models = buildModels(model as ModelName, { seed: 7 });
  const step = createTrainStep(models, { seed: 8 });
  const real = tf.randomUniform([Number(batch), ...models.imageShape], -1, 1, 'float32', 9) as tf.Tensor4D;
  const hash = createHash('sha256');
  for (let i = 0; i < Number(steps); i++) {
    const r = await step(real);
    hash.update(JSON.stringify(r));
  }
  for (const net of [models.generator, models.discriminator]) {
    for (const w of net.trainableWeights) hash.update(w.read().dataSync() as Float32Array);
  }
  process.stdout.write(
    `${JSON.stringify({ threads: report.details?.wasmThreads, sha256: hash.digest('hex') })}\n`,
  );
  real.dispose();
  step.dispose();
  disposeModels(models);
})().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
