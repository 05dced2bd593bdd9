/**
 * IDX files, the format of MNIST and its drop-in relatives (Fashion-MNIST, KMNIST…), raw or
 * gzipped. Format (LeCun et al., http://yann.lecun.com/exdb/mnist/): a big-endian magic
 * 0x0000TTDD (TT = 0x08 unsigned byte, DD = number of dimensions), DD big-endian uint32 sizes,
 * then the data. Images: magic 2051, [count, rows, cols]; labels: magic 2049, [count].
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { DatasetError } from './errors';

/** Magic numbers of the two IDX files MNIST uses. */
export const IDX_IMAGES_MAGIC = 2051; // 0x00000803: ubyte, 3 dimensions
export const IDX_LABELS_MAGIC = 2049; // 0x00000801: ubyte, 1 dimension

/** The standard file names, split by split. */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** Bad or missing IDX input; the message names the file and what was wrong. */
export class IdxError extends DatasetError {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes, row-major. */
  pixels: Uint8Array;
}

/** Read a file, gunzipping it when the name ends in `.gz` (and checking it really is gzip). */
export function readMaybeGzip(file: string): Buffer {
  const raw = fs.readFileSync(file);
  if (!file.endsWith('.gz')) return raw;
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) {
    const head = [...raw.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IdxError(
      `${file}: named .gz but is not gzip data (expected the bytes 1f 8b, got ${head || 'an empty file'}). ` +
        `If it is an uncompressed IDX file, remove the .gz suffix; otherwise download it again.`,
    );
  }
  try {
    return zlib.gunzipSync(raw);
  } catch (e) {
    throw new IdxError(
      `${file}: the gzip data is corrupt or truncated (${(e as Error).message}). Download the file again.`,
    );
  }
}

function header(buf: Buffer, file: string, magic: number, dims: number): number[] {
  const need = 4 + 4 * dims;
  if (buf.length < need) {
    throw new IdxError(`${file}: truncated: ${buf.length} bytes, shorter than the ${need}-byte IDX header.`);
  }
  const got = buf.readUInt32BE(0);
  if (got !== magic) {
    const what = magic === IDX_IMAGES_MAGIC ? 'an IDX image file' : 'an IDX label file';
    const hint =
      got === IDX_IMAGES_MAGIC
        ? ' (that is an image file: are the file names swapped?)'
        : got === IDX_LABELS_MAGIC
          ? ' (that is a label file: are the file names swapped?)'
          : '';
    throw new IdxError(
      `${file}: wrong magic number ${got} (0x${got.toString(16)}); ${what} starts with ${magic}${hint}.`,
    );
  }
  const sizes: number[] = [];
  for (let d = 0; d < dims; d++) sizes.push(buf.readUInt32BE(4 + 4 * d));
  return sizes;
}

function checkLength(buf: Buffer, file: string, expected: number, what: string): void {
  if (buf.length < expected) {
    throw new IdxError(
      `${file}: truncated: the header says ${what} = ${expected} bytes, but the file has ${buf.length} ` +
        `(${expected - buf.length} missing). Download it again.`,
    );
  }
  if (buf.length > expected) {
    throw new IdxError(
      `${file}: header/size mismatch: the header says ${what} = ${expected} bytes, but the file has ` +
        `${buf.length} (${buf.length - expected} extra). The file is not a valid IDX file.`,
    );
  }
}

/** Parse an IDX image file's bytes (already gunzipped); `file` names it in errors. */
export function parseIdxImages(buf: Buffer, file: string): IdxImages {
  const [count, rows, cols] = header(buf, file, IDX_IMAGES_MAGIC, 3);
  if (rows < 1 || cols < 1 || rows > 4096 || cols > 4096) {
    throw new IdxError(
      `${file}: implausible image size ${rows}×${cols} in the header (expected 1…4096 per side).`,
    );
  }
  checkLength(buf, file, 16 + count * rows * cols, `16 + ${count} images × ${rows}×${cols}`);
  return { count, rows, cols, pixels: new Uint8Array(buf.buffer, buf.byteOffset + 16, count * rows * cols) };
}

/** Parse an IDX label file's bytes (already gunzipped). */
export function parseIdxLabels(buf: Buffer, file: string): Uint8Array {
  const [count] = header(buf, file, IDX_LABELS_MAGIC, 1);
  checkLength(buf, file, 8 + count, `8 + ${count} labels`);
  return new Uint8Array(buf.buffer, buf.byteOffset + 8, count);
}

/** Encode IDX bytes (tests and fixtures write MNIST-format sets with it). */
export function encodeIdxImages(pixels: Uint8Array, count: number, rows: number, cols: number): Buffer {
  const buf = Buffer.alloc(16 + count * rows * cols);
  buf.writeUInt32BE(IDX_IMAGES_MAGIC, 0);
  buf.writeUInt32BE(count, 4);
  buf.writeUInt32BE(rows, 8);
  buf.writeUInt32BE(cols, 12);
  buf.set(pixels.subarray(0, count * rows * cols), 16);
  return buf;
}

export function encodeIdxLabels(labels: ArrayLike<number>): Buffer {
  const buf = Buffer.alloc(8 + labels.length);
  buf.writeUInt32BE(IDX_LABELS_MAGIC, 0);
  buf.writeUInt32BE(labels.length, 4);
  for (let i = 0; i < labels.length; i++) buf[8 + i] = labels[i];
  return buf;
}

/** `dir/name` or `dir/name.gz`, whichever exists (raw first); undefined when neither does. */
export function findIdxFile(dir: string, name: string): string | undefined {
  for (const candidate of [name, `${name}.gz`]) {
    const p = path.join(dir, candidate);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export interface IdxSplit {
  images: IdxImages;
  labels: Uint8Array;
  imagesFile: string;
  labelsFile: string;
}

/** Load one split (`train` or `test`) of an MNIST-format directory, validated. */
export function loadIdxSplit(dir: string, split: 'train' | 'test'): IdxSplit {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new IdxError(
      `MNIST directory ${dir} does not exist (or is not a directory). ${expectedFilesText()}`,
    );
  }
  const names = MNIST_FILES[split];
  const missing = [names.images, names.labels].filter((n) => findIdxFile(dir, n) === undefined);
  if (missing.length > 0) {
    throw new IdxError(
      `${dir}: missing ${missing.map((m) => `${m}[.gz]`).join(' and ')}. ${expectedFilesText()}`,
    );
  }
  const imagesFile = findIdxFile(dir, names.images)!;
  const labelsFile = findIdxFile(dir, names.labels)!;
  const images = parseIdxImages(readMaybeGzip(imagesFile), imagesFile);
  const labels = parseIdxLabels(readMaybeGzip(labelsFile), labelsFile);
  if (images.count !== labels.length) {
    throw new IdxError(
      `${imagesFile} has ${images.count} images but ${labelsFile} has ${labels.length} labels; ` +
        `they must match (files from different sets?).`,
    );
  }
  return { images, labels, imagesFile, labelsFile };
}

function expectedFilesText(): string {
  const all = [MNIST_FILES.train, MNIST_FILES.test].flatMap((f) => [f.images, f.labels]);
  return `An MNIST-format directory holds the four files ${all.join(', ')} (each raw or .gz).`;
}
