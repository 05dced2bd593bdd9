/**
 * A small LeNet-class MNIST classifier (LeCun et al. 1998, with ReLU and max-pooling) used only as a
 * feature extractor for metrics: classifier-FID uses its 128-d penultimate layer, mode coverage its
 * predicted classes. Trained by `npx gan train-classifier`; the weights ship in src/metrics/weights/.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types';
import { projectRoot } from '../util/paths';
import { Rng } from '../util/rng';
import {
  loadWeightsFile,
  weightEntries,
  writeWeightsFile,
  type WeightsFileManifest,
  type WeightsKind,
} from './weightsFile';

export const FEATURE_LAYER = 'features';
export const FEATURE_DIM = 128;
export const WEIGHTS_FORMAT = 'gan-notebooks/mnist-classifier';
export const WEIGHTS_VERSION = 1;

/** Where the committed weights live (in the source tree, also when running from dist/). */
export const DEFAULT_WEIGHTS = path.join(projectRoot(), 'src', 'metrics', 'weights', 'mnist-lenet');

/** [b, 28, 28, 1] in [-1, 1] → 10 logits; the 128-d `features` layer feeds classifier-FID. */
export function buildClassifier(seed = 1): tf.Sequential {
  const rng = new Rng(seed);
  const init = () => tf.initializers.heNormal({ seed: rng.uint32() });
  const m = tf.sequential({ name: 'mnist_lenet' });
  // [b, 28, 28, 1] -> [b, 24, 24, 32]
  m.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 32,
      kernelSize: 5,
      activation: 'relu',
      kernelInitializer: init(),
    }),
  );
  // [b, 24, 24, 32] -> [b, 12, 12, 32]
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.dropout({ rate: 0.1, seed: rng.uint32() }));
  // [b, 12, 12, 32] -> [b, 8, 8, 64]
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 5, activation: 'relu', kernelInitializer: init() }));
  // [b, 8, 8, 64] -> [b, 4, 4, 64]
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  // [b, 4, 4, 64] -> [b, 1024]
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.25, seed: rng.uint32() }));
  // [b, 1024] -> [b, 128]: the feature layer
  m.add(
    tf.layers.dense({
      units: FEATURE_DIM,
      activation: 'relu',
      name: FEATURE_LAYER,
      kernelInitializer: init(),
    }),
  );
  m.add(tf.layers.dropout({ rate: 0.4, seed: rng.uint32() }));
  // [b, 128] -> [b, 10] logits
  m.add(tf.layers.dense({ units: 10, kernelInitializer: init() }));
  return m;
}

export interface WeightsManifest extends WeightsFileManifest {
  testAccuracy: number;
  trainedOn: string;
  backend: string;
  epochs: number;
}

const CLASSIFIER_WEIGHTS: WeightsKind = {
  format: WEIGHTS_FORMAT,
  version: WEIGHTS_VERSION,
  label: 'Classifier weights',
  missingHint: 'Train them with `npx gan train-classifier`.',
  invalidHint: 'Re-train with `npx gan train-classifier`.',
};

/** Write `<base>.bin` and `<base>.json` (src/metrics/weightsFile.ts), atomically. Synchronous read: cpu/wasm only. */
export function saveClassifier(
  model: tf.LayersModel,
  base: string,
  info: Omit<WeightsManifest, 'format' | 'version' | 'weights'>,
): void {
  const manifest: WeightsManifest = {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    weights: weightEntries(model),
    ...info,
  };
  writeWeightsFile(
    base,
    manifest,
    model.getWeights().map((w) => w.dataSync() as Float32Array),
  );
}

/** Load weights saved by `saveClassifier`, validating manifest, shapes and byte length. */
export function loadClassifier(base = DEFAULT_WEIGHTS): { model: tf.Sequential; manifest: WeightsManifest } {
  return loadWeightsFile<WeightsManifest, tf.Sequential>(base, CLASSIFIER_WEIGHTS, () => buildClassifier());
}

function labelsOf(ds: ImageDataset): Int32Array {
  if (!ds.labels)
    throw new Error(`Dataset ${ds.name} (${ds.source}) has no labels; the classifier needs labelled MNIST.`);
  return ds.labels;
}

export interface TrainClassifierOptions {
  epochs?: number;
  batchSize?: number;
  seed?: number;
  onEpoch?: (epoch: number, loss: number, acc: number) => void;
}

/**
 * Random translations by up to `maxShift` pixels, per example (the classic MNIST augmentation):
 * pad with the background value and crop a 28×28 window at a random offset.
 */
export function randomShift(x: tf.Tensor4D, rng: Rng, maxShift = 2): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w] = x.shape;
    const padded = tf.pad(
      x,
      [
        [0, 0],
        [maxShift, maxShift],
        [maxShift, maxShift],
        [0, 0],
      ],
      -1,
    );
    const ph = h + 2 * maxShift - 1;
    const pw = w + 2 * maxShift - 1;
    const boxes: number[][] = [];
    for (let i = 0; i < b; i++) {
      const dy = rng.int(2 * maxShift + 1);
      const dx = rng.int(2 * maxShift + 1);
      boxes.push([dy / ph, dx / pw, (dy + h - 1) / ph, (dx + w - 1) / pw]);
    }
    const ind = tf.tensor1d(
      Array.from({ length: b }, (_, i) => i),
      'int32',
    );
    return tf.image.cropAndResize(padded, tf.tensor2d(boxes), ind, [h, w], 'bilinear');
  });
}

