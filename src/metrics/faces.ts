/**
 * Face-FID: the Fréchet distance (Heusel et al. 2017) between generated and held-out real faces in the
 * 128-d penultimate layer of a small CNN trained here to predict the 40 CelebA attributes (multi-label,
 * sigmoid cross-entropy) on the face set in use — real CelebA, or the procedural stand-in, which the
 * manifest records. Like classifier-FID, its values compare only with each other, never with published
 * Inception-based CelebA FIDs. Weights: src/metrics/weights/faces-attrnet.*, by `npx gan train-face-features`.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadCeleba } from '../data/celeba';
import type { Uint8Dataset } from '../data/uint8Dataset';
import { projectRoot } from '../util/paths';
import { Rng } from '../util/rng';
import { frechetDistance, meanAndCovariance } from './frechet';
import {
  loadWeightsFile,
  weightEntries,
  writeWeightsFile,
  type WeightsFileManifest,
  type WeightsKind,
} from './weightsFile';

export const FACE_FEATURE_LAYER = 'features';
export const FACE_FEATURE_DIM = 128;
/** The network sees 32×32 faces; 64×64 inputs are average-pooled 2× first. */
export const FACE_INPUT_SIZE = 32;
export const FACE_ATTRIBUTE_COUNT = 40;
export const FACE_WEIGHTS_FORMAT = 'gan-notebooks/face-features';
export const FACE_WEIGHTS_VERSION = 1;
/** Real held-out faces behind the reference statistics (the stand-in's test split has 1,971). */
export const FACE_REAL_COUNT = 2000;

/** Where the committed weights live (in the source tree, also when running from dist/). */
export const DEFAULT_FACE_WEIGHTS = path.join(projectRoot(), 'src', 'metrics', 'weights', 'faces-attrnet');

/** [b, 32, 32, 3] in [-1, 1] → 40 attribute logits; the 128-d `features` layer feeds face-FID. */
export function buildFaceNet(seed = 1): tf.Sequential {
  const rng = new Rng(seed);
  const init = () => tf.initializers.heNormal({ seed: rng.uint32() });
  const conv = (filters: number, kernelSize: number, strides: number, inputShape?: number[]) =>
    tf.layers.conv2d({
      ...(inputShape ? { inputShape } : {}),
      filters,
      kernelSize,
      strides,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
    });
  const m = tf.sequential({ name: 'face_attrnet' });
  // Strided convolutions rather than conv + max-pool: ~4× fewer multiply-adds, so that training fits
  // in a few minutes of a 2-core CPU (our measurement).
  // [b, 32, 32, 3] -> [b, 16, 16, 16]
  m.add(conv(16, 3, 2, [FACE_INPUT_SIZE, FACE_INPUT_SIZE, 3]));
  // [b, 16, 16, 16] -> [b, 8, 8, 32]
  m.add(conv(32, 3, 2));
  // [b, 8, 8, 32] -> [b, 4, 4, 64]
  m.add(conv(64, 3, 2));
  // [b, 4, 4, 64] -> [b, 4, 4, 32]: a 1×1 bottleneck keeps the dense layer (and the weight file) small
  m.add(conv(32, 1, 1));
  // [b, 4, 4, 32] -> [b, 512]
  m.add(tf.layers.flatten());
  // [b, 512] -> [b, 128]: the feature layer
  m.add(
    tf.layers.dense({
      units: FACE_FEATURE_DIM,
      activation: 'relu',
      name: FACE_FEATURE_LAYER,
      kernelInitializer: init(),
    }),
  );
  m.add(tf.layers.dropout({ rate: 0.2, seed: rng.uint32() }));
  // [b, 128] -> [b, 40] attribute logits
  m.add(tf.layers.dense({ units: FACE_ATTRIBUTE_COUNT, kernelInitializer: init() }));
  return m;
}

