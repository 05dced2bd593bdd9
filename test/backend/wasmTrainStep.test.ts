/**
 * A full training step (src/train/step.ts on src/models builders) on wasm with the fast kernels
 * matches the cpu backend's step on the same seeds: the step's losses and the parameter updates of
 * two steps, for tiny versions of all three benchmark models.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, disposeModels, type ModelName } from '../../src/models';
import { createTrainStep, type StepResult } from '../../src/train/step';

interface Run {
  results: StepResult[];
  /** Per network, all trainable weights before and after, flattened. */
  before: Float32Array[];
  after: Float32Array[];
}

function flatWeights(model: tf.LayersModel): Float32Array {
  const parts = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const TINY: Record<ModelName, object> = {
  'mlp-gan': { latentDim: 8, gHidden: [16, 32], dHidden: [24, 8], imageShape: [6, 5, 1] },
  'dcgan-28': { latentDim: 8, ngf: 4, ndf: 4 },
  'dcgan-64': { latentDim: 8, ngf: 2, ndf: 2 },
  'dcgan-32': { latentDim: 8, ngf: 2, ndf: 2 },
};

async function train(backend: 'cpu' | 'wasm', name: ModelName, batch: number): Promise<Run> {
  await initBackend({ force: backend });
  const models = buildModels(name, { seed: 3, config: TINY[name] as never });
  const step = createTrainStep(models, { seed: 4 });
  const real = tf.randomUniform([batch, ...models.imageShape], -1, 1, 'float32', 5) as tf.Tensor4D;
  const nets = [models.generator, models.discriminator];
  const before = nets.map(flatWeights);
  const results = [await step(real), await step(real)];
  const after = nets.map(flatWeights);
  real.dispose();
  step.dispose();
  disposeModels(models);
  return { results, before, after };
}

/** ‖Δcpu − Δwasm‖ / ‖Δcpu‖ over the parameter updates. */
function updateMismatch(cpu: Run, wasm: Run, net: number): number {
  let num = 0;
  let den = 0;
  const b = cpu.before[net];
  for (let i = 0; i < b.length; i++) {
    const dc = cpu.after[net][i] - b[i];
    const dw = wasm.after[net][i] - wasm.before[net][i];
    num += (dc - dw) ** 2;
    den += dc ** 2;
  }
  return Math.sqrt(num / den);
}

describe('a training step on wasm matches the cpu backend', function () {
  this.timeout(60_000);
  after(async () => {
    await initBackend({ force: 'cpu' });
  });

  for (const [name, batch] of [
    ['mlp-gan', 5],
    ['dcgan-28', 3],
    ['dcgan-64', 2],
  ] as Array<[ModelName, number]>) {
    it(`${name}: losses and two steps of Adam updates`, async () => {
      const cpu = await train('cpu', name, batch);
      const wasm = await train('wasm', name, batch);
      assert.deepEqual(wasm.before[0], cpu.before[0], 'seeded init must not depend on the backend');
      cpu.results.forEach((r, s) => {
        for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) {
          const rel = Math.abs(r[key] - wasm.results[s][key]) / Math.max(1e-3, Math.abs(r[key]));
          assert.ok(rel < 1e-3, `step ${s} ${key}: cpu ${r[key]} vs wasm ${wasm.results[s][key]}`);
        }
      });
      // Adam moves each weight by about ±lr on the first steps, so a wrong gradient shows up as an
      // O(1) mismatch; rounding only flips the sign of a few near-zero gradient components.
      for (const [net, label] of ['generator', 'discriminator'].entries()) {
        const m = updateMismatch(cpu, wasm, net);
        assert.ok(m < 0.05, `${label}: parameter updates differ by ${(100 * m).toFixed(2)}% (cpu vs wasm)`);
      }
    });
  }
});
