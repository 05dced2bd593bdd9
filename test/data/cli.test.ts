/**
 * `gan data …` end to end through the CLI's main(): inspect's JSON for the embedded digits and an
 * IDX folder, stand-in → prepare → inspect for CelebA, and exit code 2 with a useful message for
 * bad input.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { main } from '../../src/cli/main';
import { initBackend } from '../../src/backend';
import { encodeIdxImages, encodeIdxLabels, MNIST_FILES } from '../../src/data/idx';
import { capture, tmpDir } from './helpers';

const gan = (...args: string[]) => capture(() => main(['node', 'gan', ...args]));

describe('cli: gan data', function () {
  this.timeout(60000);
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('inspect --dataset mnist --json reports the embedded digits', async () => {
    const r = await gan('data', 'inspect', '--dataset', 'mnist', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of [
      'dataset',
      'split',
      'source',
      'count',
      'shape',
      'dtype',
      'min',
      'max',
      'mean',
      'skipped',
    ]) {
      assert.ok(k in j, k);
    }
    assert.deepEqual(
      [j.dataset, j.split, j.count, j.shape, j.dtype, j.min, j.max, j.skipped],
      ['mnist', 'train', 8000, [28, 28, 1], 'float32', -1, 1, 0],
    );
    assert.match(j.source, /embedded/);
    // MNIST is mostly background: the mean is far below 0.
    assert.ok(j.mean > -0.8 && j.mean < -0.65, String(j.mean));
    const t = JSON.parse(
      (await gan('data', 'inspect', '--dataset', 'mnist', '--split', 'test', '--json')).out,
    );
    assert.equal(t.count, 2000);
  });

  it('inspect reads any MNIST-format folder (gzipped IDX)', async () => {
    const dir = tmpDir();
    const px = Uint8Array.from({ length: 5 * 28 * 28 }, (_, i) => (i % 7 === 0 ? 255 : 0));
    for (const s of ['train', 'test'] as const) {
      fs.writeFileSync(
        path.join(dir, `${MNIST_FILES[s].images}.gz`),
        zlib.gzipSync(encodeIdxImages(px, 5, 28, 28)),
      );
      fs.writeFileSync(
        path.join(dir, `${MNIST_FILES[s].labels}.gz`),
        zlib.gzipSync(encodeIdxLabels([0, 1, 2, 3, 4])),
      );
    }
    const r = await gan('data', 'inspect', '--dataset', 'mnist', '--dir', dir, '--split', 'test', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual([j.count, j.min, j.max, j.source], [5, -1, 1, dir]);
    // 112 of 784 pixels per image are 255 → mean = (112·1 + 672·(−1)) / 784.
    assert.ok(Math.abs(j.mean - (112 - 672) / 784) < 1e-9);
  });

  it('standin → prepare → inspect runs the CelebA path, labelled as the stand-in', async () => {
    const dir = tmpDir();
    let r = await gan('data', 'standin', '--out', dir, '--count', '6', '--seed', '2');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /STAND-IN \(not CelebA\): 6 faces, seed 2/);
    r = await gan('data', 'prepare', '--dataset', 'celeba', '--dir', dir, '--size', '32');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\[STAND-IN, not CelebA\] celeba: 6 images \[32, 32, 3\], 0 skipped/);
    r = await gan('data', 'inspect', '--dataset', 'celeba', '--dir', dir, '--size', '32', '--json');
    const j = JSON.parse(r.out);
    assert.deepEqual(
      [j.dataset, j.split, j.count, j.shape, j.standIn],
      ['celeba', 'all', 6, [32, 32, 3], true],
    );
    assert.ok(j.min >= -1 && j.max <= 1 && j.min < j.max);
  });

  it('bad input exits with 2 and says what to do', async () => {
    let r = await gan('data', 'inspect', '--dataset', 'cifar10', '--json');
    assert.equal(r.code, 2);
    assert.match(r.err, /Unknown dataset "cifar10"\. Expected one of: mnist, celeba/);
    r = await gan('data', 'inspect', '--dataset', 'celeba', '--dir', '/nonexistent/celeba', '--json');
    assert.equal(r.code, 2);
    assert.match(r.err, /does not exist.*npx gan data standin --out/);
    r = await gan('data', 'inspect', '--dataset', 'mnist', '--dir', '/nonexistent/mnist');
    assert.equal(r.code, 2);
    assert.match(r.err, /train-images-idx3-ubyte/);
    r = await gan('data', 'prepare', '--dataset', 'celeba', '--dir', tmpDir(), '--size', '48');
    assert.equal(r.code, 2);
    assert.match(r.err, /--size to be one of 32, 64, 128, but got "48"/);
    r = await gan('data', 'standin', '--out', tmpDir(), '--count', 'many');
    assert.equal(r.code, 2);
    assert.match(r.err, /--count to be an integer/);
    r = await gan('data', 'inspect', '--dataset', 'mnist', '--split', 'valid');
    assert.equal(r.code, 2);
    assert.match(r.err, /train, test, all/);
  });
});
