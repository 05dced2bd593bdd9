/**
 * A deterministic procedural stand-in for CelebA (Liu et al. 2015), which cannot be
 * redistributed: `generateStandin({ out })` writes a CelebA-shaped folder, img_align_celeba/
 * 000001.jpg… at 178×218 plus list_attr_celeba.txt and list_eval_partition.txt, drawn with
 * @napi-rs/canvas. Face i depends only on (seed, i). Everything made from it is the stand-in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from './errors';
import { drawFace } from './standinDraw';
import { CELEBA_ATTRIBUTES, CELEBA_HEIGHT, CELEBA_WIDTH, faceAttributes, faceSpec } from './standinFace';

// One face as data (standinFace.ts) and as pixels (standinDraw.ts), exported from here too.
export * from './standinFace';
export { drawFace };

/** Marker file that labels a folder as the stand-in (loaders read it and say so everywhere). */
export const STANDIN_MARKER = 'standin.json';
export const STANDIN_VERSION = 1;

export interface StandinOptions {
  /** Output folder (gets img_align_celeba/, the two list files, standin.json and README.txt). */
  out: string;
  /** Number of faces; default 20,000. */
  count?: number;
  /** Seed; default 0. Face i depends only on (seed, i). */
  seed?: number;
  /** JPEG quality 1–100; default 90. */
  quality?: number;
  onProgress?: (p: { done: number; total: number; elapsedSec: number }) => void;
}

export const STANDIN_DEFAULTS = { count: 20000, seed: 0, quality: 90 } as const;

/** The canvas module, loaded on first use so importing this file (for its constants) stays cheap. */
function canvasModule(): typeof import('@napi-rs/canvas') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
}

/** Render face i of `seed` as JPEG bytes. */
export async function renderFaceJpeg(
  seed: number,
  index: number,
  quality: number = STANDIN_DEFAULTS.quality,
): Promise<Buffer> {
  const { createCanvas } = canvasModule();
  const spec = faceSpec(seed, index);
  const canvas = createCanvas(CELEBA_WIDTH, CELEBA_HEIGHT);
  const ctx = canvas.getContext('2d');
  drawFace(ctx, spec);
  if (spec.blurry) {
    const blurred = createCanvas(CELEBA_WIDTH, CELEBA_HEIGHT);
    const bctx = blurred.getContext('2d');
    bctx.filter = 'blur(1.6px)';
    bctx.drawImage(canvas, 0, 0);
    return blurred.encode('jpeg', quality);
  }
  return canvas.encode('jpeg', quality);
}

/** CelebA's official partition boundaries (1-based last id of train and valid of 202,599). */
const OFFICIAL = { train: 162770, valid: 182637, total: 202599 };

/** Partition (0 train, 1 valid, 2 test) of image i of n, in CelebA's proportions. */
export function standinPartition(i: number, n: number): 0 | 1 | 2 {
  const t = Math.round((n * OFFICIAL.train) / OFFICIAL.total);
  const v = Math.round((n * OFFICIAL.valid) / OFFICIAL.total);
  return i < t ? 0 : i < v ? 1 : 2;
}

export interface StandinResult {
  out: string;
  count: number;
  seed: number;
  seconds: number;
}

/** Write the stand-in folder. Existing files with the same names are overwritten. */
export async function generateStandin(options: StandinOptions): Promise<StandinResult> {
  const count = options.count ?? STANDIN_DEFAULTS.count;
  const seed = options.seed ?? STANDIN_DEFAULTS.seed;
  const quality = options.quality ?? STANDIN_DEFAULTS.quality;
  if (!Number.isInteger(count) || count < 1 || count > 999999) {
    throw new DatasetError(`Expected count to be an integer in 1…999999, but got ${count}.`);
  }
  if (!Number.isInteger(seed) || seed < 0)
    throw new DatasetError(`Expected seed ≥ 0 (integer), but got ${seed}.`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new DatasetError(`Expected quality in 1…100, but got ${quality}.`);
  }
  const out = path.resolve(options.out);
  const imgDir = path.join(out, 'img_align_celeba');
  fs.mkdirSync(imgDir, { recursive: true });
  const t0 = Date.now();
  const names: string[] = [];
  const attrLines: string[] = [];
  const partLines: string[] = [];
  // Drawing is synchronous; JPEG encoding runs on the libuv pool, so keep a few in flight.
  const inflight: Promise<void>[] = [];
  const window = 8;
  let done = 0;
  let lastReport = 0;
  for (let i = 0; i < count; i++) {
    const name = `${String(i + 1).padStart(6, '0')}.jpg`;
    names.push(name);
    const attrs = faceAttributes(faceSpec(seed, i));
    attrLines.push(`${name} ${CELEBA_ATTRIBUTES.map((a) => String(attrs[a]).padStart(2)).join(' ')}`);
    partLines.push(`${name} ${standinPartition(i, count)}`);
    inflight.push(
      renderFaceJpeg(seed, i, quality).then(async (jpeg) => {
        await fs.promises.writeFile(path.join(imgDir, name), jpeg);
        done++;
        const now = Date.now();
        if (options.onProgress && (now - lastReport > 200 || done === count)) {
          lastReport = now;
          options.onProgress({ done, total: count, elapsedSec: (now - t0) / 1000 });
        }
      }),
    );
    if (inflight.length >= window) await inflight.shift();
  }
  await Promise.all(inflight);
  fs.writeFileSync(
    path.join(out, 'list_attr_celeba.txt'),
    `${count}\n${CELEBA_ATTRIBUTES.join(' ')}\n${attrLines.join('\n')}\n`,
  );
  fs.writeFileSync(path.join(out, 'list_eval_partition.txt'), `${partLines.join('\n')}\n`);
  const seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(
    path.join(out, STANDIN_MARKER),
    JSON.stringify(
      {
        generator: 'gan-notebooks procedural CelebA stand-in',
        version: STANDIN_VERSION,
        count,
        seed,
        quality,
      },
      null,
      2,
    ) + '\n',
  );
  fs.writeFileSync(
    path.join(out, 'README.txt'),
    'PROCEDURAL STAND-IN — NOT CelebA.\n' +
      `Generated by \`npx gan data standin\` (seed ${seed}, ${count} faces): simple drawn faces in CelebA's layout\n` +
      '(img_align_celeba/*.jpg at 178×218, list_attr_celeba.txt, list_eval_partition.txt) so the CelebA code path\n' +
      'runs where the real data (https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html) is absent.\n' +
      'Label anything trained or plotted from it as the stand-in.\n',
  );
  return { out, count, seed, seconds };
}
