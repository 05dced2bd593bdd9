import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { loadMnist } from '../../src/data/mnist';
import { DigitMetrics } from '../../src/metrics/digits';
import {
  comparisonTable,
  conclusions,
  meetsBar,
  realRow,
  runOne,
  summarize,
  summarizeBudget,
  untrainedRows,
  type ComparisonRun,
  type CurvePoint,
} from '../../src/compare/experiment';

const budgets = { epochs: 4, seconds: 300 };

const point = (step: number, confident: number, classes: number, fid: number, sec: number): CurvePoint => ({
  step,
  epochs: step / 125,
  trainSeconds: sec,
  confident,
  classesCovered: classes,
  klToUniform: 0.1,
  classifierFid: fid,
  genMsPerImage: 0.05,
});

/** A fake run: `at` both budgets from the given points (no tensors: conclusions read numbers only). */
function fakeRun(
  recipe: 'mnist-mlp-gan' | 'mnist-dcgan',
  seed: number,
  atEpochs: CurvePoint,
  atSeconds: CurvePoint,
  imgPerSec: number,
): ComparisonRun {
  const curve = [point(0, 0, 2, 500, 0), ...[atEpochs, atSeconds].sort((a, b) => a.step - b.step)];
  return {
    recipe,
    model: recipe === 'mnist-mlp-gan' ? 'mlp-gan' : 'dcgan-28',
    seed,
    batchSize: 64,
    stepsPerEpoch: 125,
    steps: Math.max(atEpochs.step, atSeconds.step),
    trainSeconds: Math.max(atEpochs.trainSeconds, atSeconds.trainSeconds),
    imgPerSec,
    params: { generator: 1_000_000, discriminator: 500_000 },
    curve,
    at: { epochs: atEpochs, seconds: atSeconds },
    samples: {} as ComparisonRun['samples'],
  };
}

