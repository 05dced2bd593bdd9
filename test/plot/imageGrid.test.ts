// Grid layout arithmetic (torchvision make_grid), pixel placement, and the composite layouts.
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { autoScale, gridLayout, imageGrid, interpolationStrip, realVsFake } from '../../src/plot/imageGrid';
import { decodePng } from '../../src/plot/pixels';

describe('plot/imageGrid', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('lays out N images in rows of nrow with padding (make_grid arithmetic)', () => {
    const a = gridLayout(16, 28, 28);
    assert.deepEqual([a.rows, a.cols, a.width, a.height], [4, 4, 4 * 30 + 2, 4 * 30 + 2]);
    const b = gridLayout(10, 28, 28, 4, 2);
    assert.deepEqual([b.rows, b.cols, b.width, b.height], [3, 4, 122, 92]);
    assert.deepEqual(b.origin(0), { x: 2, y: 2 });
    assert.deepEqual(b.origin(5), { x: 32, y: 32 });
    const c = gridLayout(3, 8, 6, 8, 0);
    assert.deepEqual([c.rows, c.cols, c.width, c.height], [1, 3, 18, 8]);
    assert.deepEqual([gridLayout(7, 4, 4).rows, gridLayout(7, 4, 4).cols], [3, 3]);
    assert.throws(
      () => gridLayout(4, 4, 4, 0),
      /nrow \(images per row\) to be a positive integer, but got 0/,
    );
    assert.throws(() => gridLayout(4, 4, 4, 2, -1), /padding to be a non-negative integer/);
  });

  it('auto scale shows small tiles larger', () => {
    assert.equal(autoScale(28), 3);
    assert.equal(autoScale(32), 2);
    assert.equal(autoScale(64), 1);
    assert.equal(autoScale(8), 4);
  });

  it('places each image at its tile and fills padding with padValue', async () => {
    // Image i is constant (i / 2 - 1) → bytes 0, 64, 128, 191, 255.
    const n = 5;
    const t = tf.tidy(() => tf.linspace(-1, 1, n).reshape([n, 1, 1, 1]).tile([1, 3, 2, 1]));
    const before = tf.memory().numTensors;
    const pic = imageGrid(t, { nrow: 2, padding: 1, scale: 2, padValue: -1 });
    assert.equal(tf.memory().numTensors, before, 'imageGrid must not leak tensors');
    // 3 rows × 2 cols of 3×2 tiles, padding 1 → (2·3+1) × (3·4+1), ×2.
    assert.deepEqual([pic.width, pic.height], [14, 26]);
    const at = (x: number, y: number) => pic.rgba.data[(y * pic.width + x) * 4];
    assert.equal(at(0, 0), 0); // padding (padValue -1)
    assert.equal(at(2, 2), 0); // image 0 = -1
    assert.equal(at(2 + 3 * 2, 2), 64); // image 1, second column
    assert.equal(at(2, 2 + 4 * 2), 128); // image 2, second row
    assert.equal(at(2, 2 + 8 * 2), 255); // image 4 = 1, third row
    assert.equal(at(2 + 3 * 2, 2 + 8 * 2), 0); // no image 5: the empty slot is padding
    const decoded = await decodePng(pic.png);
    assert.deepEqual(Array.from(decoded.data), Array.from(pic.rgba.data));
    t.dispose();
  });

  it('keeps RGB channels apart', () => {
    const t = tf.tensor4d([1, -1, -1, -1, 1, -1], [1, 1, 2, 3]);
    const pic = imageGrid(t, { padding: 0, scale: 1 });
    assert.deepEqual(Array.from(pic.rgba.data), [255, 0, 0, 255, 0, 255, 0, 255]);
    t.dispose();
  });

  it('puts real and fake side by side and checks they match', () => {
    const real = tf.zeros([4, 8, 8, 1]);
    const fake = tf.zeros([4, 8, 8, 1]);
    const pic = realVsFake(real, fake, { scale: 1, padding: 2 });
    const grid = gridLayout(4, 8, 8, 2, 2);
    assert.equal(pic.width, 2 * grid.width + 16);
    assert.equal(pic.height, grid.height + 20);
    const rgb = tf.zeros([4, 8, 8, 3]);
    assert.throws(
      () => realVsFake(real, rgb),
      /same \[H, W, C\], but got real \[8, 8, 1\] and fake \[8, 8, 3\]/,
    );
    tf.dispose([real, fake, rgb]);
  });

  it('lays out interpolation strips with steps per row', () => {
    const t = tf.zeros([12, 4, 4, 1]);
    const pic = interpolationStrip(t, 6, { padding: 0, scale: 1 });
    assert.deepEqual([pic.width, pic.height], [24, 8]);
    assert.throws(() => interpolationStrip(t, 5), /multiple of steps = 5 .* but got N = 12/);
    t.dispose();
  });
});
