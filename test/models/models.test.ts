/** Builders: published parameter counts, output shapes, seeded Radford init actually applied. */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, countTrainableParams, disposeModels, resolveConfig } from '../../src/models';

function stats(values: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const v of values) s += v;
  const mean = s / values.length;
  let q = 0;
  for (const v of values) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / values.length) };
}

function weight(model: tf.LayersModel, name: string): Float32Array {
  const w = model.weights.find((x) => x.originalName === name);
  assert.ok(w, `no weight ${name}`);
  return w.read().dataSync() as Float32Array;
}

describe('models', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('dcgan-64 has the PyTorch tutorial parameter counts (G 3,576,704, D 2,765,568)', () => {
    const m = buildModels('dcgan-64');
    try {
      assert.equal(countTrainableParams(m.generator), 3_576_704);
      assert.equal(countTrainableParams(m.discriminator), 2_765_568);
      assert.deepEqual(m.generator.outputs[0].shape, [null, 64, 64, 3]);
      assert.deepEqual(m.discriminator.outputs[0].shape, [null, 1]);
    } finally {
      disposeModels(m);
    }
  });

  it('mlp-gan and dcgan-28 match their closed-form parameter counts and shapes', () => {
    const mlp = buildModels('mlp-gan');
    const dc = buildModels('dcgan-28');
    try {
      const dense = (i: number, o: number) => i * o + o;
      assert.equal(
        countTrainableParams(mlp.generator),
        dense(100, 256) + dense(256, 512) + dense(512, 1024) + dense(1024, 784),
      );
      assert.equal(
        countTrainableParams(mlp.discriminator),
        dense(784, 512) + dense(512, 256) + dense(256, 1),
      );
      // dense 100→12544 (no bias) + BN 12544 + convT 256→128 (no bias) + BN 128 + convT 128→1 (+bias)
      assert.equal(
        countTrainableParams(dc.generator),
        100 * 12544 + 2 * 12544 + 16 * 256 * 128 + 2 * 128 + 16 * 128 + 1,
      );
      // conv 1→64 (+bias) + conv 64→128 (no bias) + BN 128 + dense 6272→1
      assert.equal(countTrainableParams(dc.discriminator), 16 * 64 + 64 + 16 * 64 * 128 + 2 * 128 + 6272 + 1);
      for (const m of [mlp, dc]) {
        assert.deepEqual(m.generator.outputs[0].shape, [null, 28, 28, 1]);
        assert.deepEqual(m.discriminator.outputs[0].shape, [null, 1]);
        assert.deepEqual(m.imageShape, [28, 28, 1]);
      }
    } finally {
      disposeModels(mlp);
      disposeModels(dc);
    }
  });

  it('dcgan-28 with gConv7 adds one 3×3 conv + BatchNorm at 7×7 to G only', () => {
    const plain = buildModels('dcgan-28', { config: { ngf: 8, ndf: 8 } });
    const deep = buildModels('dcgan-28', { config: { ngf: 8, ndf: 8, gConv7: true } });
    try {
      // 3×3 conv 32→32 (no bias) + BN γ, β of 32
      assert.equal(
        countTrainableParams(deep.generator) - countTrainableParams(plain.generator),
        9 * 32 * 32 + 2 * 32,
      );
      assert.equal(countTrainableParams(deep.discriminator), countTrainableParams(plain.discriminator));
      assert.ok(deep.generator.getLayer('g_conv7'));
      assert.deepEqual(deep.generator.outputs[0].shape, [null, 28, 28, 1]);
      assert.throws(() => resolveConfig('dcgan-28', { gConv7: 1 } as never), /gConv7 to be true or false/);
    } finally {
      disposeModels(plain);
      disposeModels(deep);
    }
  });

  it('dcgan-28 with dConv7 adds one 3×3 conv + BatchNorm at 7×7 to D only', () => {
    const plain = buildModels('dcgan-28', { config: { ngf: 8, ndf: 8 } });
    const deep = buildModels('dcgan-28', { config: { ngf: 8, ndf: 8, dConv7: true } });
    try {
      // 3×3 conv 16→16 (no bias) + BN γ, β of 16
      assert.equal(
        countTrainableParams(deep.discriminator) - countTrainableParams(plain.discriminator),
        9 * 16 * 16 + 2 * 16,
      );
      assert.equal(countTrainableParams(deep.generator), countTrainableParams(plain.generator));
      assert.ok(deep.discriminator.getLayer('d_conv7'));
      assert.deepEqual(deep.discriminator.outputs[0].shape, [null, 1]);
      assert.throws(
        () => resolveConfig('dcgan-28', { dConv7: 'yes' } as never),
        /dConv7 to be true or false/,
      );
    } finally {
      disposeModels(plain);
      disposeModels(deep);
    }
  });

  it('applies Radford init: kernels N(0, 0.02), γ N(1, 0.02), β = 0, biases 0', () => {
    const m = buildModels('dcgan-28', { seed: 3 });
    try {
      const k = stats(weight(m.generator, 'g_dense/kernel')); // 1.25 M draws
      assert.ok(Math.abs(k.mean) < 1e-3, `mean ${k.mean}`);
      assert.ok(Math.abs(k.std - 0.02) < 2e-4, `std ${k.std}`);
      const g = stats(weight(m.generator, 'g_bn0/gamma'));
      assert.ok(Math.abs(g.mean - 1) < 2e-3 && Math.abs(g.std - 0.02) < 2e-3, JSON.stringify(g));
      assert.ok(weight(m.generator, 'g_bn0/beta').every((v) => v === 0));
      assert.ok(weight(m.discriminator, 'd_conv1/bias').every((v) => v === 0));
      assert.ok(weight(m.generator, 'g_bn0/moving_variance').every((v) => v === 1));
      const dk = stats(weight(m.discriminator, 'd_conv2/kernel'));
      assert.ok(Math.abs(dk.std - 0.02) < 1e-3, `D std ${dk.std}`);
    } finally {
      disposeModels(m);
    }
  });

  it('init is seeded: same seed → identical weights, another seed → different', () => {
    const a = buildModels('mlp-gan', { seed: 7, config: { gHidden: [32], dHidden: [32] } });
    const b = buildModels('mlp-gan', { seed: 7, config: { gHidden: [32], dHidden: [32] } });
    const c = buildModels('mlp-gan', { seed: 8, config: { gHidden: [32], dHidden: [32] } });
    try {
      for (const [x, y] of [
        [a.generator, b.generator],
        [a.discriminator, b.discriminator],
      ]) {
        x.weights.forEach((w, i) => assert.deepEqual(w.read().dataSync(), y.weights[i].read().dataSync()));
      }
      assert.notDeepEqual(weight(a.generator, 'g_dense1/kernel'), weight(c.generator, 'g_dense1/kernel'));
      // G and D draw from different streams.
      assert.notEqual(
        weight(a.generator, 'g_dense1/kernel')[0],
        weight(a.discriminator, 'd_dense1/kernel')[0],
      );
    } finally {
      [a, b, c].forEach(disposeModels);
    }
  });

  it('validates configs with clear messages', () => {
    assert.throws(
      () => resolveConfig('dcgan-64', { ngf: 0 }),
      /Expected dcgan-64 ngf to be a positive integer/,
    );
    assert.throws(() => resolveConfig('dcgan-28', { foo: 1 } as never), /Unknown dcgan-28 config key "foo"/);
    assert.throws(() => buildModels('nope' as never), /Unknown model "nope"/);
    assert.throws(() => resolveConfig('mlp-gan', { gHidden: [] }), /at least one layer/);
  });
});
