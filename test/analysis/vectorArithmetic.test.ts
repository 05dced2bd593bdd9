import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import {
  conceptArithmetic,
  conceptCentroids,
  examplesWithAttributes,
  nearestCentroid,
  noiseVariations,
  pixelFeatures,
  sampleBank,
  selectExemplars,
  SMILING_MAN,
  vectorArithmetic,
  type GatherableDataset,
} from '../../src/analysis/vectorArithmetic';
import { buildModels, disposeModels } from '../../src/models';
import { MemoryStore, Uint8Dataset } from '../../src/data/uint8Dataset';
import { Rng } from '../../src/util/rng';

/** n images of 8×8×3 whose pixel value encodes (Smiling, Male), with those attributes. */
function syntheticFaces(n: number): Uint8Dataset {
  const names = ['Male', 'Smiling', 'Eyeglasses'];
  const data = new Uint8Array(n * 8 * 8 * 3);
  const values = new Int8Array(n * names.length);
  for (let i = 0; i < n; i++) {
    const male = i % 2 === 0 ? 1 : -1;
    const smiling = i % 3 === 0 ? 1 : -1;
    values.set([male, smiling, -1], i * names.length);
    // top half brightness = male, bottom half = smiling
    for (let p = 0; p < 64; p++) {
      const v = p < 32 ? (male > 0 ? 200 : 50) : smiling > 0 ? 220 : 30;
      data.fill(v, (i * 64 + p) * 3, (i * 64 + p + 1) * 3);
    }
  }
  return new Uint8Dataset({
    name: 'synthetic',
    source: 'test',
    standIn: true,
    shape: [8, 8, 3],
    store: new MemoryStore(data, 8 * 8 * 3),
    attributes: { names, values },
  });
}

