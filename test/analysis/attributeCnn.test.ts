import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildAttributeCnn, fitAttributeCnn } from '../../src/analysis/attributeCnn';
import { pixelFeatures, selectionCheck } from '../../src/analysis/vectorArithmetic';
import type { Uint8Dataset } from '../../src/data/uint8Dataset';
import { Rng } from '../../src/util/rng';
import { attributedDataset } from './attributedDataset';

/**
 * n grey 8×8 images: Male = a bright 2×2 patch somewhere in the top half, Smiling = one in the bottom
 * half, each at a random place (a shape to find, not a fixed pixel), on pixel noise.
 */
function patchFaces(n: number): Uint8Dataset {
  const names = ['Male', 'Smiling', 'Eyeglasses'];
  const data = new Uint8Array(n * 8 * 8 * 3);
  const values = new Int8Array(n * names.length);
  const rng = new Rng(3);
  const set = (i: number, y: number, x: number, v: number) =>
    data.fill(v, (i * 64 + y * 8 + x) * 3, (i * 64 + y * 8 + x + 1) * 3);
  for (let i = 0; i < n; i++) {
    // images 0 and 3 fixed (the test reads them), the rest at random
    const male = i === 0 || (i !== 3 && rng.next() < 0.5) ? 1 : -1;
    const smiling = i === 0 || (i !== 3 && rng.next() < 0.5) ? 1 : -1;
    values.set([male, smiling, -1], i * names.length);
    for (let p = 0; p < 64; p++) set(i, Math.floor(p / 8), p % 8, 90 + rng.int(40));
    const patch = (y0: number) => {
      const [y, x] = [y0 + rng.int(3), rng.int(7)];
      for (const [dy, dx] of [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ])
        set(i, y + dy, x + dx, 250);
    };
    if (male > 0) patch(0);
    if (smiling > 0) patch(4);
  }
  return attributedDataset('patches', [8, 8, 3], data, { names, values });
}

describe('analysis: the CNN attribute judge', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('builds four 3×3 convolutions (the first at full resolution) and one logit per attribute', () => {
    const m = buildAttributeCnn([32, 32, 3], 3, 8);
    const convs = m.layers.filter((l) => l.getClassName() === 'Conv2D');
    assert.deepEqual(
      convs.map((l) => l.outputShape),
      [
        [null, 32, 32, 8],
        [null, 16, 16, 16],
        [null, 8, 8, 32],
        [null, 4, 4, 64],
      ],
    );
    assert.deepEqual(m.outputShape, [null, 3]);
    m.dispose();
  });

  it('learns attributes drawn as shapes at random places, seeded, and leaks no tensors', async () => {
    const ds = patchFaces(240);
    const before = tf.memory().numTensors;
    const opts = { trainExamples: 180, heldOutExamples: 60, epochs: 8, batchSize: 20, lr: 5e-3, width: 4 };
    const losses: number[] = [];
    const judge = await fitAttributeCnn(ds, ['Male', 'Smiling'], {
      ...opts,
      onEpoch: (_, loss) => losses.push(loss),
    });
    assert.equal(judge.pool, 1);
    assert.equal(judge.trainExamples, 180);
    assert.equal(losses.length, 8);
    assert.ok(losses[7] < losses[0] / 2, JSON.stringify(losses));
    judge.heldOutAccuracy.forEach((a) => assert.ok(a >= 0.95, JSON.stringify(judge.heldOutAccuracy)));
    const x = tf.tidy(() => pixelFeatures(ds.take(4), 1));
    const p = tf.tidy(() => judge.predict(x).arraySync());
    // image 0: male and smiling; image 3: neither
    assert.ok(p[0][0] > 0.8 && p[0][1] > 0.8, JSON.stringify(p[0]));
    assert.ok(p[3][0] < 0.2 && p[3][1] < 0.2, JSON.stringify(p[3]));
    const again = await fitAttributeCnn(ds, ['Male', 'Smiling'], opts);
    assert.deepEqual(
      tf.tidy(() => again.predict(x).arraySync()),
      p,
    );
    again.dispose();
    // It plugs into exemplar selection like the pixel judge.
    const check = selectionCheck(
      judge,
      ds,
      [{ name: 'smiling woman', attributes: { Smiling: 1, Male: -1 } }],
      5,
    );
    assert.equal(check[0].correct, 5);
    assert.throws(() => tf.tidy(() => judge.predict(tf.zeros([2, 48]))), /8×8×3 = 192 values/);
    x.dispose();
    judge.dispose();
    assert.equal(tf.memory().numTensors, before);
    await assert.rejects(
      fitAttributeCnn(ds, ['Male'], { trainExamples: 230, heldOutExamples: 20 }),
      /sum ≤ 240/,
    );
    await assert.rejects(
      fitAttributeCnn(ds, ['Male'], { epochs: 0, trainExamples: 30 }),
      /epochs to be a positive/,
    );
  });
});
