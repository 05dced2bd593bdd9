/**
 * Vector arithmetic on z (Radford et al. 2015, §6.3 and Figure 7): average the z of three exemplars
 * per visual concept, compute e.g. z(smiling woman) − z(neutral woman) + z(neutral man), and render
 * G of the result plus 8 variations with uniform noise of scale ±0.25 added to z (the paper's recipe).
 * Radford picked exemplars by hand; here they are chosen automatically: the generated samples that a
 * nearest-centroid classifier, whose centroids are the mean real images of each attribute
 * combination (CelebA's list_attr_celeba.txt), assigns to the concept with the largest margin.
 *   const bank = sampleBank(G, 100, 2000, 7);
 *   const r = vectorArithmetic(bank, G, dataset, SMILING_MAN);
 *   show(r.picture);
 */
import * as tf from '@tensorflow/tfjs';
import { examplesWithAttribute } from '../data/celeba';
import type { ImageDataset } from '../data/types';
import { hstack, imageGrid, Picture } from '../plot';
import { sampleNoise } from '../train/step';
import { Rng } from '../util/rng';

/** A visual concept as an attribute combination, e.g. `{ name: 'smiling woman', attributes: { Smiling: 1, Male: -1 } }`. */
export interface Concept {
  name: string;
  /** CelebA attribute → +1 (has it) or −1 (has not). */
  attributes: Readonly<Record<string, 1 | -1>>;
}

/** `terms[0] ± terms[1] ± …`, and the concept the result should show. */
export interface ConceptEquation {
  terms: ReadonlyArray<{ concept: Concept; sign: 1 | -1 }>;
  expected: Concept;
}

const concept = (name: string, attributes: Record<string, 1 | -1>): Concept => ({ name, attributes });

/** Radford et al. 2015, Figure 7 (top): smiling woman − neutral woman + neutral man = smiling man. */
export const SMILING_MAN: Readonly<ConceptEquation> = {
  terms: [
    { concept: concept('smiling woman', { Smiling: 1, Male: -1 }), sign: 1 },
    { concept: concept('neutral woman', { Smiling: -1, Male: -1 }), sign: -1 },
    { concept: concept('neutral man', { Smiling: -1, Male: 1 }), sign: 1 },
  ],
  expected: concept('smiling man', { Smiling: 1, Male: 1 }),
};

/** Radford et al. 2015, Figure 7 (bottom): man with glasses − man without + woman without = woman with glasses. */
export const WOMAN_WITH_GLASSES: Readonly<ConceptEquation> = {
  terms: [
    { concept: concept('man with glasses', { Male: 1, Eyeglasses: 1 }), sign: 1 },
    { concept: concept('man without glasses', { Male: 1, Eyeglasses: -1 }), sign: -1 },
    { concept: concept('woman without glasses', { Male: -1, Eyeglasses: -1 }), sign: 1 },
  ],
  expected: concept('woman with glasses', { Male: -1, Eyeglasses: 1 }),
};

/** Radford et al. 2015, §6.3: "uniform noise sampled with scale +-0.25 was added to Y". */
export const VECTOR_ARITHMETIC_DEFAULTS = {
  perConcept: 3,
  variations: 8,
  noiseScale: 0.25,
  /** Average-pool factor of the pixel features (64×64 → 16×16: mouth and glasses survive, noise does not). */
  pool: 4,
  /** Real images averaged per concept centroid. */
  maxRealPerConcept: 1000,
} as const;

/** Indices (of `ds`) of the examples having every attribute value of `attributes`. */
export function examplesWithAttributes(
  ds: ImageDataset,
  attributes: Readonly<Record<string, 1 | -1>>,
): Int32Array {
  const entries = Object.entries(attributes);
  if (entries.length === 0) throw new Error('Expected at least one attribute in the concept, but got none.');
  let keep: Int32Array | undefined;
  for (const [name, value] of entries) {
    if (value !== 1 && value !== -1) {
      throw new Error(`Expected attribute ${name} to be 1 or -1, but got ${JSON.stringify(value)}.`);
    }
    const idx = examplesWithAttribute(ds, name, value);
    if (!keep) keep = idx;
    else {
      const set = new Set(idx);
      keep = keep.filter((i) => set.has(i));
    }
  }
  return keep as Int32Array;
}

