// Profile one training step of a model configuration as the recipes train it (wasm unless GAN_BACKEND):
// wall time per step, time inside kernels, and the kernels by total time. Example:
//   npx tsx scripts/exp/profstep.ts '{"model":"dcgan-28","modelConfig":{"ngf":16,"ndf":16,"gConv7":true,"dConv7":true},"step":{"lr":0.0004,"gLrScale":2,"reuseFakes":true}}'
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { trace } from '../../src/backend/wasm/heap';
import { buildModels } from '../../src/models';
import { createTrainStep } from '../../src/train/step';
import { wrapKernels } from './timing';
import { batchMatMulOptions } from '../../src/backend/wasm/batchMatMul';
import { elementwiseOptions } from '../../src/backend/wasm/activation';

async function main() {
  const o = JSON.parse(process.argv[2] ?? '{}');
  const b = await initBackend();
  // o.bmm, o.ew: kernel options for A/B (batchMatMulOptions, elementwiseOptions)
  Object.assign(batchMatMulOptions, o.bmm ?? {});
  Object.assign(elementwiseOptions, o.ew ?? {});
  const models = buildModels(o.model ?? 'dcgan-28', { config: o.modelConfig, seed: 1 });
  const step = createTrainStep(models, { seed: 2, ...(o.step ?? {}) });
  const batch = o.batch ?? 64;
  const real = tf.tidy(() => tf.randomUniform([batch, ...models.imageShape], -1, 1)) as tf.Tensor4D;
  // o.wrap: time every wasm kernel by wrapping its registered function (no tf.profile bookkeeping)
  const wrapped = new Map<string, { calls: number; ms: number }>();
  if (o.wrap) {
    wrapKernels((name, ins, ms) => {
      const key = o.wrapShapes ? `${name} ${ins.map((t) => (t ? `[${t.shape}]` : '-')).join(' ')}` : name;
      const e = wrapped.get(key) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += ms;
      wrapped.set(key, e);
    });
  }
  for (let i = 0; i < 3; i++) await step(real);
  wrapped.clear();
  const n = o.steps ?? 20;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await step(real);
  const ms = (performance.now() - t0) / n;
  if (o.wrap) {
    let tot = 0;
    for (const e of wrapped.values()) tot += e.ms / n;
    console.log(`wrapped kernels: ${tot.toFixed(1)} ms of ${ms.toFixed(1)} ms per step`);
    for (const [k, e] of [...wrapped.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, o.top ?? 30))
      console.log(
        `  ${k.padEnd(o.wrapShapes ? 60 : 26)} ${(e.ms / n).toFixed(2).padStart(8)} ms ${String(e.calls / n).padStart(5)} calls`,
      );
    return;
  }
  trace.ms.clear();
  const info = await tf.profile(async () => {
    await step(real);
  });
  const by = new Map<string, { calls: number; ms: number }>();
  let total = 0;
  let calls = 0;
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue;
    const e = by.get(k.name) ?? { calls: 0, ms: 0 };
    const t = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    e.ms += t;
    total += t;
    calls++;
    by.set(k.name, e);
  }
  console.log(
    `${b.backend}: ${ms.toFixed(1)} ms/step (${((batch * 1000) / ms).toFixed(0)} img/s); profiled step: ${calls} kernel calls, ${total.toFixed(1)} ms in kernels; load ${os.loadavg()[0].toFixed(2)}`,
  );
  for (const [k, e] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, o.top ?? 30))
    console.log(`${k.padEnd(28)} ${e.ms.toFixed(2).padStart(8)} ms ${String(e.calls).padStart(5)} calls`);
  // o.calls: every call of these kernels with its shapes (e.g. ["Conv2DBackpropInput"])
  for (const k of info.kernels)
    if ((o.calls ?? []).includes(k.name))
      console.log(
        `${k.name} ${JSON.stringify(k.inputShapes)} → ${JSON.stringify(k.outputShapes)} ${Number(k.kernelTimeMs).toFixed(2)} ms`,
      );
  // o.byShape: kernels grouped by name and first input's shape, the largest first
  if (o.byShape) {
    const g = new Map<string, { calls: number; ms: number }>();
    for (const k of info.kernels) {
      if (k.name.endsWith('__op')) continue;
      const key = `${k.name} ${JSON.stringify(k.inputShapes[0])}`;
      const e = g.get(key) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += Number(k.kernelTimeMs);
      g.set(key, e);
    }
    for (const [k, e] of [...g.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, o.byShape))
      console.log(`${k.padEnd(50)} ${e.ms.toFixed(2).padStart(8)} ms ${String(e.calls).padStart(5)} calls`);
  }
  if (trace.enabled) for (const [k, v] of trace.ms) console.log(`trace ${k}: ${v.toFixed(2)} ms`);
}
main();