describe('GAN vs DCGAN comparison', () => {
  it('summarizes with the sample standard deviation', () => {
    const s = summarize([1, 2, 3]);
    assert.equal(s.mean, 2);
    assert.equal(s.std, 1);
    assert.equal(summarize([5]).std, 0);
  });

  it('applies the bar: ≥ 9 classes and ≥ 50 % confident', () => {
    assert.ok(meetsBar({ confident: 0.5, classesCovered: 9 }));
    assert.ok(!meetsBar({ confident: 0.49, classesCovered: 10 }));
    assert.ok(!meetsBar({ confident: 0.9, classesCovered: 8 }));
  });

  it('names no winner when a model is below the bar, and says which one', () => {
    // mlp-gan: weak at 4 epochs (500 steps), good at 300 s (2,000 steps); dcgan-28: weak at both.
    const runs = [1, 2, 3].flatMap((seed) => [
      fakeRun(
        'mnist-mlp-gan',
        seed,
        point(500, 0.1, 7, 300, 75),
        point(2000, 0.6 + seed / 100, 10, 90, 300),
        420,
      ),
      fakeRun('mnist-dcgan', seed, point(500, 0.36, 10, 160, 300), point(500, 0.36, 10, 160, 300), 105),
    ]);
    const c = conclusions(runs, budgets);
    assert.match(
      c[0],
      /^At equal epochs \(4 epochs\): mlp-gan and dcgan-28 are not trained enough to compare .*No winner is named/,
    );
    assert.match(
      c[1],
      /dcgan-28 is not trained enough to compare — dcgan-28: 36 ± 0 % confident, 10\.0 ± 0\.0 classes, 0\/3 seeds over the bar; mlp-gan is over the bar \(mlp-gan: 62 ± 1 % confident, 10\.0 ± 0\.0 classes, 3\/3 seeds over the bar\)\. No winner is named at equal wall-clock \(300 s of training\); the bar is ≥ 9\/10 classes/,
    );
    assert.ok(!c.some((l) => /Winner/.test(l)), c.join('\n'));
    assert.match(
      c[2],
      /mlp-gan first met the bar after 2000 steps \(16\.0 epochs, 300 s of training\) in 3 of 3 seeds/,
    );
    assert.match(c[3], /dcgan-28 met the bar in none of 3 seeds within its 500 steps/);
    // 1000 / 105 = 9.52 ms vs 1000 / 420 = 2.38 ms per training image: 4.0× more.
    assert.match(
      c[4],
      /Cost per training image: dcgan-28 9\.52 ms, mlp-gan 2\.38 ms \(4\.0× more for dcgan-28\)/,
    );
  });

  it('names a winner only when both pass and the gap exceeds the seed spread', () => {
    const both = (dcConf: number, dcFid: number) =>
      [1, 2, 3].flatMap((seed) => [
        fakeRun(
          'mnist-mlp-gan',
          seed,
          point(1000, 0.6 + seed / 100, 10, 90 + seed, 150),
          point(2000, 0.7, 10, 70, 300),
          420,
        ),
        fakeRun(
          'mnist-dcgan',
          seed,
          point(1000, dcConf + seed / 100, 10, dcFid + seed, 600),
          point(500, 0.55, 10, 120, 300),
          105,
        ),
      ]);
    const clear = conclusions(both(0.8, 40), budgets);
    assert.match(
      clear[0],
      /At equal epochs \(4 epochs\), dcgan-28 makes more confidently classified digits: 82 ± 1 % vs 62 ± 1 % \(20 points, a gap larger/,
    );
    assert.match(clear[1], /dcgan-28 42\.0 ± 1\.0 vs mlp-gan 92\.0 ± 1\.0, 2\.19× lower for dcgan-28/);
    assert.equal(clear[2], 'Winner at equal epochs (4 epochs): dcgan-28.');
    const close = conclusions(both(0.61, 40), budgets);
    assert.match(close[0], /within the seed-to-seed spread/);
    assert.match(close[2], /^No clear winner at equal epochs/);
    // At 300 s both pass in the fake data: mlp-gan 70 % vs 55 %, identical across seeds (spread 0).
    assert.equal(close[5], 'Winner at equal wall-clock (300 s of training): mlp-gan.');
  });

  it('tables every model × budget beside the reference rows', () => {
    const runs = [
      fakeRun('mnist-mlp-gan', 1, point(500, 0.1, 7, 300, 75), point(2000, 0.6, 10, 90, 300), 420),
    ];
    const rows = [...summarizeBudget(runs, 'epochs'), ...summarizeBudget(runs, 'seconds')];
    const t = comparisonTable(rows, untrainedRows(runs), budgets);
    assert.match(t, /\| mlp-gan \| 4 epochs \| 500 \| 4\.0 \| 75 \| 10\.0 \| 7\.0 \|/);
    assert.match(
      t,
      /\| mlp-gan \| 300 s of training \| 2000 \| 16\.0 \| 300 \| 60\.0 \| 10\.0 \|.* \| 1\/1 \|/,
    );
    assert.match(t, /\| untrained mlp-gan \(initial weights\) \| — \| — \| — \| — \| 0\.0 \| 2\.0 \|/);
  });

  it('trains until both budgets pass and reads each off the curve (tiny, real metrics)', async () => {
    await initBackend({ force: 'wasm' });
    const train = await loadMnist({ split: 'train' });
    const test = await loadMnist({ split: 'test' });
    const real = test.take(300);
    const metrics = await DigitMetrics.load({ real });
    const n0 = tf.memory().numTensors;
    const run = await runOne({
      recipe: 'mnist-mlp-gan',
      profile: 'quick',
      dataset: train.head(128),
      seed: 1,
      budgets: { epochs: 2, seconds: 1e-6 },
      metrics,
      evalSamples: 100,
    });
    // 128 digits at batch 64: 2 steps per epoch, so 2 epochs end at step 4; any time passes after step 1.
    assert.equal(run.at.seconds.step, 1);
    assert.equal(run.at.epochs.step, 4);
    assert.equal(run.steps, 4, 'stops once both budgets are passed');
    assert.deepEqual(
      run.curve.map((p) => p.step),
      [0, 1, 2, 4],
      'step 0, the time budget, every epoch, the epoch budget',
    );
    assert.ok(run.curve.every((p) => Number.isFinite(p.classifierFid) && p.classifierFid > 0));
    assert.ok(run.curve.every((p) => p.confident >= 0 && p.confident <= 1));
    assert.equal(run.model, 'mlp-gan');
    assert.deepEqual(run.samples.epochs.shape, [64, 28, 28, 1]);
    tf.dispose([run.samples.epochs, run.samples.seconds]);
    const ref = await realRow(metrics, train, 100, 2);
    assert.equal(ref.confident.n, 2);
    assert.ok(ref.confident.mean > 0.8, `real digits are confidently classified (${ref.confident.mean})`);
    assert.equal(tf.memory().numTensors, n0, 'no tensors left behind');
    await assert.rejects(
      runOne({
        recipe: 'mnist-mlp-gan',
        profile: 'quick',
        dataset: train.head(128),
        seed: 1,
        metrics,
        budgets: { epochs: 0, seconds: 1 },
      }),
      /Expected budgets\.epochs to be a positive number, but got 0\./,
    );
    real.dispose();
    metrics.dispose();
  });
});
