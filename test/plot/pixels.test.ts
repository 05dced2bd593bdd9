// Value mapping [-1, 1] ↔ 0..255, input validation at the door, and PNG round trips.
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { decodePng, encodePng, fromByte, imageToRgba, readImageBatch, toByte } from '../../src/plot/pixels';

describe('plot/pixels', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('maps -1 → 0, 0 → 128, 1 → 255 and back within 1/255', () => {
    assert.equal(toByte(-1), 0);
    assert.equal(toByte(0), 128);
    assert.equal(toByte(1), 255);
    assert.equal(toByte(1.0004), 255); // float32 tanh noise is clamped
    for (let v = -1; v <= 1; v += 0.013)
      assert.ok(Math.abs(fromByte(toByte(v)) - v) <= 1 / 255 + 1e-12, `v = ${v}`);
    for (let u = 0; u <= 255; u++) assert.equal(toByte(fromByte(u)), u);
  });

  it('reads a tf tensor [N, H, W, C] and replicates grayscale to RGB', () => {
    const t = tf.tensor4d([-1, 0, 1, 0.5], [1, 2, 2, 1]);
    const batch = readImageBatch(t);
    assert.deepEqual([batch.n, batch.height, batch.width, batch.channels], [1, 2, 2, 1]);
    const rgba = imageToRgba(batch, 0);
    assert.deepEqual(
      Array.from(rgba.data),
      [0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 191, 191, 191, 255],
    );
    t.dispose();
  });

  it('rejects the wrong rank with the expected shape and a fix', () => {
    const t = tf.zeros([28, 28, 1]);
    assert.throws(
      () => readImageBatch(t),
      /Expected images to be a \[N, H, W, C\] tensor .* but got rank 3 shape \[28, 28, 1\]\. .*expandDims\(0\)/,
    );
    t.dispose();
  });

  it('rejects channel counts other than 1 or 3', () => {
    const t = tf.zeros([2, 4, 4, 4]);
    assert.throws(() => readImageBatch(t), /C = 1 or 3 .* but got C = 4 .*Drop the alpha channel/);
    t.dispose();
    const t2 = tf.zeros([2, 4, 4, 2]);
    assert.throws(() => readImageBatch(t2), /but got C = 2/);
    t2.dispose();
  });

  it('rejects values outside [-1, 1], recognising uint8 pixels', () => {
    const t = tf.fill([1, 2, 2, 1], 200);
    assert.throws(
      () => readImageBatch(t),
      /values in \[-1, 1\], but got the range \[200, 200\].*uint8 pixels: map them with x\.div\(127\.5\)\.sub\(1\)/,
    );
    t.dispose();
    assert.throws(() => readImageBatch({ shape: [1, 1, 1, 1], dataSync: () => [NaN] }), /found NaN/);
    assert.throws(() => readImageBatch([1, 2, 3] as never), /plain array/);
  });

  it('encodes PNG that decodes to the same pixels', async () => {
    const data = new Uint8ClampedArray(5 * 3 * 4);
    for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? 255 : (i * 37) % 256;
    const png = encodePng({ width: 5, height: 3, data });
    assert.deepEqual(Array.from(png.subarray(0, 4)), [0x89, 0x50, 0x4e, 0x47]);
    const back = await decodePng(png);
    assert.equal(back.width, 5);
    assert.equal(back.height, 3);
    assert.deepEqual(Array.from(back.data), Array.from(data));
  });
});