export interface FaceWeightsManifest extends WeightsFileManifest {
  /** The face set it was trained on (the dataset's `source`). */
  trainedOn: string;
  /** True when trained on the procedural stand-in, not CelebA. */
  standIn: boolean;
  trainCount: number;
  testCount: number;
  epochs: number;
  seed: number;
  /** Mean over the 40 attributes of the accuracy on the held-out test split. */
  heldOutAccuracy: number;
  /** The same for always predicting each attribute's train-split majority: the bar to clear. */
  majorityAccuracy: number;
  attributes: string[];
  backend: string;
  seconds: number;
}

export type FaceTrainInfo = Omit<FaceWeightsManifest, 'format' | 'version' | 'weights'>;

const FACE_WEIGHTS: WeightsKind = {
  format: FACE_WEIGHTS_FORMAT,
  version: FACE_WEIGHTS_VERSION,
  label: 'Face-feature weights',
  missingHint: 'Re-train them with `npx gan train-face-features`.',
  invalidHint: 'Re-train them with `npx gan train-face-features`.',
};

/** Write `<base>.bin` (float32 little-endian, in model.getWeights() order) and `<base>.json`, atomically. */
export async function saveFaceNet(model: tf.LayersModel, base: string, info: FaceTrainInfo): Promise<void> {
  const manifest: FaceWeightsManifest = {
    format: FACE_WEIGHTS_FORMAT,
    version: FACE_WEIGHTS_VERSION,
    weights: weightEntries(model),
    ...info,
  };
  const arrays: Float32Array[] = [];
  for (const w of model.getWeights()) arrays.push((await w.data()) as Float32Array);
  writeWeightsFile(base, manifest, arrays);
}

/** Load weights saved by `saveFaceNet`, validating manifest, shapes and byte length. */
export function loadFaceNet(base = DEFAULT_FACE_WEIGHTS): {
  model: tf.Sequential;
  manifest: FaceWeightsManifest;
} {
  return loadWeightsFile<FaceWeightsManifest, tf.Sequential>(base, FACE_WEIGHTS, () => buildFaceNet());
}

/** The side S of faces [N, S, S, 3], N ≥ 1, S = 32 or 64; throws otherwise. */
export function checkFaceShape(images: tf.Tensor): 32 | 64 {
  const [n, h, w, c] = images.shape;
  if (images.rank !== 4 || n < 1 || c !== 3 || h !== w || (h !== 32 && h !== 64)) {
    throw new Error(`Expected faces [N, S, S, 3] with S = 32 or 64, but got [${images.shape.join(', ')}].`);
  }
  return h;
}

/** Images [N, S, S, 3] with S = 32 or 64 → the network's [N, 32, 32, 3] (64×64: 2×2 average pooling). */
export function toFaceInput(images: tf.Tensor4D): tf.Tensor4D {
  const h = checkFaceShape(images);
  if (h === FACE_INPUT_SIZE) return images.clone();
  return tf.tidy(() => tf.avgPool(images, 2, 2, 'valid'));
}

/** The 128-d penultimate features, row-major [N × 128], read asynchronously batch by batch. */
export async function extractFaceFeatures(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  batchSize = 250,
): Promise<Float32Array> {
  const f = tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(FACE_FEATURE_LAYER).output as tf.SymbolicTensor,
  });
  const n = images.shape[0];
  const out = new Float32Array(n * FACE_FEATURE_DIM);
  for (let s = 0; s < n; s += batchSize) {
    const b = Math.min(batchSize, n - s);
    const t = tf.tidy(() => {
      const x = toFaceInput(images.slice([s, 0, 0, 0], [b, -1, -1, -1]));
      return f.predict(x) as tf.Tensor;
    });
    out.set((await t.data()) as Float32Array, s * FACE_FEATURE_DIM);
    t.dispose();
  }
  return out;
}

