/** The training step: Adam against tf.train.adam, no tensor leaks over ≥ 50 steps, k > 1, determinism. */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, disposeModels, type ModelName } from '../../src/models';
import { Adam } from '../../src/train/adam';
import { createTrainStep } from '../../src/train/step';
import { syntheticDataset, TINY } from './fixtures';

describe('train step', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('Adam matches tf.train.adam (the reference) on a quadratic', () => {
    const target = tf.tensor1d([1, -2, 3]);
    const a = tf.variable(tf.tensor1d([0.5, 0.5, 0.5]));
    const b = tf.variable(tf.tensor1d([0.5, 0.5, 0.5]));
    const ours = new Adam([a], { lr: 0.05, beta1: 0.5 });
    const ref = tf.train.adam(0.05, 0.5, 0.999, 1e-8);
    for (let i = 0; i < 20; i++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(a, target))) as tf.Scalar, [a]);
        ours.apply([grads[a.name]]);
        ref.minimize(() => tf.sum(tf.square(tf.sub(b, target))) as tf.Scalar, false, [b]);
      });
    }
    const x = a.dataSync();
    const y = b.dataSync();
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(x[i] - y[i]) < 1e-5, `${x[i]} vs ${y[i]}`);
    assert.equal(ours.step, 20);
    ours.dispose();
    ref.dispose();
    tf.dispose([a, b, target]);
  });

  it('leaks no tensors over 60 mlp-gan steps (numTensors identical after every step)', async () => {
    const m = buildModels('mlp-gan', { seed: 1, config: TINY['mlp-gan'] });
    const step = createTrainStep(m, { seed: 2 });
    const ds = syntheticDataset(64, [8, 8, 1]);
    const x = ds.take(16);
    await step(x); // burn-in: the optimizers' state now exists
    const n = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) {
      const r = await step(x);
      assert.ok(Number.isFinite(r.dLoss));
      assert.equal(tf.memory().numTensors, n, `step ${i} leaked`);
    }
    x.dispose();
    step.dispose();
    disposeModels(m);
  });

  for (const name of ['dcgan-28', 'dcgan-64', 'dcgan-32'] as ModelName[]) {
    it(`${name} (tiny): leaks nothing, reports probabilities, k = 2 with two batches`, async () => {
      const m = buildModels(name, { seed: 1, config: TINY[name] });
      const step = createTrainStep(m, { seed: 2, k: 2, loss: 'minimax', labelSmoothing: 0.1 });
      const x = tf.randomUniform([2, ...m.imageShape], -1, 1, 'float32', 5) as tf.Tensor4D;
      const y = tf.randomUniform([2, ...m.imageShape], -1, 1, 'float32', 6) as tf.Tensor4D;
      await step([x, y]);
      const n = tf.memory().numTensors;
      for (let i = 0; i < 2; i++) {
        const r = await step([x, y]);
        assert.equal(tf.memory().numTensors, n);
        for (const p of [r.dReal, r.dFake]) assert.ok(p > 0 && p < 1, `probability ${p}`);
        assert.ok(r.gLoss < 0, 'minimax gLoss = mean log(1 − D) is negative');
      }
      assert.equal(step.dOptimizer.step, 6);
      assert.equal(step.gOptimizer.step, 3);
      await assert.rejects(() => step([x, y, x]), /Expected 1 or k = 2 real batches/);
      tf.dispose([x, y]);
      step.dispose();
      disposeModels(m);
    });
  }

  it('is deterministic: same seeds → identical results; D training raises D(x) − D(G(z))', async () => {
    const run = async () => {
      const m = buildModels('mlp-gan', { seed: 4, config: TINY['mlp-gan'] });
      const step = createTrainStep(m, { seed: 9, lr: 1e-3 });
      const x = syntheticDataset(32, [8, 8, 1]).take(32);
      const out = [];
      for (let i = 0; i < 30; i++) out.push(await step(x));
      x.dispose();
      step.dispose();
      disposeModels(m);
      return out;
    };
    const a = await run();
    assert.deepEqual(await run(), a);
    assert.ok(a[29].dReal - a[29].dFake > a[0].dReal - a[0].dFake, 'D learned nothing');
  });
});