/** Features for exemplar selection: images [n, H, W, C] → average-pooled pixels [n, (H/pool)·(W/pool)·C]. */
export function pixelFeatures(
  images: tf.Tensor4D,
  pool: number = VECTOR_ARITHMETIC_DEFAULTS.pool,
): tf.Tensor2D {
  if (!Number.isInteger(pool) || pool < 1)
    throw new Error(`Expected pool to be a positive integer, but got ${pool}.`);
  const [n, h, w] = images.shape;
  if (h % pool !== 0 || w % pool !== 0) {
    throw new Error(`Expected the image size ${h}×${w} to be divisible by pool = ${pool}.`);
  }
  return tf.tidy(() => {
    const pooled = pool === 1 ? images : tf.avgPool(images, pool, pool, 'valid');
    return pooled.reshape([n, -1]) as tf.Tensor2D;
  });
}

/** A dataset that can gather examples by index (Uint8Dataset, e.g. what loadCeleba returns). */
export type GatherableDataset = ImageDataset & { gather(indices: ArrayLike<number>): tf.Tensor4D };

/** Centroids [concepts, d]: the mean features of up to `maxPerConcept` real images of each concept. */
export function conceptCentroids(
  ds: GatherableDataset,
  concepts: readonly Concept[],
  options: { pool?: number; maxPerConcept?: number; chunk?: number } = {},
): { centroids: tf.Tensor2D; counts: number[] } {
  const pool = options.pool ?? VECTOR_ARITHMETIC_DEFAULTS.pool;
  const max = options.maxPerConcept ?? VECTOR_ARITHMETIC_DEFAULTS.maxRealPerConcept;
  const chunk = options.chunk ?? 256;
  const counts: number[] = [];
  const rows: tf.Tensor1D[] = [];
  try {
    for (const c of concepts) {
      const all = examplesWithAttributes(ds, c.attributes);
      if (all.length === 0) {
        throw new Error(
          `No real image of "${c.name}" (${JSON.stringify(c.attributes)}) in ${ds.name}: cannot place its centroid. Choose another attribute combination.`,
        );
      }
      // Evenly spaced over the stored order, so a prefix of a sorted source does not dominate.
      const n = Math.min(max, all.length);
      const idx = Int32Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]);
      let sum: tf.Tensor1D | undefined;
      for (let s = 0; s < n; s += chunk) {
        const part = tf.tidy(() => {
          const imgs = ds.gather(idx.subarray(s, Math.min(n, s + chunk)));
          return pixelFeatures(imgs, pool).sum(0) as tf.Tensor1D;
        });
        const next = sum ? tf.add(sum, part) : part;
        if (sum) tf.dispose([sum, part]);
        sum = next as tf.Tensor1D;
      }
      rows.push(tf.tidy(() => tf.div(sum as tf.Tensor1D, n) as tf.Tensor1D));
      sum?.dispose();
      counts.push(n);
    }
    return { centroids: tf.stack(rows) as tf.Tensor2D, counts };
  } finally {
    tf.dispose(rows);
  }
}

/** Squared distances [n, c] between features [n, d] and centroids [c, d]. */
function squaredDistances(features: tf.Tensor2D, centroids: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const f2 = tf.sum(tf.square(features), 1, true); // [n, 1]
    const c2 = tf.sum(tf.square(centroids), 1).reshape([1, -1]); // [1, c]
    return tf.add(tf.sub(f2, tf.mul(2, tf.matMul(features, centroids, false, true))), c2) as tf.Tensor2D;
  });
}

/** Index of the nearest centroid of each row of `features`. */
export function nearestCentroid(features: tf.Tensor2D, centroids: tf.Tensor2D): Int32Array {
  const t = tf.tidy(() => tf.argMin(squaredDistances(features, centroids), 1));
  const out = Int32Array.from(t.dataSync());
  t.dispose();
  return out;
}

