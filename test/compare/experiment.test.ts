import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { loadMnist } from '../../src/data/mnist';
import { DigitMetrics } from '../../src/metrics/digits';
import {
  conclusions,
  runOne,
  summarize,
  summarizeRuns,
  summaryTable,
  type ModelSummary,
} from '../../src/compare/experiment';

const row = (model: 'mlp-gan' | 'dcgan-28', fid: number, std: number): ModelSummary => ({
  model,
  budget: '2 epochs',
  finalFid: { mean: fid, std, n: 3 },
  classesCovered: { mean: 10, std: 0, n: 3 },
  klToUniform: { mean: 0.05, std: 0.01, n: 3 },
  imgPerSec: { mean: 100, std: 5, n: 3 },
  secondsPerEpoch: { mean: 80, std: 2, n: 3 },
  epochs: { mean: 2, std: 0, n: 3 },
  collapseEvents: 0,
  params: model === 'mlp-gan' ? 2_019_857 : 2_000_000,
  trainingStateMB: 24,
});

describe('GAN vs DCGAN comparison', () => {
  it('summarizes with the sample standard deviation', () => {
    const s = summarize([1, 2, 3]);
    assert.equal(s.mean, 2);
    assert.equal(s.std, 1);
    assert.equal(summarize([5]).std, 0);
  });

  it('draws conclusions from the numbers: winner, factor, and whether the spread allows a claim', () => {
    const clear = conclusions([row('mlp-gan', 60, 5), row('dcgan-28', 20, 3)], []);
    assert.match(
      clear[0],
      /dcgan-28 reaches a lower classifier-FID than mlp-gan: 20\.0 ± 3\.0 vs 60\.0 ± 5\.0, 3\.00× lower, a gap larger/,
    );
    const unclear = conclusions([], [row('mlp-gan', 22, 5), row('dcgan-28', 20, 3)]);
    assert.match(unclear[0], /not a clear win/);
    assert.match(summaryTable([row('mlp-gan', 60, 5)]), /\| mlp-gan \| 2 epochs \| 60\.0 ± 5\.0 \|/);
  });

  it('runs one model under an epoch budget and evaluates it (tiny, real metrics)', async () => {
    await initBackend({ force: 'wasm' });
    const train = await loadMnist({ split: 'train' });
    const test = await loadMnist({ split: 'test' });
    const real = test.take(300);
    const metrics = await DigitMetrics.load({ real });
    const n0 = tf.memory().numTensors;
    const run = await runOne({
      model: 'mlp-gan',
      dataset: train.head(128),
      seed: 1,
      budget: { kind: 'epochs', epochs: 2 },
      metrics,
      evalSamples: 100,
    });
    assert.equal(run.steps, 4);
    assert.equal(run.evals.length, 2);
    assert.ok(run.evals.every((e) => Number.isFinite(e.classifierFid) && e.classifierFid > 0));
    assert.ok(
      run.trainingStateBytes > (run.params.generator + run.params.discriminator) * 4,
      'weights + Adam state',
    );
    assert.deepEqual(run.samples.shape, [64, 28, 28, 1]);
    run.samples.dispose();
    assert.equal(tf.memory().numTensors, n0, 'no tensors left behind');
    const [summary] = summarizeRuns([run]);
    assert.equal(summary.model, 'mlp-gan');
    real.dispose();
    metrics.dispose();
  });
});

describe('comparison conclusions with a single seed', () => {
  it('says the spread is unknown instead of claiming a clear gap', () => {
    const one = (model: 'mlp-gan' | 'dcgan-28', fid: number): ModelSummary => ({
      ...row(model, fid, 0),
      finalFid: { mean: fid, std: 0, n: 1 },
    });
    const c = conclusions([one('mlp-gan', 50), one('dcgan-28', 40)], []);
    assert.match(c[0], /from one seed each/);
    assert.match(
      c[2],
      /dcgan-28 trains at 100 ± 5 img\/s and mlp-gan at 100 ± 5 img\/s on this backend \(1\.0× slower\)/,
    );
  });
});
