/** The training step: Adam against tf.train.adam, no tensor leaks over ≥ 50 steps, k > 1, determinism. */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, disposeModels, type ModelName } from '../../src/models';
import { Adam } from '../../src/train/adam';
import { discriminatorLoss, generatorLoss } from '../../src/train/losses';
import { createTrainStep, sampleNoise } from '../../src/train/step';
import { Rng } from '../../src/util/rng';
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

  it("gLrScale scales G's Adam step only: D's update is unchanged, G's first step doubles", async () => {
    const x = syntheticDataset(16, [8, 8, 1]).take(16);
    const firstStep = async (gLrScale: number) => {
      const m = buildModels('mlp-gan', { seed: 1, config: TINY['mlp-gan'] });
      const before = m.generator.trainableWeights.map((w) => w.read().dataSync().slice());
      const step = createTrainStep(m, { seed: 2, lr: 1e-3, gLrScale });
      await step(x);
      const dG = m.generator.trainableWeights.map((w, i) =>
        Array.from(w.read().dataSync(), (v, j) => v - before[i][j]),
      );
      const d = m.discriminator.trainableWeights.map((w) => Array.from(w.read().dataSync()));
      assert.equal(step.gOptimizer.config.lr, 1e-3 * gLrScale);
      step.dispose();
      disposeModels(m);
      return { dG: dG.flat(), d: d.flat() };
    };
    const one = await firstStep(1);
    const two = await firstStep(2);
    assert.deepEqual(two.d, one.d);
    // Adam's first step is lr·g/(|g| + ε): twice the lr, twice the move
    let worst = 0;
    one.dG.forEach((v, i) => (worst = Math.max(worst, Math.abs(two.dG[i] - 2 * v))));
    assert.ok(worst < 1e-6, `largest |ΔG(2) − 2·ΔG(1)| = ${worst}`);
    assert.ok(Math.max(...one.dG.map(Math.abs)) > 5e-4, 'G moved');
    x.dispose();
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

  /** Trainable weights of G and D after `steps` steps of `run` on fresh tiny models (same seeds every call). */
  async function weightsAfter(
    name: ModelName,
    steps: number,
    run: (m: ReturnType<typeof buildModels>, x: tf.Tensor4D) => Promise<void>,
  ): Promise<Float32Array[]> {
    const m = buildModels(name, { seed: 4, config: TINY[name] });
    const x = tf.randomUniform([8, ...m.imageShape], -1, 1, 'float32', 5) as tf.Tensor4D;
    for (let i = 0; i < steps; i++) await run(m, x);
    // (BatchNorm's moving statistics are left out: the reference runs G twice, so it updates them twice.)
    const w = [...m.generator.trainableWeights, ...m.discriminator.trainableWeights].map(
      (t) => t.read().dataSync() as Float32Array,
    );
    x.dispose();
    disposeModels(m);
    return w;
  }

  for (const name of ['mlp-gan', 'dcgan-28'] as ModelName[]) {
    it(`${name}: reuseFakes runs G forward once and matches the two-pass algorithm on the same noise`, async () => {
      // Reference: PyTorch's DCGAN tutorial order, written out with G run twice on one z.
      let ref: { rng: Rng; d: Adam; g: Adam } | undefined;
      const expected = await weightsAfter(name, 3, async (m, x) => {
        const gVars = m.generator.trainableWeights.map((w) => w.read() as tf.Variable);
        const dVars = m.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
        ref ??= { rng: new Rng(9), d: new Adam(dVars), g: new Adam(gVars) };
        const r = ref;
        tf.tidy(() => {
          const z = sampleNoise(r.rng, 8, m.latentDim);
          const fake = m.generator.apply(z, { training: true }) as tf.Tensor;
          const d = tf.variableGrads(() => {
            const real = m.discriminator.apply(x, { training: true }) as tf.Tensor;
            const f = m.discriminator.apply(fake, { training: true }) as tf.Tensor;
            return discriminatorLoss(real, f, 0);
          }, dVars);
          r.d.apply(dVars.map((v) => d.grads[v.name]));
          const g = tf.variableGrads(() => {
            const f = m.discriminator.apply(m.generator.apply(z, { training: true }), { training: true });
            return generatorLoss('nonsaturating', f as tf.Tensor);
          }, gVars);
          r.g.apply(gVars.map((v) => g.grads[v.name]));
        });
      });
      ref?.d.dispose();
      ref?.g.dispose();
      let step: ReturnType<typeof createTrainStep> | undefined;
      let leaked = 0;
      const got = await weightsAfter(name, 3, async (m, x) => {
        step ??= createTrainStep(m, { seed: 9, reuseFakes: true });
        const before = tf.memory().numTensors;
        await step(x);
        if (step.gOptimizer.step > 1) leaked += tf.memory().numTensors - before;
      });
      step?.dispose();
      assert.equal(leaked, 0, 'tensors leaked');
      assert.equal(got.length, expected.length);
      got.forEach((w, i) =>
        w.forEach((v, j) =>
          assert.ok(Math.abs(v - expected[i][j]) < 1e-6, `weight ${i}[${j}]: ${v} vs ${expected[i][j]}`),
        ),
      );
      // And it is a different trajectory from fresh noise for G (reuseFakes off): not a no-op flag.
      let plain: ReturnType<typeof createTrainStep> | undefined;
      const other = await weightsAfter(name, 3, async (m, x) => {
        plain ??= createTrainStep(m, { seed: 9, reuseFakes: false });
        await plain(x);
      });
      plain?.dispose();
      assert.ok(other.some((w, i) => w.some((v, j) => v !== got[i][j])));
    });
  }
});