export interface Exemplars {
  /** indices[c]: the `perConcept` rows of `features` chosen for concept c, best first. */
  indices: number[][];
  /**
   * margins[c][j]: ‖x − m_other‖² − ‖x − m_c‖² for the nearest other centroid (> 0: the sample is
   * nearer to its concept than to every other concept of the equation).
   */
  margins: number[][];
}

/**
 * For each concept c, the `perConcept` samples with the largest margin for c under a nearest-centroid
 * classifier over the given centroids. The margin in squared distances is linear in x
 * (2·x·(m_c − m_o) + ‖m_o‖² − ‖m_c‖²): what all concepts share (pose, background, skin) cancels, and
 * what tells them apart (the mouth, the glasses) decides. Needs at least 2 centroids.
 */
export function selectExemplars(
  features: tf.Tensor2D,
  centroids: tf.Tensor2D,
  perConcept: number = VECTOR_ARITHMETIC_DEFAULTS.perConcept,
): Exemplars {
  const [n, d] = features.shape;
  const [c, dc] = centroids.shape;
  if (d !== dc) throw new Error(`Expected features and centroids of one size, but got ${d} and ${dc}.`);
  if (c < 2) throw new Error(`Expected at least 2 centroids (concepts to tell apart), but got ${c}.`);
  if (!Number.isInteger(perConcept) || perConcept < 1 || perConcept > n) {
    throw new Error(
      `Expected perConcept to be an integer in [1, ${n}] (the number of samples), but got ${perConcept}.`,
    );
  }
  const dist = squaredDistances(features, centroids);
  const dv = dist.dataSync();
  dist.dispose();
  const indices: number[][] = [];
  const margins: number[][] = [];
  for (let k = 0; k < c; k++) {
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let other = Infinity;
      for (let o = 0; o < c; o++) if (o !== k) other = Math.min(other, dv[i * c + o]);
      m[i] = other - dv[i * c + k];
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => m[b] - m[a] || a - b);
    indices.push(order.slice(0, perConcept));
    margins.push(order.slice(0, perConcept).map((i) => m[i]));
  }
  return { indices, margins };
}

/** Mean z of each concept's exemplars [c, latentDim] and Σ sign_c · z̄_c [latentDim]. */
export function conceptArithmetic(
  z: tf.Tensor2D,
  exemplars: readonly (readonly number[])[],
  signs: readonly number[],
): { conceptZ: tf.Tensor2D; result: tf.Tensor1D } {
  if (exemplars.length !== signs.length) {
    throw new Error(`Expected one sign per concept (${exemplars.length}), but got ${signs.length}.`);
  }
  exemplars.forEach((ix, k) => {
    if (ix.length === 0) throw new Error(`Expected at least one exemplar for concept ${k}, but got none.`);
    ix.forEach((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= z.shape[0]) {
        throw new RangeError(`Exemplar index ${i} of concept ${k} is outside [0, ${z.shape[0]}).`);
      }
    });
  });
  return tf.tidy(() => {
    const means = exemplars.map((ix) => tf.gather(z, tf.tensor1d(Array.from(ix), 'int32')).mean(0));
    const conceptZ = tf.stack(means) as tf.Tensor2D;
    const result = tf.sum(
      tf.mul(conceptZ, tf.tensor2d(Array.from(signs), [signs.length, 1])),
      0,
    ) as tf.Tensor1D;
    return { conceptZ, result };
  });
}

/**
 * `count + 1` points: `z` itself at row ⌊(count+1)/2⌋ (the centre of a 3×3 grid when count = 8) and
 * `count` copies with uniform noise in [−scale, scale] added to each coordinate (seeded).
 */