/** The attribute table of a face split as 0/1 targets (unknown → NaN), validated. */
function attributeTargets(ds: Uint8Dataset): { names: string[]; values: Int8Array } {
  if (!ds.attributes) {
    throw new Error(
      `${ds.source}: no attributes (list_attr_celeba.txt next to the images); the face-feature net learns from them.`,
    );
  }
  if (ds.attributes.names.length !== FACE_ATTRIBUTE_COUNT) {
    throw new Error(
      `${ds.source}: expected ${FACE_ATTRIBUTE_COUNT} CelebA attributes, got ${ds.attributes.names.length}.`,
    );
  }
  return { names: [...ds.attributes.names], values: ds.attributes.values };
}

function toUnit(u8: Uint8Array): Float32Array {
  const out = new Float32Array(u8.length);
  for (let i = 0; i < u8.length; i++) out[i] = u8[i] / 127.5 - 1;
  return out;
}

/**
 * Each image mirrored left-right with probability ½, one `rng` draw per image in order (faces and
 * their attributes are left-right symmetric): the training augmentation of the face nets.
 */
export function randomFlipLeftRight(images: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  const flips = Array.from({ length: images.shape[0] }, () => (rng.next() < 0.5 ? 1 : 0));
  return tf.tidy(() => {
    const flip = tf.tensor4d(flips, [flips.length, 1, 1, 1]).cast('bool');
    return tf.where(flip, tf.image.flipLeftRight(images), images) as tf.Tensor4D;
  });
}

export interface TrainFaceNetOptions {
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Train on the first this-many examples of a seeded permutation of the split (CPU budget). */
  maxTrain?: number;
  lr?: number;
  onEpoch?: (epoch: number, loss: number, seconds: number) => void;
}

/**
 * Our measurement (wasm, 2-core CPU shared with other jobs, load ~12): 6 epochs over a seeded 6,000 of
 * the 16,068 stand-in train faces took 489 s and reached 88.8 % mean held-out attribute accuracy
 * (always-majority: 83.9 %). Adam 1e-3, batch 64 (Kingma & Ba 2015 defaults); batch 128 was no faster.
 */
export const FACE_TRAIN_DEFAULTS = { epochs: 6, batchSize: 64, seed: 1, maxTrain: 6000, lr: 1e-3 } as const;

/**
 * Train the attribute net on a 32×32 train split (Adam, sigmoid cross-entropy over the 40 attributes,
 * random horizontal flips, seeded shuffles). Unknown attributes (0) are masked out of the loss.
 */
export async function trainFaceNet(
  train: Uint8Dataset,
  options: TrainFaceNetOptions = {},
): Promise<{ model: tf.Sequential; trainCount: number }> {
  const o = { ...FACE_TRAIN_DEFAULTS, ...options };
  if (train.shape[0] !== FACE_INPUT_SIZE) {
    throw new Error(
      `Expected a ${FACE_INPUT_SIZE}×${FACE_INPUT_SIZE} face split, but got ${train.shape.join('×')}.`,
    );
  }
  const { values } = attributeTargets(train);
  const k = FACE_ATTRIBUTE_COUNT;
  const pick = new Rng(o.seed).permutation(train.count).subarray(0, Math.min(o.maxTrain, train.count));
  const n = pick.length;
  const pixels = FACE_INPUT_SIZE * FACE_INPUT_SIZE * 3;
  const u8 = train.gatherUint8(pick);
  train.store.close();
  const targets = new Float32Array(n * k);
  const mask = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const v = values[pick[i] * k + j];
      targets[i * k + j] = v > 0 ? 1 : 0;
      mask[i * k + j] = v === 0 ? 0 : 1;
    }
  }
  const model = buildFaceNet(o.seed);
  const opt = tf.train.adam(o.lr);
  const t0 = Date.now();
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const perm = new Rng(o.seed * 1000 + epoch).permutation(n);
    const flipRng = new Rng(o.seed * 7919 + epoch);
    let lossSum = 0;
    let steps = 0;
    for (let s = 0; s + o.batchSize <= n; s += o.batchSize) {
      const idx = perm.subarray(s, s + o.batchSize);
      const xb = new Uint8Array(o.batchSize * pixels);
      const yb = new Float32Array(o.batchSize * k);
      const mb = new Float32Array(o.batchSize * k);
      idx.forEach((e, i) => {
        xb.set(u8.subarray(e * pixels, (e + 1) * pixels), i * pixels);
        yb.set(targets.subarray(e * k, (e + 1) * k), i * k);
        mb.set(mask.subarray(e * k, (e + 1) * k), i * k);
      });
      const loss = tf.tidy(() => {
        const raw = tf.tensor4d(toUnit(xb), [o.batchSize, FACE_INPUT_SIZE, FACE_INPUT_SIZE, 3]);
        const x = randomFlipLeftRight(raw, flipRng);
        const y = tf.tensor2d(yb, [o.batchSize, k]);
        const w = tf.tensor2d(mb, [o.batchSize, k]);
        return opt.minimize(() => {
          const logits = model.apply(x, { training: true }) as tf.Tensor2D;
          return tf.losses.sigmoidCrossEntropy(y, logits, w) as tf.Scalar;
        }, true) as tf.Scalar;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      steps++;
    }
    o.onEpoch?.(epoch, lossSum / Math.max(steps, 1), (Date.now() - t0) / 1000);
  }
  opt.dispose();
  return { model, trainCount: n };
}

