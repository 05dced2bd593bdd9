import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { loadCeleba } from '../../src/data/celeba';
import { CELEBA_ATTRIBUTES, generateStandin } from '../../src/data/standin';
import {
  attributeAccuracy,
  buildFaceNet,
  DEFAULT_FACE_WEIGHTS,
  extractFaceFeatures,
  FACE_FEATURE_DIM,
  FACE_WEIGHTS_FORMAT,
  FaceMetrics,
  loadFaceNet,
  majorityAttributes,
  saveFaceNet,
} from '../../src/metrics/faces';

// The project's face folder when it holds faces (data/celeba, as the tutorials make it); else (a fresh
// clone, CI) a small procedural stand-in written here, so these tests always run.
const HOME = path.join(__dirname, '..', '..', 'data', 'celeba');
let DIR = HOME;

describe('face features (face-FID backbone)', function () {
  // Small sets, but wasm on a shared 2-core CPU: room for contention.
  this.timeout(180_000);
  let tmp: string | undefined;
  before(async () => {
    if (!fs.existsSync(path.join(HOME, 'list_attr_celeba.txt'))) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-faces-'));
      DIR = path.join(tmp, 'celeba');
      await generateStandin({ out: DIR, count: 4000 });
    }
    await initBackend({ force: 'wasm' });
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the committed weights load; the manifest is complete and matches the held-out accuracy', async () => {
    const { model, manifest } = loadFaceNet(DEFAULT_FACE_WEIGHTS);
    assert.equal(manifest.format, FACE_WEIGHTS_FORMAT);
    assert.deepEqual(manifest.attributes, [...CELEBA_ATTRIBUTES]);
    assert.ok(fs.statSync(`${DEFAULT_FACE_WEIGHTS}.bin`).size < 400 * 1024, 'weights stay small');
    assert.equal(typeof manifest.standIn, 'boolean');
    assert.match(manifest.trainedOn, manifest.standIn ? /stand-in \(not CelebA\)/ : /^CelebA/);
    assert.ok(manifest.epochs > 0 && manifest.trainCount > 0 && manifest.backend.length > 0);
    // It learned the attributes: clearly above always answering each attribute's majority.
    assert.ok(
      manifest.heldOutAccuracy > manifest.majorityAccuracy + 0.03,
      `held-out ${manifest.heldOutAccuracy} vs majority ${manifest.majorityAccuracy}`,
    );
    // Accuracy on 300 held-out faces agrees with the manifest's (all 1,971) within sampling error.
    const train = await loadCeleba({ dir: DIR, size: 32, split: 'train' });
    const test = (await loadCeleba({ dir: DIR, size: 32, split: 'test' })).head(300);
    if (test.standIn === manifest.standIn) {
      const acc = await attributeAccuracy(model, test, majorityAttributes(train));
      assert.ok(
        Math.abs(acc.accuracy - manifest.heldOutAccuracy) < 0.02,
        `manifest says ${manifest.heldOutAccuracy}, measured ${acc.accuracy} on 300 faces`,
      );
      assert.ok(acc.accuracy > acc.majorityAccuracy + 0.03, `${acc.accuracy} vs ${acc.majorityAccuracy}`);
    }
    model.dispose();
  });

  it('features are deterministic, independent of the batch size, and leak no tensors', async () => {
    const { model } = loadFaceNet();
    const test = await loadCeleba({ dir: DIR, size: 32, split: 'test' });
    const x = test.take(20);
    const before = tf.memory().numTensors;
    const a = await extractFaceFeatures(model, x);
    const b = await extractFaceFeatures(model, x, 7);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(a.length, 20 * FACE_FEATURE_DIM);
    assert.deepEqual(a, b);
    assert.ok(
      a.some((v) => v > 0),
      'features are not all zero',
    );
    x.dispose();
    model.dispose();
  });

  it('face-FID: real vs other real faces is small; vs noise and vs one constant image it is large', async () => {
    const test = await loadCeleba({ dir: DIR, size: 32, split: 'test' });
    const train = await loadCeleba({ dir: DIR, size: 32, split: 'train' });
    const real = test.take(300);
    const metrics = await FaceMetrics.load({ real });
    assert.ok((await metrics.score(real)).fid < 1e-3, 'a set against itself');
    const other = train.take(300);
    const noise = tf.randomUniform([200, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const constant = tf.tile(real.slice([0, 0, 0, 0], [1, -1, -1, -1]), [200, 1, 1, 1]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const fidOther = (await metrics.score(other)).fid;
    const fidNoise = (await metrics.score(noise)).fid;
    const fidConstant = (await metrics.score(constant)).fid;
    assert.equal(tf.memory().numTensors, before, 'score leaks no tensors');
    assert.ok(fidOther < fidNoise / 10, `real-vs-real ${fidOther}, noise ${fidNoise}`);
    assert.ok(fidOther < fidConstant / 5, `real-vs-real ${fidOther}, one face repeated ${fidConstant}`);
    tf.dispose([real, other, noise, constant]);
    metrics.dispose();
  });

  it('scores 64×64 faces (2× average-pooled) against the 64×64 held-out split', async () => {
    const metrics = await FaceMetrics.load({ dir: DIR, count: 200 });
    assert.equal(metrics.realCount(32), 200);
    assert.equal(metrics.mismatch, undefined, 'net and held-out faces are the same kind');
    assert.match(metrics.label, metrics.manifest.standIn ? /stand-in, not CelebA/ : /CelebA/);
    const train64 = await loadCeleba({ dir: DIR, size: 64, split: 'train' });
    const real64 = train64.take(200);
    const noise64 = tf.randomUniform([200, 64, 64, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const real = await metrics.score(real64);
    const noise = await metrics.score(noise64);
    assert.equal(real.n, 200);
    assert.equal(metrics.realCount(64), 200);
    assert.ok(real.fid < noise.fid / 5, `real 64×64 ${real.fid}, noise ${noise.fid}`);
    await assert.rejects(metrics.score(tf.zeros([4, 48, 48, 3])), /S = 32 or 64, but got \[4, 48, 48, 3\]/);
    tf.dispose([real64, noise64]);
    metrics.dispose();
  });

  it('refuses truncated or mismatched weight files with the file named', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faces-'));
    const base = path.join(dir, 'w');
    const m = buildFaceNet(3);
    await saveFaceNet(m, base, {
      trainedOn: 'test',
      standIn: true,
      trainCount: 0,
      testCount: 0,
      epochs: 0,
      seed: 3,
      heldOutAccuracy: 0,
      majorityAccuracy: 0,
      attributes: [],
      backend: 'wasm',
      seconds: 0,
    });
    const ok = loadFaceNet(base);
    assert.deepEqual(await ok.model.getWeights()[0].data(), await m.getWeights()[0].data());
    ok.model.dispose();
    m.dispose();
    const bin = fs.readFileSync(`${base}.bin`);
    fs.writeFileSync(`${base}.bin`, bin.subarray(0, bin.length - 8));
    assert.throws(() => loadFaceNet(base), /w\.bin: (truncated|expected)/);
    fs.writeFileSync(`${base}.bin`, bin);
    const manifest = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
    manifest.weights[0].shape = [5, 5, 3, 16];
    fs.writeFileSync(`${base}.json`, JSON.stringify(manifest));
    assert.throws(
      () => loadFaceNet(base),
      /w\.json: weight 0 .* has shape \[5,5,3,16\], the model expects \[3,3,3,16\]/,
    );
    assert.throws(() => loadFaceNet(path.join(dir, 'missing')), /npx gan train-face-features/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
