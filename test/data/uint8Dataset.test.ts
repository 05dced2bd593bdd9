/**
 * The uint8-backed dataset: epoch coverage and seeding of batches, file store ≡ memory store,
 * the [-1, 1] mapping, and inspect's histogram statistics against tf.min / max / mean.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { loadMnist } from '../../src/data/mnist';
import {
  FileStore,
  MemoryStore,
  Uint8Dataset,
  U8_TO_UNIT,
  toUnitRange,
  epochPermutation,
} from '../../src/data/uint8Dataset';
import { inspectDataset } from '../../src/data/inspect';
import { tmpDir } from './helpers';

/** 100 records of 2×2×3 whose every byte is the record id: a batch reveals which records it holds. */
function idDataset(store: 'memory' | 'file' = 'memory'): Uint8Dataset {
  const rb = 12;
  const data = new Uint8Array(100 * rb);
  for (let r = 0; r < 100; r++) data.fill(r * 2, r * rb, (r + 1) * rb);
  let s;
  if (store === 'memory') s = new MemoryStore(data, rb);
  else {
    const f = path.join(tmpDir(), 'records.u8');
    fs.writeFileSync(f, data);
    s = new FileStore(f, rb, 100);
  }
  return new Uint8Dataset({ name: 'ids', source: 'test', standIn: false, shape: [2, 2, 3], store: s });
}

/** Record ids of a batch tensor (first value of each example, mapped back from [-1, 1]). */
function ids(batch: tf.Tensor4D): number[] {
  const v = batch.dataSync();
  const out: number[] = [];
  for (let i = 0; i < batch.shape[0]; i++) out.push(Math.round(((v[i * 12] + 1) * 127.5) / 2));
  return out;
}

describe('data/uint8Dataset', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('maps 0 → -1 and 255 → +1 exactly, linearly in between', () => {
    assert.equal(U8_TO_UNIT[0], -1);
    assert.equal(U8_TO_UNIT[255], 1);
    const src = Uint8Array.from({ length: 259 }, (_, i) => i % 256);
    const f = toUnitRange(src);
    for (let i = 0; i < src.length; i++) assert.equal(f[i], Math.fround(src[i] / 127.5 - 1));
  });

  it('each epoch visits every example exactly once, in a seeded order', () => {
    const ds = idDataset();
    const epoch = (seed: number, e: number, b = 10, dropRemainder?: boolean) => {
      const seen: number[] = [];
      for (const x of ds.batches(b, { seed, epoch: e, dropRemainder })) {
        seen.push(...ids(x));
        x.dispose();
      }
      return seen;
    };
    const a = epoch(7, 0);
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.deepEqual(epoch(7, 0), a, 'same seed and epoch → same order');
    assert.notDeepEqual(epoch(7, 1), a, 'another epoch → another order');
    assert.notDeepEqual(epoch(8, 0), a, 'another seed → another order');
    assert.equal(epoch(7, 0, 32).length, 96, 'remainder dropped by default');
    assert.equal(epoch(7, 0, 32, false).length, 100, 'remainder kept on request');
    assert.deepEqual(Array.from(epochPermutation(100, 7, 0)), a);
  });

  it('the file store returns the same batches as the memory store', () => {
    const mem = idDataset('memory');
    const file = idDataset('file');
    const take = (d: Uint8Dataset) =>
      [...d.batches(16, { seed: 3, epoch: 2 })].map((t) => {
        const v = Array.from(t.dataSync());
        t.dispose();
        return v;
      });
    assert.deepEqual(take(file), take(mem));
    const t = file.take(5, 95);
    assert.deepEqual(ids(t), [95, 96, 97, 98, 99]);
    t.dispose();
  });

  it('rejects bad arguments with what was expected', () => {
    const ds = idDataset();
    assert.throws(() => [...ds.batches(0, { seed: 1, epoch: 0 })], /positive integer, but got 0/);
    assert.throws(() => [...ds.batches(101, { seed: 1, epoch: 0 })], /larger than the 100 examples/);
    assert.throws(() => [...ds.batches(10, { seed: 1, epoch: -1 })], /non-negative integer, but got -1/);
    assert.throws(() => ds.take(5, 96), /offset \+ n ≤ 100/);
    assert.throws(() => new FileStore(path.join(tmpDir(), 'x'), 12, 1), /ENOENT/);
    const f = path.join(tmpDir(), 'short.u8');
    fs.writeFileSync(f, new Uint8Array(20));
    assert.throws(() => new FileStore(f, 12, 2), /expected at least 24 bytes/);
  });

  it('does not leak tensors while iterating, even when a loop breaks early', () => {
    const ds = idDataset('file');
    const before = tf.memory().numTensors;
    for (const x of ds.batches(10, { seed: 1, epoch: 0 })) {
      x.dispose();
      break;
    }
    for (const x of ds.batches(10, { seed: 1, epoch: 1 })) x.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("inspect's statistics equal tf.min / tf.max / tf.mean of the tensors", () => {
    const data = Uint8Array.from({ length: 7 * 48 }, (_, i) => (i * 37 + 11) % 200);
    const ds = new Uint8Dataset({
      name: 'x',
      source: 'test',
      standIn: false,
      shape: [4, 4, 3],
      store: new MemoryStore(data, 48),
    });
    const r = inspectDataset(ds, 'all');
    const [min, max, mean] = tf.tidy(() => {
      const all = ds.take(7);
      return [all.min(), all.max(), all.mean()].map((t) => t.dataSync()[0]);
    });
    assert.equal(r.min, min);
    assert.equal(r.max, max);
    assert.ok(Math.abs(r.mean - mean) < 1e-6, `${r.mean} vs ${mean}`);
    assert.deepEqual([r.count, r.shape, r.dtype], [7, [4, 4, 3], 'float32']);
  });
});

describe('Uint8Dataset.head', () => {
  it('keeps the first n examples, labels included, without copying the store', async () => {
    const train = await loadMnist({ split: 'train' });
    const small = train.head(100);
    assert.equal(small.count, 100);
    assert.deepEqual(Array.from(small.labels ?? []), Array.from(train.labels ?? []).slice(0, 100));
    assert.equal(small.store, train.store);
    const a = small.take(3);
    const b = train.take(3);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    a.dispose();
    b.dispose();
    assert.throws(() => train.head(0), /integer in \[1, 8000\]/);
  });
});
