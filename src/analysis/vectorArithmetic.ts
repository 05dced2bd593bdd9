/**
 * Vector arithmetic on z (Radford et al. 2015, §6.3 and Figure 7): average the z of three exemplars
 * per visual concept, compute e.g. z(smiling woman) − z(neutral woman) + z(neutral man), and render
 * G of the result plus 8 variations with uniform noise of scale ±0.25 added to z (the paper's recipe).
 * Radford picked exemplars by hand; here they are chosen automatically: an attribute judge fitted on
 * real images and CelebA's list_attr_celeba.txt (analysis/attributeCnn.ts, a small CNN, or
 * analysis/attributeJudge.ts, a logistic regression on pooled pixels) scores generated samples, and
 * each concept takes the 3 samples it finds most likely to show that attribute combination.
 *   const judge = await fitAttributeCnn(dataset, ['Smiling', 'Male', 'Eyeglasses']);
 *   const bank = sampleBank(G, 100, 2000, 7, { pool: judge.pool });
 *   const r = vectorArithmetic(bank, G, judge, SMILING_MAN);
 *   show(r.picture);
 */
import * as tf from '@tensorflow/tfjs';
import { examplesWithAttribute } from '../data/celeba';
import type { ImageDataset } from '../data/types';
import { imageGrid } from '../plot/imageGrid';
import { hstack, Picture, vstack } from '../plot/picture';
import { sampleNoise } from '../train/step';
import type { Latent } from '../models/prior';
import { Rng } from '../util/rng';
import {
  FEATURE_POOL,
  gatherFeatures,
  pixelFeatures,
  type AttributeClassifier,
  type GatherableDataset,
} from './attributeJudge';

// The judge lives in its own file; this path keeps exporting it (tutorial 03 imports it from here).
export * from './attributeJudge';

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

/**
 * Radford et al. 2015, Figure 7 (top): smiling woman − neutral woman + neutral man = smiling man.
 * Every concept also has `Eyeglasses: −1`: the attribute an equation does not vary is held fixed in
 * all its concepts, as hand-picked exemplars would be, so that it cannot leak into the difference
 * (measured on a trained 03 generator, scripts/exp/fig7pin.ts: without it glasses appeared in the
 * result, P(Eyeglasses) 0.04 → 0.79; with it 0.00).
 */
export const SMILING_MAN: Readonly<ConceptEquation> = {
  terms: [
    { concept: concept('smiling woman', { Smiling: 1, Male: -1, Eyeglasses: -1 }), sign: 1 },
    { concept: concept('neutral woman', { Smiling: -1, Male: -1, Eyeglasses: -1 }), sign: -1 },
    { concept: concept('neutral man', { Smiling: -1, Male: 1, Eyeglasses: -1 }), sign: 1 },
  ],
  expected: concept('smiling man', { Smiling: 1, Male: 1, Eyeglasses: -1 }),
};

/**
 * Radford et al. 2015, Figure 7 (bottom): man with glasses − man without + woman without = woman with
 * glasses. Every concept also has `Smiling: −1` (see SMILING_MAN; measured: P(Eyeglasses) of the result
 * 0.90 and 0.03 on two sample banks without it, 0.99 and 1.00 with it).
 */
export const WOMAN_WITH_GLASSES: Readonly<ConceptEquation> = {
  terms: [
    { concept: concept('man with glasses', { Male: 1, Eyeglasses: 1, Smiling: -1 }), sign: 1 },
    { concept: concept('man without glasses', { Male: 1, Eyeglasses: -1, Smiling: -1 }), sign: -1 },
    { concept: concept('woman without glasses', { Male: -1, Eyeglasses: -1, Smiling: -1 }), sign: 1 },
  ],
  expected: concept('woman with glasses', { Male: -1, Eyeglasses: 1, Smiling: -1 }),
};

