/**
 * The edge between the library's images (NHWC float in [-1, 1]) and pixels (RGBA uint8).
 * Validates image batches at the door, maps [-1, 1] → 0..255 (v ↦ round((v + 1) · 127.5)) and
 * back (u ↦ u / 127.5 − 1), and encodes/decodes PNG with @napi-rs/canvas (Skia; no system libs).
 */
import { createCanvas, ImageData, loadImage } from '@napi-rs/canvas';

/** What the plot functions read from a tensor: tfjs tensors satisfy it, so do plain objects. */
export interface TensorLike {
  readonly shape: readonly number[];
  dataSync(): ArrayLike<number>;
}

/** A validated image batch: `data` holds N·H·W·C floats in [-1, 1], NHWC order. */
export interface ImageBatch {
  n: number;
  height: number;
  width: number;
  channels: 1 | 3;
  data: ArrayLike<number>;
}

/** An RGBA image in memory (row-major, 4 bytes per pixel, alpha 255 everywhere we draw). */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Values this far outside [-1, 1] are rounding noise (e.g. tanh in float32) and get clamped. */
export const RANGE_TOLERANCE = 1e-3;

const EXPECTED = 'a [N, H, W, C] tensor (NHWC) with C = 1 or 3 and values in [-1, 1]';

/**
 * Check that `t` is an image batch and read its values. Throws an Error naming the expected
 * shape, what came and what to do, for a wrong rank, channel count, empty batch or range.
 */
export function readImageBatch(t: TensorLike, what = 'images'): ImageBatch {
  if (t == null || !Array.isArray(t.shape) || typeof t.dataSync !== 'function') {
    throw new Error(`Expected ${what} to be ${EXPECTED}, but got ${describe(t)}.`);
  }
  const shape = t.shape;
  if (shape.length !== 4) {
    const hint =
      shape.length === 3
        ? ' For a single image use tensor.expandDims(0); for a batch of grayscale [N, H, W] use tensor.expandDims(-1).'
        : shape.length === 2
          ? ' For a flattened batch reshape it to [N, H, W, C] first (e.g. MNIST: tensor.reshape([-1, 28, 28, 1])).'
          : '';
    throw new Error(
      `Expected ${what} to be ${EXPECTED}, but got rank ${shape.length} shape [${shape.join(', ')}].${hint}`,
    );
  }
  const [n, height, width, channels] = shape;
  if (channels !== 1 && channels !== 3) {
    const hint =
      channels === 4 ? ' Drop the alpha channel with tensor.slice([0, 0, 0, 0], [-1, -1, -1, 3]).' : '';
    throw new Error(
      `Expected ${what} to be ${EXPECTED}, but got C = ${channels} in shape [${shape.join(', ')}].${hint}`,
    );
  }
  if (n < 1 || height < 1 || width < 1) {
    throw new Error(
      `Expected ${what} to be ${EXPECTED} with N, H, W ≥ 1, but got shape [${shape.join(', ')}].`,
    );
  }
  const data = t.dataSync();
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) {
      throw new Error(
        `Expected ${what} to hold values in [-1, 1], but found NaN at flat index ${i} of shape [${shape.join(', ')}] ` +
          '(training diverged, or the tensor was disposed).',
      );
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo < -1 - RANGE_TOLERANCE || hi > 1 + RANGE_TOLERANCE) {
    const hint =
      lo >= 0 && hi <= 255 && hi > 1
        ? ' These look like uint8 pixels: map them with x.div(127.5).sub(1).'
        : lo >= 0 && hi <= 1
          ? ''
          : ' Use a tanh output or tf.clipByValue(x, -1, 1).';
    throw new Error(
      `Expected ${what} to hold values in [-1, 1], but got the range [${fmt(lo)}, ${fmt(hi)}] in shape ` +
        `[${shape.join(', ')}].${hint}`,
    );
  }
  return { n, height, width, channels: channels as 1 | 3, data };
}

/** [-1, 1] → 0..255 (clamped; -1 ↦ 0, 0 ↦ 128, 1 ↦ 255). */
export function toByte(v: number): number {
  const u = Math.round((v + 1) * 127.5);
  return u < 0 ? 0 : u > 255 ? 255 : u;
}

/** 0..255 → [-1, 1]; `fromByte(toByte(v))` is within 1/255 of v. */
export function fromByte(u: number): number {
  return u / 127.5 - 1;
}

/** Image `index` of a batch as RGBA (grayscale is replicated to R, G and B). */
export function imageToRgba(batch: ImageBatch, index: number): Rgba {
  const { height, width, channels, data } = batch;
  if (!Number.isInteger(index) || index < 0 || index >= batch.n) {
    throw new Error(`Expected an image index in [0, ${batch.n}), but got ${index}.`);
  }
  const out = new Uint8ClampedArray(width * height * 4);
  const base = index * height * width * channels;
  for (let p = 0; p < width * height; p++) {
    const src = base + p * channels;
    const r = toByte(data[src]);
    out[p * 4] = r;
    out[p * 4 + 1] = channels === 3 ? toByte(data[src + 1]) : r;
    out[p * 4 + 2] = channels === 3 ? toByte(data[src + 2]) : r;
    out[p * 4 + 3] = 255;
  }
  return { width, height, data: out };
}

/** Encode RGBA pixels as PNG. */
export function encodePng(img: Rgba): Buffer {
  const canvas = createCanvas(img.width, img.height);
  canvas.getContext('2d').putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
  return canvas.toBuffer('image/png');
}

/** Decode a PNG (or any format Skia reads) to RGBA pixels. */
export async function decodePng(bytes: Uint8Array): Promise<Rgba> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(data) };
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `a plain array of length ${x.length} (wrap it with tf.tensor4d(...))`;
  return typeof x === 'object' ? 'an object without shape/dataSync' : typeof x;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
