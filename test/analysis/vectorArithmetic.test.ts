import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import {
  arithmeticOverBanks,
  arithmeticWorked,
  conceptArithmetic,
  equationEffect,
  conceptLogProb,
  examplesWithAttributes,
  fitAttributeClassifier,
  noiseVariations,
  pixelFeatures,
  sampleBank,
  selectExemplars,
  selectionCheck,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
  vectorArithmetic,
} from '../../src/analysis/vectorArithmetic';
import { buildModels, disposeModels } from '../../src/models';
import type { Uint8Dataset } from '../../src/data/uint8Dataset';
import { Rng } from '../../src/util/rng';
import { attributedDataset } from './attributedDataset';

/** n images of 8×8×3 whose pixel value encodes (Smiling, Male), with those attributes. */
function syntheticFaces(n: number): Uint8Dataset {
  const names = ['Male', 'Smiling', 'Eyeglasses'];
  const data = new Uint8Array(n * 8 * 8 * 3);
  const values = new Int8Array(n * names.length);
  const rng = new Rng(1);
  for (let i = 0; i < n; i++) {
    const male = i % 2 === 0 ? 1 : -1;
    const smiling = i % 4 < 2 ? 1 : -1;
    values.set([male, smiling, -1], i * names.length);
    // top half brightness = male, bottom half = smiling
    for (let p = 0; p < 64; p++) {
      const v = (p < 32 ? (male > 0 ? 200 : 50) : smiling > 0 ? 220 : 30) + rng.int(21) - 10;
      data.fill(v, (i * 64 + p) * 3, (i * 64 + p + 1) * 3);
    }
  }
  return attributedDataset('synthetic', [8, 8, 3], data, { names, values });
}