/**
 * Mean per-attribute accuracy of the net on a labelled face split (unknown attributes skipped), and
 * that of always predicting `majority` (each attribute's most common train value, ±1).
 */
export async function attributeAccuracy(
  model: tf.LayersModel,
  ds: Uint8Dataset,
  majority?: Int8Array,
  batchSize = 250,
): Promise<{ accuracy: number; majorityAccuracy: number; perAttribute: Float64Array }> {
  const { values } = attributeTargets(ds);
  const k = FACE_ATTRIBUTE_COUNT;
  const hits = new Float64Array(k);
  const seen = new Float64Array(k);
  const majHits = new Float64Array(k);
  for (let s = 0; s < ds.count; s += batchSize) {
    const b = Math.min(batchSize, ds.count - s);
    const x = ds.take(b, s);
    const logits = tf.tidy(() => model.predict(toFaceInput(x)) as tf.Tensor);
    const p = (await logits.data()) as Float32Array;
    tf.dispose([x, logits]);
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < k; j++) {
        const v = values[(s + i) * k + j];
        if (v === 0) continue;
        seen[j]++;
        if ((p[i * k + j] > 0 ? 1 : -1) === v) hits[j]++;
        if (majority && majority[j] === v) majHits[j]++;
      }
    }
  }
  const perAttribute = hits.map((h, j) => (seen[j] > 0 ? h / seen[j] : NaN));
  const mean = (a: Float64Array) => {
    let sum = 0;
    let m = 0;
    a.forEach((h, j) => {
      if (seen[j] > 0) {
        sum += h / seen[j];
        m++;
      }
    });
    return sum / Math.max(m, 1);
  };
  return { accuracy: mean(hits), majorityAccuracy: mean(majHits), perAttribute };
}

/** Each attribute's most common value (±1) in a split: the majority-vote baseline. */
export function majorityAttributes(ds: Uint8Dataset): Int8Array {
  const { values } = attributeTargets(ds);
  const k = FACE_ATTRIBUTE_COUNT;
  const sum = new Float64Array(k);
  for (let i = 0; i < values.length; i++) sum[i % k] += values[i];
  return Int8Array.from(sum, (s) => (s >= 0 ? 1 : -1));
}

interface RealStats {
  mean: Float64Array;
  cov: Float64Array;
  count: number;
  source: string;
}

export interface FaceMetricsOptions {
  /** Weights path without extension; default the committed `faces-attrnet`. */
  weights?: string;
  /** Real faces [N, S, S, 3] in [-1, 1] for the reference statistics (instead of the test split). */
  real?: tf.Tensor4D;
  /** Face folder for the held-out test split; default `CELEBA_DIR`, else data/celeba. */
  dir?: string;
  /** How many test-split faces (from the first) the reference statistics use; default 2,000. */
  count?: number;
}

export class FaceMetrics {
  private readonly stats = new Map<number, RealStats>();
  private mismatchNote: string | undefined;