/** Train on `train` (Adam 1e-3 then 3e-4, cross-entropy, random ±2 px shifts), seeded shuffles; returns the model. */
export async function trainClassifier(
  train: ImageDataset,
  options: TrainClassifierOptions = {},
): Promise<tf.Sequential> {
  const { epochs = 18, batchSize = 64, seed = 1 } = options;
  const labels = labelsOf(train);
  const model = buildClassifier(seed);
  // Adam 1e-3, then 3e-4 for the last third of the epochs (a step decay: the last points of accuracy).
  const fast = tf.train.adam(1e-3);
  const slow = tf.train.adam(3e-4);
  const n = train.count;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const opt = epoch < Math.ceil((2 * epochs) / 3) ? fast : slow;
    const perm = new Rng(seed * 1000 + epoch).permutation(n);
    const augRng = new Rng(seed * 7919 + epoch);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    const all = train.take(n);
    for (let s = 0; s + batchSize <= n; s += batchSize) {
      const idx = perm.subarray(s, s + batchSize);
      const [loss, hits] = tf.tidy(() => {
        const ix = tf.tensor1d(idx, 'int32');
        const x = randomShift(tf.gather(all, ix) as tf.Tensor4D, augRng);
        const y = tf.oneHot(
          tf.tensor1d(
            Array.from(idx, (i) => labels[i]),
            'int32',
          ),
          10,
        );
        let logits: tf.Tensor | undefined;
        const l = opt.minimize(() => {
          logits = tf.keep(model.apply(x, { training: true }) as tf.Tensor); // kept past minimize's tidy, freed below
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        }, true) as tf.Scalar;
        const h = tf.sum(tf.cast(tf.equal(tf.argMax(logits as tf.Tensor, 1), tf.argMax(y, 1)), 'int32'));
        logits?.dispose();
        return [l, h];
      });
      lossSum += (await loss.data())[0] * batchSize;
      correct += (await hits.data())[0];
      seen += batchSize;
      tf.dispose([loss, hits]);
    }
    all.dispose();
    options.onEpoch?.(epoch, lossSum / seen, correct / seen);
  }
  fast.dispose();
  slow.dispose();
  return model;
}

/** `fn` over images [N, …] in batches, concatenated on the device (nothing read back yet). */
function batched(images: tf.Tensor4D, batchSize: number, fn: (batch: tf.Tensor4D) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let s = 0; s < images.shape[0]; s += batchSize) {
      const n = Math.min(batchSize, images.shape[0] - s);
      parts.push(tf.tidy(() => fn(images.slice([s, 0, 0, 0], [n, -1, -1, -1]))));
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts);
  });
}

function classes(model: tf.LayersModel, images: tf.Tensor4D, batchSize: number): tf.Tensor {
  return batched(images, batchSize, (b) => tf.argMax(model.predict(b) as tf.Tensor, 1));
}

function featureModel(model: tf.LayersModel): tf.LayersModel {
  return tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor,
  });
}

async function readAndDispose<T extends tf.DataTypeMap[keyof tf.DataTypeMap]>(t: tf.Tensor): Promise<T> {
  try {
    return (await t.data()) as T;
  } finally {
    t.dispose();
  }
}

function readAndDisposeSync<T extends tf.DataTypeMap[keyof tf.DataTypeMap]>(t: tf.Tensor): T {
  try {
    return t.dataSync() as T;
  } finally {
    t.dispose();
  }
}

/** Predicted classes for images [N, 28, 28, 1] in [-1, 1], in batches. Synchronous read: cpu/wasm only. */
export function predictClasses(model: tf.LayersModel, images: tf.Tensor4D, batchSize = 500): Int32Array {
  return readAndDisposeSync<Int32Array>(classes(model, images, batchSize));
}

/** `predictClasses`, one `await data()` for all batches: works on every backend, WebGPU included. */
export async function predictClassesAsync(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  batchSize = 500,
): Promise<Int32Array> {
  return readAndDispose<Int32Array>(classes(model, images, batchSize));
}

function accuracyOf(pred: Int32Array, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
  return ok / pred.length;
}

/** Accuracy of the classifier on a labelled dataset. Synchronous read: cpu/wasm only. */
export function accuracy(model: tf.LayersModel, ds: ImageDataset): number {
  const labels = labelsOf(ds);
  const x = ds.take(ds.count);
  const pred = predictClasses(model, x);
  x.dispose();
  return accuracyOf(pred, labels);
}

/** `accuracy`, read with `await data()`: works on every backend, WebGPU included. */
export async function accuracyAsync(model: tf.LayersModel, ds: ImageDataset): Promise<number> {
  const labels = labelsOf(ds);
  const x = ds.take(ds.count);
  try {
    return accuracyOf(await predictClassesAsync(model, x), labels);
  } finally {
    x.dispose();
  }
}

/** The 128-d penultimate features, row-major [N × 128], for classifier-FID. Synchronous read: cpu/wasm only. */
export function extractFeatures(model: tf.LayersModel, images: tf.Tensor4D, batchSize = 500): Float32Array {
  const f = featureModel(model);
  return readAndDisposeSync<Float32Array>(batched(images, batchSize, (b) => f.predict(b) as tf.Tensor));
}

/** `extractFeatures`, one `await data()` for all batches: works on every backend, WebGPU included. */
export async function extractFeaturesAsync(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  batchSize = 500,
): Promise<Float32Array> {
  const f = featureModel(model);
  return readAndDispose<Float32Array>(batched(images, batchSize, (b) => f.predict(b) as tf.Tensor));
}