/** Radford et al. 2015, §6.3: "uniform noise sampled with scale +-0.25 was added to Y". */
export const VECTOR_ARITHMETIC_DEFAULTS = {
  perConcept: 3,
  variations: 8,
  noiseScale: 0.25,
  /** Average-pool factor of the judge's pixel features (see FEATURE_POOL). */
  pool: FEATURE_POOL,
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

/** log P(concept) per row of `probabilities` [n][attributes] (attributes independent given the image). */
export function conceptLogProb(
  probabilities: ArrayLike<ArrayLike<number>>,
  attributes: readonly string[],
  c: Concept,
): number[] {
  const cols = Object.entries(c.attributes).map(([name, v]) => {
    const j = attributes.indexOf(name);
    if (j < 0)
      throw new Error(
        `Concept "${c.name}" uses ${name}, which the classifier does not know (it knows ${attributes.join(', ')}).`,
      );
    return [j, v] as const;
  });
  return Array.from(probabilities, (p) =>
    cols.reduce((s, [j, v]) => s + Math.log(Math.max(1e-12, v > 0 ? p[j] : 1 - p[j])), 0),
  );
}

export interface Exemplars {
  /** indices[c]: the `perConcept` rows chosen for concept c, best first. */
  indices: number[][];
  /** scores[c][j]: log P(concept c) of each chosen row under the classifier. */
  scores: number[][];
}

/**
 * For each concept, the `perConcept` rows with the highest log P(concept), each row used at most
 * once (concepts are served in order, so a sample that fits two concepts goes to the first).
 */
export function selectExemplars(
  probabilities: ArrayLike<ArrayLike<number>>,
  attributes: readonly string[],
  concepts: readonly Concept[],
  perConcept: number = VECTOR_ARITHMETIC_DEFAULTS.perConcept,
): Exemplars {
  const n = probabilities.length;
  if (!Number.isInteger(perConcept) || perConcept < 1 || perConcept * concepts.length > n) {
    throw new Error(
      `Expected perConcept to be a positive integer with perConcept × ${concepts.length} concepts ≤ ${n} samples, but got ${perConcept}.`,
    );
  }
  const used = new Set<number>();
  const indices: number[][] = [];
  const scores: number[][] = [];
  for (const c of concepts) {
    const lp = conceptLogProb(probabilities, attributes, c);
    const order = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !used.has(i))
      .sort((x, y) => lp[y] - lp[x] || x - y)
      .slice(0, perConcept);
    order.forEach((i) => used.add(i));
    indices.push(order);
    scores.push(order.map((i) => lp[i]));
  }
  return { indices, scores };
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

/** Generated samples to pick exemplars from: their z [n, latentDim] and pooled pixel features [n, d]. */
export interface SampleBank {
  z: tf.Tensor2D;
  features: tf.Tensor2D;
  pool: number;
  seed: number;
  dispose(): void;
}

/**
 * Draw `n` seeded z from `latent` (the model's prior, or a size for N(0, I)), run G in inference mode batch
 * by batch, keep z and the pooled pixel features.
 */
export function sampleBank(
  generator: tf.LayersModel,
  latent: Latent,
  n: number,
  seed: number,
  options: { pool?: number; batch?: number } = {},
): SampleBank {
  if (!Number.isInteger(n) || n < 1) throw new Error(`Expected n to be a positive integer, but got ${n}.`);
  const pool = options.pool ?? VECTOR_ARITHMETIC_DEFAULTS.pool;
  const batch = options.batch ?? 256;
  const z = sampleNoise(new Rng(seed), n, latent);
  const parts: tf.Tensor2D[] = [];
  try {
    for (let s = 0; s < n; s += batch) {
      const b = Math.min(batch, n - s);
      parts.push(
        tf.tidy(() => pixelFeatures(generator.predict(z.slice([s, 0], [b, -1])) as tf.Tensor4D, pool)),
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
  /** Radford's Figure 7 layout: each concept's first exemplars above G(mean z), then the 3×3 result grid. */
  picture: Picture;
  equation: string;
  /** Per concept: the bank rows chosen and their log P(concept) under the classifier. */
  concepts: Array<{ name: string; sign: 1 | -1; exemplars: number[]; logProbs: number[] }>;
  /** Mean P(attribute) of the 9 result images (z and its 8 variations), per attribute of the classifier. */
  result: Record<string, number>;
  /** The same for G(z̄) of the last term alone: the image the arithmetic starts from. */
  baseline: Record<string, number>;
  /** The result z [latentDim] (the caller disposes it). */
  z: tf.Tensor1D;
}

/** How the arithmetic is run: exemplars per concept, and Radford's noisy copies of the result z. */
export interface ArithmeticOptions {
  perConcept?: number;
  variations?: number;
  noiseScale?: number;
  /** Seed of the variations' noise. */
  seed?: number;
}

/** The judge's P(attribute) of every sample in `bank`, [n][attribute]. */
function bankProbs(bank: SampleBank, judge: AttributeClassifier): number[][] {
  if (judge.pool !== bank.pool) {
    throw new Error(
      `Expected the classifier and the sample bank to pool alike, but got ${judge.pool} and ${bank.pool}.`,
    );
  }
  return tf.tidy(() => judge.predict(bank.features).arraySync());
}

/**
 * The exemplars chosen in `bank` (by `probs`, the judge's view of it), each concept's mean z, the result z and its
 * variations (seeded).
 */
function arithmeticZ(
  bank: SampleBank,
  judge: AttributeClassifier,
  equation: ConceptEquation,
  options: ArithmeticOptions,
  probs: number[][] = bankProbs(bank, judge),
) {
  const perConcept = options.perConcept ?? VECTOR_ARITHMETIC_DEFAULTS.perConcept;
  const variations = options.variations ?? VECTOR_ARITHMETIC_DEFAULTS.variations;
  const noiseScale = options.noiseScale ?? VECTOR_ARITHMETIC_DEFAULTS.noiseScale;
  const terms = equation.terms;
  if (terms.length < 2)
    throw new Error(`Expected at least 2 terms in the equation, but got ${terms.length}.`);
  const ex = selectExemplars(
    probs,
    judge.attributes,
    terms.map((t) => t.concept),
    perConcept,
  );
  const { conceptZ, result } = conceptArithmetic(
    bank.z,
    ex.indices,
    terms.map((t) => t.sign),
  );
  const varZ = noiseVariations(result, variations, noiseScale, options.seed ?? 0);
  return { ex, conceptZ, result, varZ };
}

/** The whole Figure 7 pipeline for one equation (see the file header). */
export function vectorArithmetic(
  bank: SampleBank,
  generator: tf.LayersModel,
  judge: AttributeClassifier,
  equation: ConceptEquation,
  options: ArithmeticOptions & {
    /** Upscale of the tiles in the picture (default 2). */
    scale?: number;
    /** Exemplars drawn per concept, the most likely first (default 3, as in Radford's figure); z̄ averages all. */
    shown?: number;
  } = {},
): VectorArithmeticResult {
  const { ex, conceptZ, result, varZ } = arithmeticZ(bank, judge, equation, options);
  try {
    const figure = figure7(
      generator,
      judge,
      equation,
      { z: bank.z, exemplars: ex.indices, conceptZ, varZ },
      options.scale ?? 2,
      options.shown ?? 3,
    );
    return {
      picture: figure.picture,
      equation: equationText(equation),
      concepts: equation.terms.map((t, k) => ({
        name: t.concept.name,
        sign: t.sign,
        exemplars: ex.indices[k],
        logProbs: ex.scores[k],
      })),
      result: figure.result,
      baseline: figure.baseline,
      z: result,
    };
  } catch (e) {
    result.dispose();
    throw e;
  } finally {
    tf.dispose([conceptZ, varZ]);
  }
}

/** Figure 7's bar: the intended attribute's mean P(attribute) moves by at least this much. */
export const ARITHMETIC_RISE = 0.3;

/**
 * What an equation should do to the image it starts from (G(z̄) of its last term): `intended`, the attributes
 * whose value the result should change to; `kept`, those that vary among the terms but should stay as they
 * are. The attribute every concept holds fixed (see SMILING_MAN) is in neither.
 */
export function equationEffect(equation: ConceptEquation): {
  intended: Record<string, 1 | -1>;
  kept: Record<string, 1 | -1>;
} {
  const last = equation.terms[equation.terms.length - 1].concept.attributes;
  const intended: Record<string, 1 | -1> = {};
  const kept: Record<string, 1 | -1> = {};
  for (const [a, v] of Object.entries(equation.expected.attributes)) {
    const varies = equation.terms.some((t) => t.concept.attributes[a] !== v);
    if (last[a] !== v) intended[a] = v;
    else if (varies) kept[a] = v;
  }
  return { intended, kept };
}

/**
 * True when the arithmetic did what the equation says: each intended attribute's mean P moved by at least
 * `rise` toward its value (from `before`, G(z̄) of the last term, to `after`, the result), and each kept
 * attribute ends on its side of ½.
 */
export function arithmeticWorked(
  equation: ConceptEquation,
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  rise = ARITHMETIC_RISE,
): boolean {
  const { intended, kept } = equationEffect(equation);
  const p = (o: Readonly<Record<string, number>>, a: string) => {
    if (!(a in o)) throw new Error(`Expected a probability for attribute ${a}, but the judge has none.`);
    return o[a];
  };
  return (
    Object.entries(intended).every(([a, v]) => v * (p(after, a) - p(before, a)) >= rise) &&
    Object.entries(kept).every(([a, v]) => (v > 0 ? p(after, a) >= 0.5 : p(after, a) < 0.5))
  );
}

/** One equation on one sample bank: the judge's mean P before (G(z̄) of the last term) and after. */
export interface ArithmeticScore {
  bankSeed: number;
  equation: string;
  before: Record<string, number>;
  after: Record<string, number>;
  worked: boolean;
}

/**
 * How often Figure 7's arithmetic works on this generator: each equation on `seeds.length` banks of
 * `bankSize` samples (seeded), scored by the judge as vectorArithmetic scores it (the same numbers on the
 * same bank), without pictures. One bank is one draw of exemplars: which samples land among a bank's top
 * few changes the concept means, so one bank's result says little about the generator.
 */
export function arithmeticOverBanks(
  generator: tf.LayersModel,
  latent: Latent,
  judge: AttributeClassifier,
  equations: readonly ConceptEquation[],
  seeds: readonly number[],
  options: ArithmeticOptions & { bankSize: number; rise?: number },
): ArithmeticScore[] {
  const out: ArithmeticScore[] = [];
  for (const bankSeed of seeds) {
    const bank = sampleBank(generator, latent, options.bankSize, bankSeed, { pool: judge.pool });
    try {
      const probs = bankProbs(bank, judge); // once per bank, for every equation
      equations.forEach((eq, i) => {
        const { conceptZ, result, varZ } = arithmeticZ(bank, judge, eq, { seed: i, ...options }, probs);
        try {
          const k = eq.terms.length - 1;
          const before = tf.tidy(() =>
            meanAttributeProbs(judge, generator.predict(conceptZ.slice([k, 0], [1, -1])) as tf.Tensor4D),
          );
          const after = tf.tidy(() => meanAttributeProbs(judge, generator.predict(varZ) as tf.Tensor4D));
          out.push({
            bankSeed,
            equation: eq.expected.name,
            before,
            after,
            worked: arithmeticWorked(eq, before, after, options.rise),
          });
        } finally {
          tf.dispose([conceptZ, result, varZ]);
        }
      });
    } finally {
      bank.dispose();
    }
  }
  return out;
}

/** `smiling woman − neutral woman + neutral man = smiling man?` */
function equationText(equation: ConceptEquation): string {
  const sign = (s: 1 | -1, first: boolean) => (first ? (s > 0 ? '' : '−') : s > 0 ? ' + ' : ' − ');
  return (
    equation.terms.map((t, k) => `${sign(t.sign, k === 0)}${t.concept.name}`).join('') +
    ` = ${equation.expected.name}?`
  );
}

/** Mean P(attribute) of images [n, H, W, C] under the judge, per attribute. */
function meanAttributeProbs(judge: AttributeClassifier, imgs: tf.Tensor4D): Record<string, number> {
  const p = tf.tidy(() => judge.predict(pixelFeatures(imgs, judge.pool)).mean(0).dataSync());
  return Object.fromEntries(judge.attributes.map((a, j) => [a, p[j]]));
}

/**
 * Radford's Figure 7 layout: per term, its first `shown` exemplars in a column, a gap, then G(mean z) below; last,
 * the grid of G(result z) and its variations. Also the judge's mean P(attribute) of the result
 * images and of the last term's G(mean z), the image the arithmetic starts from.
 */
function figure7(
  generator: tf.LayersModel,
  judge: AttributeClassifier,
  equation: ConceptEquation,
  zs: { z: tf.Tensor2D; exemplars: number[][]; conceptZ: tf.Tensor2D; varZ: tf.Tensor2D },
  scale: number,
  shown: number,
): { picture: Picture; result: Record<string, number>; baseline: Record<string, number> } {
  const terms = equation.terms;
  const panels: Picture[] = [];
  let baseline: Record<string, number> = {};
  terms.forEach((t, k) => {
    const [exemplarImgs, meanImg] = tf.tidy(() => [
      generator.predict(
        tf.gather(zs.z, tf.tensor1d(zs.exemplars[k].slice(0, shown), 'int32')),
      ) as tf.Tensor4D,
      generator.predict(zs.conceptZ.slice([k, 0], [1, -1])) as tf.Tensor4D,
    ]);
    if (k === terms.length - 1) baseline = meanAttributeProbs(judge, meanImg);
    panels.push(
      vstack([imageGrid(exemplarImgs, { nrow: 1, scale }), imageGrid(meanImg, { scale })], { gap: 12 }),
    );
    tf.dispose([exemplarImgs, meanImg]);
  });
  const resultImgs = generator.predict(zs.varZ) as tf.Tensor4D;
  const result = meanAttributeProbs(judge, resultImgs);
  panels.push(imageGrid(resultImgs, { nrow: Math.ceil(Math.sqrt(zs.varZ.shape[0])), scale }));
  resultImgs.dispose();
  const captions = [
    terms[0].concept.name,
    ...terms.slice(1).map((t) => `${t.sign > 0 ? '+' : '−'} ${t.concept.name}`),
    `= ${equation.expected.name}?`,
  ];
  return { picture: hstack(panels, { gap: 24, captions }), result, baseline };
}

/**
 * How well exemplar selection works where the truth is known: run selectExemplars on the judge's
 * held-out real images and count, per concept, how many of the `top` picks really have the
 * attribute combination, against the base rate of the combination among those images.
 */
export function selectionCheck(
  judge: AttributeClassifier,
  ds: GatherableDataset,
  concepts: readonly Concept[],
  top = 20,
): Array<{ concept: string; correct: number; top: number; baseRate: number }> {
  const idx = judge.heldOutIndices;
  const x = gatherFeatures(ds, idx, judge.pool);
  const probs = tf.tidy(() => judge.predict(x).arraySync());
  x.dispose();
  const ex = selectExemplars(probs, judge.attributes, concepts, top);
  return concepts.map((c, k) => {
    const having = new Set(examplesWithAttributes(ds, c.attributes));
    const hits = Array.from(idx).filter((i) => having.has(i)).length;
    return {
      concept: c.name,
      correct: ex.indices[k].filter((r) => having.has(idx[r])).length,
      top,
      baseRate: hits / idx.length,
    };
  });
}
