import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { loadMnist } from '../../src/data/mnist';
import {
  accuracy,
  buildClassifier,
  DEFAULT_WEIGHTS,
  loadClassifier,
  saveClassifier,
} from '../../src/metrics/classifier';
import { DigitMetrics } from '../../src/metrics/digits';

describe('MNIST classifier (metrics backbone)', () => {
  before(async () => {
    await initBackend({ force: 'wasm' });
  });

  it('the committed weights classify the held-out digits at ≥ 98%', async () => {
    const { model, manifest } = loadClassifier(DEFAULT_WEIGHTS);
    const test = await loadMnist({ split: 'test' });
    const acc = accuracy(model, test);
    assert.ok(acc >= 0.98, `test accuracy ${acc}`);
    assert.ok(
      Math.abs(acc - manifest.testAccuracy) < 0.005,
      `manifest says ${manifest.testAccuracy}, measured ${acc}`,
    );
    model.dispose();
  });

  it('classifier-FID: real test digits vs themselves ≈ 0, vs noise and vs one repeated digit ≫ 0', async () => {
    const test = await loadMnist({ split: 'test' });
    const real = test.take(800);
    const metrics = await DigitMetrics.load({ real });
    const same = metrics.score(real);
    assert.ok(same.classifierFid < 1e-3, `self FID ${same.classifierFid}`);
    assert.equal(same.coverage.classesCovered, 10);
    const noise = tf.randomUniform([300, 28, 28, 1], -1, 1, 'float32', 1) as tf.Tensor4D;
    const collapsed = tf.tile(real.slice([0, 0, 0, 0], [1, -1, -1, -1]), [300, 1, 1, 1]) as tf.Tensor4D;
    const trainSet = await loadMnist({ split: 'train' });
    const otherReal = trainSet.take(800);
    const fidNoise = metrics.score(noise).classifierFid;
    const fidCollapsed = metrics.score(collapsed);
    const fidOther = metrics.score(otherReal).classifierFid;
    assert.ok(fidOther < fidNoise / 10, `real-vs-real ${fidOther}, noise ${fidNoise}`);
    assert.ok(
      fidOther < fidCollapsed.classifierFid,
      `real ${fidOther} vs collapsed ${fidCollapsed.classifierFid}`,
    );
    assert.equal(fidCollapsed.coverage.classesCovered, 1);
    tf.dispose([real, noise, collapsed, otherReal]);
    metrics.dispose();
  });

  it('refuses truncated or mismatched weight files with the file named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cls-'));
    const base = path.join(dir, 'w');
    const m = buildClassifier(3);
    saveClassifier(m, base, { testAccuracy: 0, trainedOn: 'test', backend: 'wasm', epochs: 0 });
    const ok = loadClassifier(base);
    assert.deepEqual(
      ok.model.getWeights()[0].dataSync().slice(0, 5),
      m.getWeights()[0].dataSync().slice(0, 5),
    );
    ok.model.dispose();
    const bin = fs.readFileSync(`${base}.bin`);
    fs.writeFileSync(`${base}.bin`, bin.subarray(0, bin.length - 8));
    assert.throws(() => loadClassifier(base), /w\.bin: (truncated|expected)/);
    fs.writeFileSync(`${base}.bin`, bin);
    const manifest = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
    manifest.weights[0].shape = [3, 3, 1, 32];
    fs.writeFileSync(`${base}.json`, JSON.stringify(manifest));
    assert.throws(
      () => loadClassifier(base),
      /w\.json: weight 0 .* has shape \[3,3,1,32\], the model expects \[5,5,1,32\]/,
    );
    assert.throws(() => loadClassifier(path.join(dir, 'missing')), /npx gan train-classifier/);
    m.dispose();
  });
});
