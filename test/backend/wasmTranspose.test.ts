/**
 * The SIMD transpose of the last two axes (src/backend/wasm/transpose.ts): bit for bit the stock wasm
 * Transpose on float32 and int32, for shapes with and without multiples of 4, leading axes, empty and
 * one-element tensors; other permutations still right (they run the stock kernel); no leaked buffers. And the
 * plan that computes a·b as (bᵀ·aᵀ)ᵀ for new weights (src/backend/wasm/batchMatMul.ts): when it applies, and
 * the same bits as the direct product.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { batchMatMulOptions, freshWeightsPlan } from '../../src/backend/wasm/batchMatMul';
import {
  swapsLastTwo,
  swapsOuterTwo,
  transposeOptions,
  transposeSimd,
} from '../../src/backend/wasm/transpose';

/** tf.transpose(x, perm) on wasm with the SIMD path on or off, as a host array. */
function run(x: tf.Tensor, perm: number[], simd: boolean): Float32Array | Int32Array {
  transposeOptions.simd = simd;
  try {
    return tf.tidy(() => tf.transpose(x, perm).dataSync() as Float32Array | Int32Array);
  } finally {
    transposeOptions.simd = true;
  }
}

describe('wasm Transpose of the last two axes (SIMD 4×4 blocks)', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend({ force: 'wasm' });
  });

  it('loads the SIMD module here (so the comparisons below test it)', () => {
    assert.ok(transposeSimd(tf.backend() as BackendWasm));
  });

  it('knows which permutations swap the last two axes', () => {
    assert.ok(swapsLastTwo([1, 0]));
    assert.ok(swapsLastTwo([0, 2, 1]));
    assert.ok(swapsLastTwo([0, 1, 3, 2]));
    assert.ok(!swapsLastTwo([0, 1]));
    assert.ok(!swapsLastTwo([2, 1, 0]));
    assert.ok(!swapsLastTwo([1, 0, 2]));
    assert.ok(!swapsLastTwo([0]));
  });

  const shapes = [
    [4, 4],
    [8, 12],
    [5, 7], // neither a multiple of 4
    [1, 9],
    [9, 1],
    [3, 4],
    [4, 3],
    [64, 1024],
    [1024, 784], // the MLP's largest weight
    [2, 6, 5],
    [3, 2, 17, 13],
    [0, 5],
  ];
  for (const shape of shapes) {
    const r = shape.length;
    const perm = [...Array(r - 2).keys(), r - 1, r - 2];
    it(`[${shape}] float32 and int32: bit for bit the stock kernel`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const f = tf.tensor(
        Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3 + i / 7),
        shape,
      );
      const k = tf.tensor(
        Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0),
        shape,
        'int32',
      );
      for (const x of [f, k]) {
        const got = run(x, perm, true);
        const want = run(x, perm, false);
        assert.equal(got.length, want.length);
        assert.deepEqual(
          Buffer.from(got.buffer, got.byteOffset, got.byteLength),
          Buffer.from(want.buffer, want.byteOffset, want.byteLength),
        );
        // and by definition, for a 2-D matrix
        if (r === 2 && n > 0) {
          const src = x.dataSync();
          const [rows, cols] = shape;
          for (const [i, j] of [
            [0, 0],
            [rows - 1, cols - 1],
            [rows >> 1, cols >> 1],
          ]) {
            assert.equal(got[j * rows + i], src[i * cols + j]);
          }
        }
      }
      tf.dispose([f, k]);
    });
  }

  it('knows which permutations swap the first and last axes', () => {
    assert.ok(swapsOuterTwo([3, 1, 2, 0]));
    assert.ok(swapsOuterTwo([2, 1, 0]));
    assert.ok(!swapsOuterTwo([1, 0]));
    assert.ok(!swapsOuterTwo([3, 2, 1, 0]));
    assert.ok(!swapsOuterTwo([0, 2, 1]));
  });

  for (const shape of [
    [64, 8, 8, 3], // the conv weight gradient's [n, h, w, ci] → [ci, h, w, n]
    [5, 7, 3],
    [3, 1, 1, 5],
    [6, 2, 3, 9],
    [0, 2, 2, 3],
  ]) {
    const r = shape.length;
    const perm = [r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1), 0];
    it(`[${shape}] by [${perm}]: bit for bit the stock kernel, no leaks`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(
        Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 100 + i),
        shape,
      );
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const ids = backend.numDataIds();
      const got = run(x, perm, true);
      assert.equal(backend.numDataIds(), ids, 'every wasm buffer freed');
      const want = run(x, perm, false);
      assert.deepEqual(Array.from(got), Array.from(want));
      x.dispose();
    });
  }

  it('other permutations and dtypes still transpose (the stock kernel)', () => {
    const x = tf.tensor3d(
      Float32Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    assert.deepEqual(Array.from(run(x, [2, 1, 0], true)), Array.from(run(x, [2, 1, 0], false)));
    const b = tf.tensor2d([true, false, true, true, false, false], [2, 3], 'bool');
    assert.deepEqual(Array.from(tf.transpose(b).dataSync()), [1, 1, 0, 0, 1, 0]);
    tf.dispose([x, b]);
  });

  it('leaks no tensors or wasm buffers', () => {
    const x = tf.randomNormal([37, 29]);
    const before = tf.memory();
    for (let i = 0; i < 3; i++) tf.transpose(x).dispose();
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numBytes, before.numBytes);
    x.dispose();
  });
});

describe('untransposed products of new weights as (bᵀ·aᵀ)ᵀ', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend({ force: 'wasm' });
    // the XNNPACK plans: what BatchMatMul runs where conv.wat's mm_tiles does not (directMatMul.ts)
    batchMatMulOptions.direct = false;
  });
  after(() => {
    batchMatMulOptions.direct = true;
  });

  it('applies to the first two uses of a large batch-1 right operand only', () => {
    const info = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' as const });
    const a = info([64, 300]);
    const b = info([300, 333]);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => freshWeightsPlan(a, b)),
      [true, true, false, false],
    );
    assert.equal(freshWeightsPlan(info([64, 100]), info([100, 256])), false, 'small weights: direct');
    assert.equal(freshWeightsPlan(info([2, 64, 300]), info([2, 300, 333])), false, 'batched: direct');
    assert.equal(
      freshWeightsPlan(info([512, 300]), info([300, 333])),
      false,
      'more rows than columns: direct',
    );
    batchMatMulOptions.freshWeights = false;
    assert.equal(freshWeightsPlan(a, info([300, 333])), false, 'switched off');
    batchMatMulOptions.freshWeights = true;
  });

  for (const [m, k, n] of [
    [64, 1024, 784],
    [7, 300, 333],
    [64, 257, 301],
  ]) {
    it(`${m}×${k} · ${k}×${n}: the same bits as the direct product, no leaks`, () => {
      const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
      const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const ids = backend.numDataIds();
      const before = tf.memory();
      const viaTransposes = tf.matMul(a, b); // first use of b: the plan
      const after = tf.memory();
      assert.equal(backend.numDataIds(), ids + 1, 'only the result stays on the heap');
      batchMatMulOptions.freshWeights = false;
      const direct = tf.matMul(a, b);
      batchMatMulOptions.freshWeights = true;
      assert.equal(after.numBytes - before.numBytes, m * n * 4, 'only the result stays allocated');
      const x = viaTransposes.dataSync();
      const y = direct.dataSync();
      let differing = 0;
      for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) differing++;
      assert.equal(differing, 0);
      assert.deepEqual(viaTransposes.shape, [m, n]);
      tf.dispose([a, b, viaTransposes, direct]);
    });
  }
});
