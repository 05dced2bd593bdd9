// A/B in one process, alternating blocks of training steps between settings of the direct convolution kernels
// (conv.wat): each arm a JSON of the direct flags of Conv2DBackpropFilter ("bpf"), Conv2DBackpropInput ("bpi") and
// Conv2D ("conv"); per arm the step time and the time in each convolution kernel, medians.
// npx tsx scripts/exp/directab.ts [model] [config JSON] [rounds] [steps] [arm JSON]...
// e.g. dcgan-64 '{}' 5 3 '{"bpf":true,"bpi":true,"conv":true}' '{"bpf":false,"bpi":false,"conv":false}'
import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { initBackend } from '../../src/backend';
import { conv2dBackpropFilterOptions } from '../../src/backend/wasm/conv2dBackpropFilter';
import { conv2dBackpropInputOptions } from '../../src/backend/wasm/conv2dBackpropInput';
import { conv2dOptions } from '../../src/backend/wasm/conv2d';
import { buildModels } from '../../src/models';
import { createTrainStep } from '../../src/train/step';
import { wrapKernels } from './timing';

const KERNELS = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];

async function main() {
  const [model = 'dcgan-64', config = '{}', rounds = '5', steps = '3', ...armArgs] = process.argv.slice(2);
  const all = '{"bpf":true,"bpi":true,"conv":true}';
  const none = '{"bpf":false,"bpi":false,"conv":false}';
  const arms = (armArgs.length ? armArgs : [all, none]).map(
    (a) => JSON.parse(a) as { bpf: boolean; bpi: boolean; conv: boolean },
  );
  console.log((await initBackend()).device);
  const kernelMs = new Map<string, number>();
  wrapKernels((name, _inputs, ms) => {
    if (KERNELS.includes(name)) kernelMs.set(name, (kernelMs.get(name) ?? 0) + ms);
  });
  const models = buildModels(model as never, { seed: 1, config: JSON.parse(config) });
  const step = createTrainStep(models, { seed: 2 });
  const real = tf.tidy(() => tf.randomUniform([64, ...models.imageShape], -1, 1)) as tf.Tensor4D;
  for (let i = 0; i < 3; i++) await step(real);
  const ms: number[][] = arms.map(() => []);
  const perKernel: Array<Map<string, number[]>> = arms.map(() => new Map());
  const load0 = os.loadavg()[0];
  for (let r = 0; r < +rounds; r++) {
    for (let a = 0; a < arms.length; a++) {
      conv2dBackpropFilterOptions.direct = arms[a].bpf;
      conv2dBackpropInputOptions.direct = arms[a].bpi;
      conv2dOptions.direct = arms[a].conv;
      await step(real); // untimed: the switch
      kernelMs.clear();
      const t0 = performance.now();
      for (let i = 0; i < +steps; i++) await step(real);
      ms[a].push((performance.now() - t0) / +steps);
      for (const k of KERNELS) {
        if (!perKernel[a].has(k)) perKernel[a].set(k, []);
        perKernel[a].get(k)!.push((kernelMs.get(k) ?? 0) / +steps);
      }
    }
  }
  const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1];
  arms.forEach((arm, a) => {
    const ks = KERNELS.map((k) => `${k} ${med(perKernel[a].get(k)!).toFixed(0)}`).join(', ');
    console.log(
      `${model} ${JSON.stringify(arm)}: ${ms[a].map((v) => v.toFixed(0)).join(' / ')} ms per step, median ` +
        `${med(ms[a]).toFixed(1)} (${((64 * 1000) / med(ms[a])).toFixed(1)} img/s); ${ks} ms per step`,
    );
  });
  console.log(
    `first vs last arm ${(med(ms[arms.length - 1]) / med(ms[0])).toFixed(2)}× per step; ` +
      `load ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`,
  );
}
main();