export function noiseVariations(
  z: tf.Tensor1D,
  count: number = VECTOR_ARITHMETIC_DEFAULTS.variations,
  scale: number = VECTOR_ARITHMETIC_DEFAULTS.noiseScale,
  seed = 0,
): tf.Tensor2D {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`Expected count to be a non-negative integer, but got ${count}.`);
  if (!(scale >= 0)) throw new Error(`Expected scale ≥ 0, but got ${scale}.`);
  const dim = z.shape[0];
  const rng = new Rng(seed);
  const centre = Math.floor((count + 1) / 2);
  const noise = new Float32Array((count + 1) * dim);
  for (let r = 0; r < count + 1; r++) {
    if (r === centre) continue;
    for (let j = 0; j < dim; j++) noise[r * dim + j] = (rng.next() * 2 - 1) * scale;
  }
  return tf.tidy(() => tf.add(z.reshape([1, dim]), tf.tensor2d(noise, [count + 1, dim])) as tf.Tensor2D);
}

/** `top` above `bottom` (same width), `gap` white rows between. */
export function stackVertically(top: Picture, bottom: Picture, gap: number): Picture {
  if (top.width !== bottom.width) {
    throw new Error(`Expected pictures of one width to stack, but got ${top.width} and ${bottom.width}.`);
  }
  const w = top.width;
  const data = new Uint8ClampedArray(w * (top.height + gap + bottom.height) * 4).fill(255);
  data.set(top.rgba.data, 0);
  data.set(bottom.rgba.data, w * (top.height + gap) * 4);
  return new Picture({ width: w, height: top.height + gap + bottom.height, data });
}

/** Generated samples to pick exemplars from: their z [n, latentDim] and pooled pixel features [n, d]. */
export interface SampleBank {
  z: tf.Tensor2D;
  features: tf.Tensor2D;
  pool: number;
  seed: number;
  dispose(): void;
}

/** Draw `n` seeded z, run G in inference mode batch by batch, keep z and the pooled pixel features. */
export function sampleBank(
  generator: tf.LayersModel,
  latentDim: number,
  n: number,
  seed: number,
  options: { pool?: number; batch?: number } = {},
): SampleBank {
  if (!Number.isInteger(n) || n < 1) throw new Error(`Expected n to be a positive integer, but got ${n}.`);
  const pool = options.pool ?? VECTOR_ARITHMETIC_DEFAULTS.pool;
  const batch = options.batch ?? 256;
  const z = sampleNoise(new Rng(seed), n, latentDim);
  const parts: tf.Tensor2D[] = [];
  try {
    for (let s = 0; s < n; s += batch) {
      const b = Math.min(batch, n - s);
      parts.push(
        tf.tidy(() => pixelFeatures(generator.predict(z.slice([s, 0], [b, latentDim])) as tf.Tensor4D, pool)),
      );
    }
    const features = tf.concat(parts) as tf.Tensor2D;
    return { z, features, pool, seed, dispose: () => tf.dispose([z, features]) };
  } catch (e) {
    z.dispose();
    throw e;
  } finally {
    tf.dispose(parts);
  }
}

export interface VectorArithmeticResult {
  /** Radford's Figure 7 layout: each concept's 3 exemplars above G(mean z), then the 3×3 result grid. */
  picture: Picture;
  equation: string;
  /** Per concept: the bank rows chosen, their margins, and how many real images placed its centroid. */
  concepts: Array<{ name: string; sign: 1 | -1; exemplars: number[]; margins: number[]; realImages: number }>;
  /** Real images behind the expected concept's centroid. */
  expectedRealImages: number;
  /**
   * The 9 result images (z and its 8 variations) classified by the nearest centroid among the
   * equation's concepts and the expected one: counts per concept name.
   */
  resultClasses: Record<string, number>;
  /** The same classification for G(z̄) of the last term (the baseline the arithmetic modifies). */
  baselineClasses: Record<string, number>;
  /** The result z [latentDim] (the caller disposes it). */
  z: tf.Tensor1D;
}

