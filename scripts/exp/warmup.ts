// The MLP's warm-up: per block of steps, wall time against the time inside wasm kernels (each registered kernel
// wrapped with a timer), to tell JavaScript warm-up from kernel warm-up. npx tsx scripts/exp/warmup.ts [model] [steps]
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels } from '../../src/models';
import { createTrainStep } from '../../src/train/step';
import { wrapKernels } from './timing';

async function main() {
  const [model = 'mlp-gan', total = '80'] = process.argv.slice(2);
  await initBackend();
  let kernelMs = 0;
  wrapKernels((_name, _inputs, ms) => (kernelMs += ms));
  const models = buildModels(model as never, { seed: 1 });
  const step = createTrainStep(models, { seed: 2 });
  const real = tf.tidy(() => tf.randomUniform([64, ...models.imageShape], -1, 1)) as tf.Tensor4D;
  const block = 10;
  for (let b = 0; b < +total / block; b++) {
    kernelMs = 0;
    const t0 = performance.now();
    for (let i = 0; i < block; i++) await step(real);
    const wall = (performance.now() - t0) / block;
    console.log(
      `steps ${b * block + 1}–${(b + 1) * block}: ${wall.toFixed(1)} ms per step, ${(kernelMs / block).toFixed(1)} in kernels, ` +
        `${(wall - kernelMs / block).toFixed(1)} outside; wasm heap ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MiB in tensors`,
    );
  }
}
main();
