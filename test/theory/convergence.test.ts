import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { Toy1dGan } from '../../src/theory/toy1d';

/**
 * Tutorial 01's Figure 1 (d) needs the 1-D toy to end on p_data: a short run must put G's mean and spread on
 * p_data's (N(1, 0.5²)) and C(G) near −log 4, where the untrained G is far from both. Also the two training
 * levers of Toy1dConfig: the learning-rate schedule, and the EMA of G's weights (which only changes what is
 * measured, never the training trajectory).
 */
describe('1-D toy GAN convergence', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  const small = { seed: 4, batchSize: 64, hidden: 16, lr: 2e-3, lrHalfLife: 150, lrMin: 1e-5 };

  function measure(toy: Toy1dGan): { mean: number; std: number; gap: number } {
    const m = toy.generatorMoments(8000);
    return { ...m, gap: toy.snapshot(8000).criterion + Math.log(4) };
  }

  it('halves the learning rate every lrHalfLife steps, down to lrMin', () => {
    const toy = new Toy1dGan({ lr: 1e-3, lrHalfLife: 100, lrMin: 2e-4 });
    assert.equal(toy.learningRate(), 1e-3);
    toy.step = 100;
    assert.ok(Math.abs(toy.learningRate() - 5e-4) < 1e-12);
    toy.step = 1000;
    assert.equal(toy.learningRate(), 2e-4);
    toy.dispose();
    assert.equal(new Toy1dGan({ lr: 1e-3 }).learningRate(), 1e-3, 'lrHalfLife 0 keeps lr constant');
    assert.throws(() => new Toy1dGan({ lr: 1e-3, lrMin: 2e-3 }), /lrMin ≤ lr/);
    assert.throws(() => new Toy1dGan({ gEmaDecay: 1 }), /gEmaDecay < 1/);
  });

  it('a short run gets p_g onto p_data: mean, std and C(G) near −log 4', () => {
    const toy = new Toy1dGan(small);
    const before = measure(toy);
    assert.ok(before.gap > 0.3, `untrained G: C(G) + log 4 = ${before.gap}`);
    for (let i = 0; i < 600; i++) toy.trainStep();
    const r = measure(toy);
    assert.ok(Math.abs(r.mean - 1) < 0.05, `mean ${r.mean}`);
    assert.ok(Math.abs(r.std - 0.5) < 0.05, `std ${r.std}`);
    assert.ok(r.gap < 0.05, `C(G) + log 4 = ${r.gap}`);
    assert.ok(toy.learningRate() < 2e-4, `lr at the end ${toy.learningRate()}`);
    toy.dispose();
  });

  it("the EMA of G's weights leaves training unchanged and leaks no tensors", () => {
    const losses = (gEmaDecay: number): number[] => {
      const toy = new Toy1dGan({ ...small, gEmaDecay });
      toy.trainStep();
      const n0 = tf.memory().numTensors;
      const h = Array.from({ length: 20 }, () => toy.trainStep().dLoss);
      assert.equal(tf.memory().numTensors, n0, `tensors leaked with gEmaDecay ${gEmaDecay}`);
      toy.snapshot(500);
      toy.dispose();
      return h;
    };
    assert.deepEqual(losses(0.99), losses(0));
  });
});