/** The whole Figure 7 pipeline for one equation (see the file header). */
export function vectorArithmetic(
  bank: SampleBank,
  generator: tf.LayersModel,
  dataset: GatherableDataset,
  equation: ConceptEquation,
  options: {
    perConcept?: number;
    variations?: number;
    noiseScale?: number;
    maxRealPerConcept?: number;
    seed?: number;
    /** Upscale of the tiles in the picture (default 2). */
    scale?: number;
  } = {},
): VectorArithmeticResult {
  const perConcept = options.perConcept ?? VECTOR_ARITHMETIC_DEFAULTS.perConcept;
  const variations = options.variations ?? VECTOR_ARITHMETIC_DEFAULTS.variations;
  const noiseScale = options.noiseScale ?? VECTOR_ARITHMETIC_DEFAULTS.noiseScale;
  const scale = options.scale ?? 2;
  const terms = equation.terms;
  if (terms.length < 2)
    throw new Error(`Expected at least 2 terms in the equation, but got ${terms.length}.`);
  const all = [...terms.map((t) => t.concept), equation.expected];
  const names = all.map((c) => c.name);
  const { centroids, counts } = conceptCentroids(dataset, all, {
    pool: bank.pool,
    maxPerConcept: options.maxRealPerConcept,
  });
  const termCentroids = centroids.slice(0, terms.length);
  const tensors: tf.Tensor[] = [centroids, termCentroids];
  try {
    const ex = selectExemplars(bank.features, termCentroids, perConcept);
    const { conceptZ, result } = conceptArithmetic(
      bank.z,
      ex.indices,
      terms.map((t) => t.sign),
    );
    tensors.push(conceptZ);
    const varZ = noiseVariations(result, variations, noiseScale, options.seed ?? 0);
    tensors.push(varZ);
    const panels: Picture[] = [];
    const classify = (imgs: tf.Tensor4D): Record<string, number> => {
      const f = pixelFeatures(imgs, bank.pool);
      const cls = nearestCentroid(f, centroids);
      f.dispose();
      const out: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
      cls.forEach((k) => (out[names[k]] += 1));
      return out;
    };
    let baselineClasses: Record<string, number> = {};
    terms.forEach((t, k) => {
      const [exemplarImgs, meanImg] = tf.tidy(() => [
        generator.predict(tf.gather(bank.z, tf.tensor1d(ex.indices[k], 'int32'))) as tf.Tensor4D,
        generator.predict(conceptZ.slice([k, 0], [1, -1])) as tf.Tensor4D,
      ]);
      if (k === terms.length - 1) baselineClasses = classify(meanImg);
      // The exemplars, a gap, then G(mean z) (Radford's layout).
      panels.push(
        stackVertically(imageGrid(exemplarImgs, { nrow: 1, scale }), imageGrid(meanImg, { scale }), 12),
      );
      tf.dispose([exemplarImgs, meanImg]);
    });
    const resultImgs = generator.predict(varZ) as tf.Tensor4D;
    const resultClasses = classify(resultImgs);
    panels.push(imageGrid(resultImgs, { nrow: Math.ceil(Math.sqrt(variations + 1)), scale }));
    resultImgs.dispose();
    const captions = [
      terms[0].concept.name,
      ...terms.slice(1).map((t) => `${t.sign > 0 ? '+' : '−'} ${t.concept.name}`),
      `= ${equation.expected.name}?`,
    ];
    const picture = hstack(panels, { gap: 24, captions });
    const equationText =
      terms
        .map((t, k) => `${k === 0 ? (t.sign > 0 ? '' : '−') : t.sign > 0 ? ' + ' : ' − '}${t.concept.name}`)
        .join('') + ` = ${equation.expected.name}?`;
    return {
      picture,
      equation: equationText,
      concepts: terms.map((t, k) => ({
        name: t.concept.name,
        sign: t.sign,
        exemplars: ex.indices[k],
        margins: ex.margins[k],
        realImages: counts[k],
      })),
      expectedRealImages: counts[terms.length],
      resultClasses,
      baselineClasses,
      z: result,
    };
  } finally {
    tf.dispose(tensors);
  }
}
