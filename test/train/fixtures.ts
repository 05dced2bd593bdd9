/**
 * A tiny synthetic ImageDataset for the engine tests (no dependency on the data loaders): seeded
 * blobs in [-1, 1], shuffled per (seed, epoch) like the real loaders. `poisonFromEpoch` puts a NaN
 * into every batch from that epoch on, so a test can make the losses non-finite on purpose.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchOptions, ImageDataset } from '../../src/data/types';
import { Rng } from '../../src/util/rng';
import type { StepRecord, TrainOptions } from '../../src/train/engine';

export function syntheticDataset(
  count: number,
  shape: [number, number, number],
  options: { seed?: number; poisonFromEpoch?: number; name?: string } = {},
): ImageDataset {
  const [h, w, c] = shape;
  const per = h * w * c;
  const rng = new Rng(options.seed ?? 123);
  const data = new Float32Array(count * per);
  for (let i = 0; i < count; i++) {
    const cy = rng.next() * h;
    const cx = rng.next() * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / 8) * 2 - 1;
        for (let k = 0; k < c; k++) data[i * per + (y * w + x) * c + k] = v;
      }
    }
  }
  const gather = (idx: ArrayLike<number>) => {
    const out = new Float32Array(idx.length * per);
    for (let i = 0; i < idx.length; i++) out.set(data.subarray(idx[i] * per, (idx[i] + 1) * per), i * per);
    return out;
  };
  const tensor = (values: Float32Array, n: number) => tf.tensor4d(values, [n, h, w, c]);
  return {
    name: options.name ?? 'synthetic',
    source: 'test fixture',
    standIn: true,
    count,
    shape,
    *batches(batchSize: number, o: BatchOptions) {
      const perm = new Rng((o.seed * 7919 + o.epoch) >>> 0).permutation(count);
      for (let s = 0; s + batchSize <= count; s += batchSize) {
        const values = gather(perm.subarray(s, s + batchSize));
        if (options.poisonFromEpoch !== undefined && o.epoch >= options.poisonFromEpoch) values[0] = NaN;
        yield tensor(values, batchSize);
      }
    },
    take(n: number, offset = 0) {
      return tensor(gather(Array.from({ length: n }, (_, i) => offset + i)), n);
    },
  };
}

/** Tiny model configs: each step takes milliseconds on the cpu backend. */
export const TINY = {
  'mlp-gan': { latentDim: 4, gHidden: [8], dHidden: [8], imageShape: [8, 8, 1] as [number, number, number] },
  'dcgan-28': { latentDim: 4, ngf: 2, ndf: 2 },
  'dcgan-64': { latentDim: 4, ngf: 2, ndf: 2 },
  'dcgan-32': { latentDim: 4, ngf: 2, ndf: 2 },
};

/** The run the kill test's child process trains (and the parent replays uninterrupted). */
export function killRunOptions(outDir?: string) {
  return {
    model: 'mlp-gan' as const,
    modelConfig: TINY['mlp-gan'],
    dataset: syntheticDataset(40, [8, 8, 1]),
    batchSize: 8,
    numEpochs: 1000,
    seed: 5,
    numFixed: 4,
    step: { lr: 1e-3 },
    outDir,
    checkpointEvery: outDir ? 1 : 0,
  };
}

/** The small mlp-gan run the engine and resume tests share (40 synthetic examples, batch 8, 2 epochs). */
const baseDataset = syntheticDataset(40, [8, 8, 1]);
export function baseRunOptions(): TrainOptions<'mlp-gan'> {
  return {
    model: 'mlp-gan',
    modelConfig: TINY['mlp-gan'],
    dataset: baseDataset,
    batchSize: 8,
    numEpochs: 2,
    seed: 11,
    numFixed: 4,
    step: { lr: 1e-3 },
  };
}

/** A history without its timing fields: what must match between two runs. */
export const lossesOf = (h: StepRecord[]) =>
  h.map(({ step, epoch, dLoss, gLoss, dReal, dFake }) => ({ step, epoch, dLoss, gLoss, dReal, dFake }));