describe('analysis: vector arithmetic on z (Radford et al. 2015, Figure 7)', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('picks, per concept, the samples nearest to it with the largest margin over the other concepts', () => {
    // Three centroids in 2-D; samples placed by hand. For concept 0 at (0, 0) against (10, 0) and (0, 10),
    // the margin of x is min over others of ‖x − m_o‖² − ‖x − m_0‖².
    const centroids = tf.tensor2d([
      [0, 0],
      [10, 0],
      [0, 10],
    ]);
    const features = tf.tensor2d([
      [9, 0], // 0: near concept 1
      [-3, -3], // 1: deep in concept 0's side (margin 100 + 60 = 160 vs both)
      [0.5, 0.5], // 2: concept 0, margin 90
      [0, 9.5], // 3: concept 2, best
      [11, 1], // 4: concept 1, best
      [5, 5], // 5: equidistant from all three? no: ‖·‖² 50, 50, 50 → margin 0 for all
      [0, 7], // 6: concept 2
      [7, 0], // 7: concept 1
    ]);
    const ex = selectExemplars(features, centroids, 2);
    assert.deepEqual(ex.indices, [
      [1, 2],
      [4, 0],
      [3, 6],
    ]);
    // Margins by hand for sample 1 and concept 0: ‖(-3,-3)-(10,0)‖² = 178, ‖(-3,-3)-(0,10)‖² = 178, ‖(-3,-3)‖² = 18.
    assert.ok(Math.abs(ex.margins[0][0] - (178 - 18)) < 1e-3);
    // Sample 4 for concept 1: ‖(11,1)‖² = 122, ‖(11,1)-(0,10)‖² = 202, ‖(11,1)-(10,0)‖² = 2 → 120.
    assert.ok(Math.abs(ex.margins[1][0] - 120) < 1e-3);
    assert.deepEqual(Array.from(nearestCentroid(features, centroids)), [1, 0, 0, 2, 1, 0, 2, 1]);
    tf.dispose([centroids, features]);
  });

  it('refuses bad shapes and counts', () => {
    const [f, c22, c13, c23] = [
      tf.zeros([4, 3]),
      tf.zeros([2, 2]),
      tf.zeros([1, 3]),
      tf.zeros([2, 3]),
    ] as tf.Tensor2D[];
    assert.throws(() => selectExemplars(f, c22), /one size/);
    assert.throws(() => selectExemplars(f, c13), /at least 2 centroids/);
    assert.throws(() => selectExemplars(f, c23, 5), /perConcept/);
    tf.dispose([f, c22, c13, c23]);
  });

  it('averages exemplar z per concept and combines them exactly', () => {
    const rng = new Rng(3);
    const zv = Array.from({ length: 10 }, () => Array.from({ length: 5 }, () => rng.normal()));
    const z = tf.tensor2d(zv);
    const ex = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ];
    const { conceptZ, result } = conceptArithmetic(z, ex, [1, -1, 1]);
    assert.deepEqual(conceptZ.shape, [3, 5]);
    assert.deepEqual(result.shape, [5]);
    const mean = (ix: number[]) => zv[0].map((_, j) => ix.reduce((s, i) => s + zv[i][j], 0) / ix.length);
    const [a, b, c] = ex.map(mean);
    const want = a.map((_, j) => a[j] - b[j] + c[j]);
    const got = result.arraySync();
    want.forEach((w, j) => assert.ok(Math.abs(got[j] - w) < 1e-5, `coordinate ${j}: ${got[j]} vs ${w}`));
    const cz = conceptZ.arraySync();
    b.forEach((w, j) => assert.ok(Math.abs(cz[1][j] - w) < 1e-6));
    assert.throws(() => conceptArithmetic(z, ex, [1, -1]), /one sign per concept/);
    assert.throws(() => conceptArithmetic(z, [[0], [10]], [1, 1]), /outside/);
    tf.dispose([z, conceptZ, result]);
  });

  it('keeps z at the centre of the variations and the noise within ±scale', () => {
    const z = tf.tensor1d([1, -2, 0.5, 3]);
    const v = noiseVariations(z, 8, 0.25, 1);
    assert.deepEqual(v.shape, [9, 4]);
    const rows = v.arraySync();
    assert.deepEqual(rows[4], [1, -2, 0.5, 3]);
    let maxDev = 0;
    rows.forEach((r, i) => {
      r.forEach((x, j) => {
        const dev = Math.abs(x - [1, -2, 0.5, 3][j]);
        assert.ok(dev <= 0.25 + 1e-6);
        if (i !== 4) maxDev = Math.max(maxDev, dev);
      });
    });
    assert.ok(maxDev > 0.1, 'the variations must actually vary');
    assert.deepEqual(noiseVariations(z, 8, 0.25, 1).arraySync(), rows, 'seeded');
    tf.dispose([z, v]);
  });

  it('pools pixel features by block averages', () => {
    const img = tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4, 1],
    );
    assert.deepEqual(pixelFeatures(img, 2).arraySync(), [
      [(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4, 10.5, 12.5],
    ]);
    assert.throws(() => pixelFeatures(img, 3), /divisible/);
    img.dispose();
  });

  it('finds attribute combinations and their mean real images', () => {
    const ds = syntheticFaces(12);
    const smilingMen = examplesWithAttributes(ds, { Smiling: 1, Male: 1 });
    assert.deepEqual(Array.from(smilingMen), [0, 6]);
    assert.throws(() => examplesWithAttributes(ds, { Smiling: 1, Beard: 1 }), /Unknown attribute "Beard"/);
    const { centroids, counts } = conceptCentroids(
      ds as GatherableDataset,
      [
        { name: 'smiling man', attributes: { Smiling: 1, Male: 1 } },
        { name: 'neutral woman', attributes: { Smiling: -1, Male: -1 } },
      ],
      { pool: 8 },
    );
    assert.deepEqual(counts, [2, 4]);
    const c = centroids.arraySync();
    // 8×8 pooled to one pixel: mean of the top (male) and bottom (smiling) halves, in [-1, 1].
    const u = (v: number) => v / 127.5 - 1;
    assert.ok(Math.abs(c[0][0] - (u(200) + u(220)) / 2) < 1e-5);
    assert.ok(Math.abs(c[1][0] - (u(50) + u(30)) / 2) < 1e-5);
    assert.throws(
      () => conceptCentroids(ds as GatherableDataset, [{ name: 'glasses', attributes: { Eyeglasses: 1 } }]),
      /No real image of "glasses"/,
    );
    centroids.dispose();
  });

  it('runs the Figure 7 pipeline end to end without leaking tensors', () => {
    // A tiny dcgan-64 generator and 64×64 synthetic faces with Smiling / Male attributes.
    const n = 24;
    const names = ['Male', 'Smiling'];
    const rng = new Rng(5);
    const data = Uint8Array.from({ length: n * 64 * 64 * 3 }, () => rng.int(256));
    const values = new Int8Array(n * 2);
    // all four (Male, Smiling) combinations, six images each
    for (let i = 0; i < n; i++) values.set([i % 2 ? 1 : -1, (i >> 1) % 2 ? 1 : -1], i * 2);
    const ds = new Uint8Dataset({
      name: 'synthetic64',
      source: 'test',
      standIn: true,
      shape: [64, 64, 3],
      store: new MemoryStore(data, 64 * 64 * 3),
      attributes: { names, values },
    });
    const models = buildModels('dcgan-64', { seed: 1, config: { ngf: 4, ndf: 4, latentDim: 8 } });
    const bank = sampleBank(models.generator, 8, 20, 3, { batch: 7 });
    assert.deepEqual(bank.z.shape, [20, 8]);
    assert.deepEqual(bank.features.shape, [20, 16 * 16 * 3]);
    const before = tf.memory().numTensors;
    const r = vectorArithmetic(bank, models.generator, ds, SMILING_MAN, { seed: 2 });
    r.z.dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.equal(r.concepts.length, 3);
    r.concepts.forEach((c) => assert.equal(c.exemplars.length, 3));
    assert.equal(r.equation, 'smiling woman − neutral woman + neutral man = smiling man?');
    assert.equal(
      Object.values(r.resultClasses).reduce((a, b) => a + b, 0),
      9,
    );
    assert.equal(
      Object.values(r.baselineClasses).reduce((a, b) => a + b, 0),
      1,
    );
    // Columns of 3 exemplars, a 12 px gap, then G(mean z) (tiles 64 px at scale 2, padding 2), captions above.
    assert.equal(r.picture.height, 20 + (3 * 66 + 2) * 2 + 12 + (66 + 2) * 2);
    bank.dispose();
    disposeModels(models);
  });
});
