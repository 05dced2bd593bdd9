import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { kde, Toy1dGan } from '../../src/theory/toy1d';
import { grid, integrate } from '../../src/theory/minimax';

describe('1-D toy GAN (Figure 1)', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('KDE integrates to ~1', () => {
    const g = grid(-5, 5, 501);
    const samples = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 1.5);
    assert.ok(Math.abs(integrate(kde(samples, g), g.dx) - 1) < 0.01);
  });

  it('moves p_g onto p_data, V towards −log 4, without leaking tensors', () => {
    const toy = new Toy1dGan({ seed: 3, batchSize: 64, hidden: 16 });
    const before = toy.generatorMoments();
    toy.trainStep();
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 400; i++) toy.trainStep();
    assert.equal(tf.memory().numTensors, n0, 'no tensor leaks across steps');
    const after = toy.generatorMoments();
    assert.ok(Math.abs(after.mean - 1) < Math.abs(before.mean - 1), `mean ${before.mean} → ${after.mean}`);
    assert.ok(Math.abs(after.mean - 1) < 0.25, `mean ${after.mean}`);
    const snap = toy.snapshot(2000);
    assert.equal(snap.xs.length, snap.pG.length);
    assert.equal(snap.mapping.length, 24);
    assert.ok(Math.abs(snap.value + Math.log(4)) < 0.35, `V ${snap.value}`);
    toy.dispose();
  });

  it('is seeded: same seed, same trajectory', () => {
    const run = () => {
      const t = new Toy1dGan({ seed: 11, batchSize: 32 });
      const h = Array.from({ length: 5 }, () => t.trainStep().dLoss);
      t.dispose();
      return h;
    };
    assert.deepEqual(run(), run());
  });
});
