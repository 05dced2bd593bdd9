// A/B in one process, alternating blocks of training steps: Conv2DBackpropFilter computed directly (A, conv.wat) against
// one convolution with dy as the filter (B, the code before), with the time spent in that kernel per step.
// npx tsx scripts/exp/bpfab.ts [model] [config JSON] [rounds] [steps] [batch]
// e.g. dcgan-32 '{"ngf":32,"ndf":32}' (tutorial 03's CPU network), dcgan-64 '{}', dcgan-28 '{"ngf":16,"ndf":16,"gConv7":true,"dConv7":true}'
import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { initBackend } from '../../src/backend';
import { conv2dBackpropFilterOptions } from '../../src/backend/wasm/conv2dBackpropFilter';
import { buildModels } from '../../src/models';
import { createTrainStep } from '../../src/train/step';
import { wrapKernels } from './timing';

async function main() {
  const [model = 'dcgan-32', config = '{}', rounds = '5', steps = '5', batch = '64'] = process.argv.slice(2);
  console.log((await initBackend()).device);
  let bpfMs = 0;
  let byShape = new Map<string, number>();
  wrapKernels((name, inputs, ms) => {
    if (name !== 'Conv2DBackpropFilter') return;
    bpfMs += ms;
    const key = inputs.map((t) => `[${t?.shape}]`).join(' dy ');
    byShape.set(key, (byShape.get(key) ?? 0) + ms);
  });
  const models = buildModels(model as never, { seed: 1, config: JSON.parse(config) });
  const step = createTrainStep(models, { seed: 2 });
  const real = tf.tidy(() => tf.randomUniform([+batch, ...models.imageShape], -1, 1)) as tf.Tensor4D;
  for (let i = 0; i < 3; i++) await step(real);
  const arms = { A: true, B: false } as const;
  const ms: Record<string, number[]> = { A: [], B: [] };
  const bpf: Record<string, number[]> = { A: [], B: [] };
  const shapes: Record<string, Map<string, number>> = { A: new Map(), B: new Map() };
  const load0 = os.loadavg()[0];
  for (let r = 0; r < +rounds; r++) {
    for (const [arm, direct] of Object.entries(arms)) {
      conv2dBackpropFilterOptions.direct = direct;
      byShape = new Map(); // the untimed step
      await step(real);
      bpfMs = 0;
      byShape = shapes[arm];
      const t0 = performance.now();
      for (let i = 0; i < +steps; i++) await step(real);
      ms[arm].push((performance.now() - t0) / +steps);
      bpf[arm].push(bpfMs / +steps);
    }
  }
  const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1];
  for (const arm of Object.keys(arms))
    console.log(
      `${model} ${arm}: ${ms[arm].map((v) => v.toFixed(1)).join(' / ')} ms per step, median ${med(ms[arm]).toFixed(1)}; Conv2DBackpropFilter median ${med(bpf[arm]).toFixed(1)} ms per step`,
    );
  for (const key of shapes.A.keys()) {
    const [a, b] = [shapes.A.get(key)!, shapes.B.get(key)!].map((v) => v / (+rounds * +steps));
    console.log(
      `  x ${key}: direct ${a.toFixed(1)} ms, convolution ${b.toFixed(1)} ms per step (${(b / a).toFixed(2)}×)`,
    );
  }
  console.log(
    `A vs B ${(med(ms.B) / med(ms.A)).toFixed(2)}× per step; load ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`,
  );
}
main();
