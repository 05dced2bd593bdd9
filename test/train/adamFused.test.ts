/**
 * The fused wasm Adam (src/backend/wasm/adam.ts), its SIMD module and its JavaScript fallback, is
 * bit for bit the tfjs op chain it replaces: on raw tensors with awkward values (zeros, tiny and huge
 * gradients, odd sizes), with buffers shared by other tensors (the copy-on-write path), and over
 * training steps of all three benchmark models (whose next matmuls must see the new weights).
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, disposeModels, type ModelName } from '../../src/models';
import { adamSimdFor, fusedAdamOptions } from '../../src/backend/wasm/adam';
import { adamOptions } from '../../src/train/adam';
import { createTrainStep } from '../../src/train/step';
import { assertBitEqual, runAdam } from './adamFixtures';

const TINY: Record<'mlp-gan' | 'dcgan-28' | 'dcgan-64', object> = {
  'mlp-gan': { latentDim: 8, gHidden: [16, 32], dHidden: [24, 8], imageShape: [6, 5, 1] },
  'dcgan-28': { latentDim: 8, ngf: 4, ndf: 4 },
  'dcgan-64': { latentDim: 8, ngf: 2, ndf: 2 },
};

/** Train `steps` seeded steps; returns every trainable weight and both optimizers' moments. */
async function trainModel(name: ModelName, fused: boolean, steps: number): Promise<tf.Tensor[]> {
  adamOptions.fused = fused;
  try {
    const models = buildModels(name, { seed: 3, config: TINY[name as keyof typeof TINY] as never });
    const step = createTrainStep(models, { seed: 4 });
    const real = tf.randomUniform([3, ...models.imageShape], -1, 1, 'float32', 5) as tf.Tensor4D;
    for (let i = 0; i < steps; i++) await step(real);
    const out = [
      ...[models.generator, models.discriminator].flatMap((m) =>
        m.trainableWeights.map((w) => w.read().clone()),
      ),
      ...[step.dOptimizer, step.gOptimizer].flatMap((o) => o.stateTensors().map((t) => t.clone())),
    ];
    real.dispose();
    step.dispose();
    disposeModels(models);
    return out;
  } finally {
    adamOptions.fused = true;
  }
}

describe('fused Adam on wasm', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend({ force: 'wasm' });
  });
  after(async () => {
    await initBackend({ force: 'cpu' });
  });

  const shapes = [[1], [7], [33, 5], [3, 3, 4, 9], [1000]];

  it('adamSimd.ts and elementwiseSimd.ts are their .wat compiled (wabt, a devDependency)', () => {
    const script = path.join(__dirname, '../../scripts/build-wasm.js');
    const out = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    assert.match(out, /adamSimd.ts is up to date/);
    assert.match(out, /elementwiseSimd.ts is up to date/);
  });

  it('runs the SIMD module on this runtime', () => {
    assert.ok(adamSimdFor(tf.backend() as never), 'the WebAssembly SIMD module did not instantiate');
  });

  for (const simd of [true, false]) {
    it(`is bit-identical to the op chain over 12 steps (${simd ? 'SIMD' : 'JavaScript loop'})`, () => {
      fusedAdamOptions.simd = simd;
      try {
        const fused = runAdam(true, shapes, 12, false);
        const chain = runAdam(false, shapes, 12, false);
        assertBitEqual(fused, chain, 'weights and moments');
        tf.dispose([...fused, ...chain]);
      } finally {
        fusedAdamOptions.simd = true;
      }
    });
  }

  it('is bit-identical when other tensors share the buffers, and leaves them unchanged', () => {
    const fused = runAdam(true, shapes, 6, true);
    const chain = runAdam(false, shapes, 6, true);
    assertBitEqual(fused, chain, 'weights and moments');
    tf.dispose([...fused, ...chain]);
  });

  it('frees what it allocates', () => {
    runAdam(true, shapes, 2, true).forEach((t) => t.dispose());
    const before = tf.memory().numBytes;
    const tensors = tf.memory().numTensors;
    runAdam(true, shapes, 3, true).forEach((t) => t.dispose());
    assert.equal(tf.memory().numBytes, before);
    assert.equal(tf.memory().numTensors, tensors);
  });

  it('is bit-identical on the single-thread build too (plain memory; child process)', () => {
    const out = execFileSync(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'adamFusedChild.ts')],
      {
        env: { ...process.env, GAN_WASM_THREADS: '1' },
        encoding: 'utf8',
      },
    );
    assert.match(out, /bit-identical/);
  });

  for (const name of ['mlp-gan', 'dcgan-28', 'dcgan-64'] as ModelName[]) {
    it(`${name}: 3 training steps give bit-identical weights and moments`, async () => {
      const fused = await trainModel(name, true, 3);
      const chain = await trainModel(name, false, 3);
      assertBitEqual(fused, chain, name);
      tf.dispose([...fused, ...chain]);
    });
  }
});