  private constructor(
    readonly model: tf.LayersModel,
    readonly manifest: FaceWeightsManifest,
    private readonly dir: string | undefined,
    private readonly count: number,
    fixed: RealStats | undefined,
  ) {
    if (fixed) this.stats.set(0, fixed);
  }

  /**
   * Load the feature net and the real held-out faces' feature statistics: from `real` when given,
   * else from the first `count` (2,000) faces of the test split: at 32×32 now, and at 64×64 the first
   * time 64×64 images are scored (the network pools them, so real and generated go the same way).
   */
  static async load(options: FaceMetricsOptions = {}): Promise<FaceMetrics> {
    const count = options.count ?? FACE_REAL_COUNT;
    if (!Number.isInteger(count) || count < 2) {
      throw new Error(`Expected count to be an integer ≥ 2, but got ${count}.`);
    }
    const { model, manifest } = loadFaceNet(options.weights ?? DEFAULT_FACE_WEIGHTS);
    let fixed: RealStats | undefined;
    if (options.real) {
      const n = options.real.shape[0];
      const f = await extractFaceFeatures(model, options.real);
      fixed = { ...meanAndCovariance(f, n, FACE_FEATURE_DIM), count: n, source: 'given real faces' };
    }
    const metrics = new FaceMetrics(model, manifest, options.dir, count, fixed);
    if (!fixed) await metrics.realStats(FACE_INPUT_SIZE);
    return metrics;
  }

  /**
   * Set when the held-out faces are not the kind the net was trained on (e.g. the committed
   * stand-in-trained net on real CelebA): the scores still compare runs, but say so and retrain.
   */
  get mismatch(): string | undefined {
    return this.mismatchNote;
  }

  /** What the features were trained on, for labels next to the numbers. */
  get label(): string {
    const base = this.manifest.standIn
      ? 'face-FID (features of a net trained on the procedural stand-in, not CelebA)'
      : 'face-FID (features of a net trained on CelebA attributes)';
    return this.mismatch ? `${base}; ${this.mismatch}` : base;
  }

  /** How many real faces the reference statistics for `size` use (after they are loaded). */
  realCount(size: 32 | 64 = FACE_INPUT_SIZE): number | undefined {
    return (this.stats.get(0) ?? this.stats.get(size))?.count;
  }

  private async realStats(size: 32 | 64): Promise<RealStats> {
    const known = this.stats.get(0) ?? this.stats.get(size);
    if (known) return known;
    const test = await loadCeleba({ dir: this.dir, size, split: 'test' });
    const n = Math.min(this.count, test.count);
    const real = test.take(n);
    const f = await extractFaceFeatures(this.model, real);
    real.dispose();
    const s = { ...meanAndCovariance(f, n, FACE_FEATURE_DIM), count: n, source: test.source };
    if (test.standIn !== this.manifest.standIn) {
      const kind = (standIn: boolean) => (standIn ? 'the procedural stand-in' : 'CelebA');
      this.mismatchNote =
        `the net was trained on ${kind(this.manifest.standIn)} but the held-out faces are ${kind(test.standIn)}: ` +
        `retrain it with \`npx gan train-face-features${this.dir ? ` --dir ${this.dir}` : ''}\``;
    }
    this.stats.set(size, s);
    return s;
  }

  /** Face-FID of images [N, S, S, 3] in [-1, 1] (S = 32 or 64) against the real held-out faces. */
  async score(images: tf.Tensor4D): Promise<{ fid: number; n: number }> {
    const size = checkFaceShape(images);
    const n = images.shape[0];
    if (n < 2) throw new Error(`Expected at least 2 images for a covariance, but got ${n}.`);
    const real = await this.realStats(size);
    const g = meanAndCovariance(await extractFaceFeatures(this.model, images), n, FACE_FEATURE_DIM);
    return { fid: frechetDistance(real.mean, real.cov, g.mean, g.cov), n };
  }

  dispose(): void {
    this.model.dispose();
  }
}