describe('analysis: vector arithmetic on z (Radford et al. 2015, Figure 7)', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  const smilingWoman = { name: 'smiling woman', attributes: { Smiling: 1, Male: -1 } } as const;
  const neutralWoman = { name: 'neutral woman', attributes: { Smiling: -1, Male: -1 } } as const;
  const neutralMan = { name: 'neutral man', attributes: { Smiling: -1, Male: 1 } } as const;

  it("holds each Figure 7 equation's third attribute fixed in every concept", () => {
    for (const [eq, pinned] of [
      [SMILING_MAN, 'Eyeglasses'],
      [WOMAN_WITH_GLASSES, 'Smiling'],
    ] as const) {
      const concepts = [...eq.terms.map((t) => t.concept), eq.expected];
      concepts.forEach((c) => {
        assert.deepEqual(Object.keys(c.attributes).sort(), ['Eyeglasses', 'Male', 'Smiling'], c.name);
        assert.equal(c.attributes[pinned], -1, `${c.name}: ${pinned}`);
      });
    }
  });

  it('scores a concept as the log-probability of its attribute combination', () => {
    const lp = conceptLogProb([[0.9, 0.2, 0.5]], ['Smiling', 'Male', 'Eyeglasses'], smilingWoman);
    assert.ok(Math.abs(lp[0] - (Math.log(0.9) + Math.log(0.8))) < 1e-12);
    assert.throws(
      () => conceptLogProb([[0.5]], ['Smiling'], smilingWoman),
      /uses Male, which the classifier does not know/,
    );
  });

  it('picks, per concept, the samples most likely to show it, each sample at most once', () => {
    // P(Smiling), P(Male) of 8 samples, placed by hand.
    const p = [
      [0.5, 0.5], // 0: undecided
      [0.95, 0.1], // 1: smiling woman, clearly
      [0.1, 0.05], // 2: neutral woman, clearly
      [0.2, 0.9], // 3: neutral man
      [0.8, 0.2], // 4: smiling woman
      [0.3, 0.3], // 5: neutral woman, weakly
      [0.05, 0.99], // 6: neutral man, clearly
      [0.9, 0.9], // 7: smiling man (no concept here)
    ];
    const ex = selectExemplars(p, ['Smiling', 'Male'], [smilingWoman, neutralWoman, neutralMan], 2);
    assert.deepEqual(ex.indices, [
      [1, 4],
      [2, 5],
      [6, 3],
    ]);
    assert.ok(Math.abs(ex.scores[0][0] - (Math.log(0.95) + Math.log(0.9))) < 1e-12);
    // With 3 per concept, the undecided sample 0 is the smiling woman's third choice (log 0.25 beats
    // sample 7's log 0.09); the neutral woman would also want it, but gets sample 3 instead.
    const ex3 = selectExemplars(p, ['Smiling', 'Male'], [smilingWoman, neutralWoman], 3);
    assert.deepEqual(ex3.indices[0], [1, 4, 0]);
    assert.deepEqual(ex3.indices[1], [2, 5, 3]);
    const all = ex3.indices.flat();
    assert.equal(new Set(all).size, all.length);
    assert.throws(
      () => selectExemplars(p, ['Smiling', 'Male'], [smilingWoman, neutralWoman], 5),
      /perConcept/,
    );
  });

  it('fits an attribute classifier that is right on held-out images where the attributes are visible', () => {
    const ds = syntheticFaces(60);
    const before = tf.memory().numTensors;
    const judge = fitAttributeClassifier(ds, ['Male', 'Smiling'], {
      pool: 4,
      trainExamples: 40,
      heldOutExamples: 20,
      steps: 60,
      lr: 0.05,
    });
    assert.equal(judge.trainExamples, 40);
    assert.equal(judge.heldOutExamples, 20);
    assert.deepEqual(judge.heldOutAccuracy, [1, 1]);
    // the held-out 20 (every 3rd of 60): half of them male
    assert.ok(judge.heldOutPositiveRate[0] > 0.3 && judge.heldOutPositiveRate[0] < 0.7);
    const x = tf.tidy(() => pixelFeatures(ds.take(6), 4));
    const pr = tf.tidy(() => judge.predict(x).arraySync());
    // image 0: male and smiling; image 3: neither
    assert.ok(pr[0][0] > 0.9 && pr[0][1] > 0.9, JSON.stringify(pr[0]));
    assert.ok(pr[3][0] < 0.1 && pr[3][1] < 0.1, JSON.stringify(pr[3]));
    x.dispose();
    // On the held-out images the selector finds the combination every time (20 held out: 5 per combination).
    const check = selectionCheck(judge, ds, [smilingWoman, neutralMan], 3);
    assert.deepEqual(
      check.map((c) => [c.concept, c.correct, c.top]),
      [
        ['smiling woman', 3, 3],
        ['neutral man', 3, 3],
      ],
    );
    judge.dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.throws(
      () => fitAttributeClassifier(ds, ['Male'], { trainExamples: 50, heldOutExamples: 20 }),
      /sum ≤ 60/,
    );
    assert.throws(
      () => fitAttributeClassifier(ds, ['Beard'], { trainExamples: 4, heldOutExamples: 2 }),
      /Unknown attribute "Beard"/,
    );
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

  it('finds the examples having an attribute combination', () => {
    const ds = syntheticFaces(12);
    const smilingMen = examplesWithAttributes(ds, { Smiling: 1, Male: 1 });
    assert.deepEqual(Array.from(smilingMen), [0, 4, 8]);
    assert.throws(() => examplesWithAttributes(ds, { Smiling: 1, Beard: 1 }), /Unknown attribute "Beard"/);
  });

  it('runs the Figure 7 pipeline end to end without leaking tensors', () => {
    // A tiny dcgan-64 generator and 64×64 synthetic faces with Smiling / Male / Eyeglasses attributes.
    const n = 24;
    const names = ['Male', 'Smiling', 'Eyeglasses'];
    const rng = new Rng(5);
    const data = Uint8Array.from({ length: n * 64 * 64 * 3 }, () => rng.int(256));
    const values = new Int8Array(n * 3);
    // all eight (Male, Smiling, Eyeglasses) combinations, three images each
    for (let i = 0; i < n; i++)
      values.set([i % 2 ? 1 : -1, (i >> 1) % 2 ? 1 : -1, (i >> 2) % 2 ? 1 : -1], i * 3);
    const ds = attributedDataset('synthetic64', [64, 64, 3], data, { names, values });
    const models = buildModels('dcgan-64', { seed: 1, config: { ngf: 4, ndf: 4, latentDim: 8 } });
    const bank = sampleBank(models.generator, 8, 20, 3, { batch: 7 });
    assert.deepEqual(bank.z.shape, [20, 8]);
    assert.deepEqual(bank.features.shape, [20, 32 * 32 * 3]);
    const judge = fitAttributeClassifier(ds, ['Smiling', 'Male', 'Eyeglasses'], {
      trainExamples: 16,
      heldOutExamples: 8,
      steps: 3,
    });
    const before = tf.memory().numTensors;
    const r = vectorArithmetic(bank, models.generator, judge, SMILING_MAN, { seed: 2 });
    r.z.dispose();
    assert.equal(tf.memory().numTensors, before);
    judge.dispose();
    assert.equal(r.concepts.length, 3);
    r.concepts.forEach((c) => assert.equal(c.exemplars.length, 3));
    assert.equal(r.equation, 'smiling woman − neutral woman + neutral man = smiling man?');
    assert.deepEqual(Object.keys(r.result), ['Smiling', 'Male', 'Eyeglasses']);
    assert.ok(Object.values(r.baseline).every((v) => v >= 0 && v <= 1));
    assert.equal(new Set(r.concepts.flatMap((c) => c.exemplars)).size, 9, 'nine distinct exemplars');
    // Columns of 3 exemplars, a 12 px gap, then G(mean z) (tiles 64 px at scale 2, padding 2), captions above.
    assert.equal(r.picture.height, 20 + (3 * 66 + 2) * 2 + 12 + (66 + 2) * 2);
    bank.dispose();

    // arithmeticOverBanks scores the same bank as vectorArithmetic does, equation by equation.
    const judge2 = fitAttributeClassifier(ds, ['Smiling', 'Male', 'Eyeglasses'], {
      trainExamples: 16,
      heldOutExamples: 8,
      steps: 3,
    });
    const start = tf.memory().numTensors;
    const scores = arithmeticOverBanks(
      models.generator,
      8,
      judge2,
      [SMILING_MAN, WOMAN_WITH_GLASSES],
      [3, 4],
      {
        bankSize: 20,
      },
    );
    assert.equal(tf.memory().numTensors, start, 'no tensors left behind');
    assert.deepEqual(
      scores.map((x) => [x.bankSeed, x.equation]),
      [
        [3, 'smiling man'],
        [3, 'woman with glasses'],
        [4, 'smiling man'],
        [4, 'woman with glasses'],
      ],
    );
    const again = sampleBank(models.generator, 8, 20, 4);
    [SMILING_MAN, WOMAN_WITH_GLASSES].forEach((eq, i) => {
      const v = vectorArithmetic(again, models.generator, judge2, eq, { seed: i });
      v.z.dispose();
      assert.deepEqual(scores[2 + i].before, v.baseline);
      assert.deepEqual(scores[2 + i].after, v.result);
      assert.equal(scores[2 + i].worked, arithmeticWorked(eq, v.baseline, v.result));
    });
    assert.notDeepEqual(scores[0].after, scores[2].after, 'another bank, other exemplars');
    // Five exemplars averaged, the first two drawn: the same numbers as drawing all five, a shorter picture.
    const ten = vectorArithmetic(again, models.generator, judge2, SMILING_MAN, { perConcept: 5, shown: 2 });
    const tenAll = vectorArithmetic(again, models.generator, judge2, SMILING_MAN, {
      perConcept: 5,
      shown: 5,
    });
    tf.dispose([ten.z, tenAll.z]);
    assert.deepEqual(ten.result, tenAll.result);
    assert.equal(ten.concepts[0].exemplars.length, 5);
    // Each column stacks its exemplars (tiles 64 px at scale 2, padding 2) above G(mean z).
    assert.equal(tenAll.picture.height - ten.picture.height, 3 * 66 * 2, 'two tiles per column, not five');
    again.dispose();
    judge2.dispose();
    disposeModels(models);
  });

  it('says what each Figure 7 equation should change and keep, and when it did', () => {
    assert.deepEqual(equationEffect(SMILING_MAN), { intended: { Smiling: 1 }, kept: { Male: 1 } });
    assert.deepEqual(equationEffect(WOMAN_WITH_GLASSES), { intended: { Eyeglasses: 1 }, kept: { Male: -1 } });
    const p = (Smiling: number, Male: number, Eyeglasses = 0) => ({ Smiling, Male, Eyeglasses });
    assert.equal(arithmeticWorked(SMILING_MAN, p(0.1, 0.9), p(0.4, 0.5)), true, 'rise 0.3, still a man');
    assert.equal(arithmeticWorked(SMILING_MAN, p(0.1, 0.9), p(0.39, 0.9)), false, 'rise short of 0.3');
    assert.equal(arithmeticWorked(SMILING_MAN, p(0.1, 0.9), p(0.9, 0.49)), false, 'the man was lost');
    assert.equal(arithmeticWorked(SMILING_MAN, p(0.1, 0.9), p(0.9, 0.9), 0.9), false, 'a higher bar');
    assert.equal(arithmeticWorked(WOMAN_WITH_GLASSES, p(0, 0.1, 0.1), p(0, 0.2, 0.5)), true);
    assert.equal(arithmeticWorked(WOMAN_WITH_GLASSES, p(0, 0.1, 0.1), p(0, 0.5, 0.9)), false, 'became a man');
    assert.throws(
      () => arithmeticWorked(SMILING_MAN, { Smiling: 0 }, { Smiling: 1 }),
      /Expected a probability for attribute Male/,
    );
  });
});
