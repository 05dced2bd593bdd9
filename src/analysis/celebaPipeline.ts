/**
 * What tutorial 03 shows about its data: open CelebA or, where it is absent, make and open the
 * labelled procedural stand-in; one source image beside its center crop and its cached 64×64 version
 * (the preprocessing of src/data/celebaCache.ts); and the cache's own record of how it was built.
 *   const { dataset } = await openTutorialCeleba({ quick: false });
 *   show(await cropPipelineFigure(dataset, 0));
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../util/paths';
import { defaultCelebaDir, loadCeleba } from '../data/celeba';
import { cachePaths, type CacheManifest, type CelebaSize } from '../data/celebaCache';
import { CELEBA_HOWTO, locateCelebaSource, openCelebaSource } from '../data/celebaSource';
import { DatasetError } from '../data/errors';
import { generateStandin, STANDIN_MARKER } from '../data/standin';
import type { Uint8Dataset } from '../data/uint8Dataset';
import { hstack, imageGrid, Picture } from '../plot';

export interface TutorialCeleba {
  dataset: Uint8Dataset;
  /** The dataset folder used. */
  dir: string;
  /** Set when this call had to write a stand-in (how many faces, where). */
  generated?: string;
  /** How to get the real data, and where to put it (shown whenever the data is the stand-in). */
  howTo: string;
}

/** True when `dir` holds CelebA images (folder or zip) or the stand-in. */
function hasCeleba(dir: string): boolean {
  try {
    locateCelebaSource(dir);
    return true;
  } catch (e) {
    if (e instanceof DatasetError) return false;
    throw e;
  }
}

/**
 * CelebA from `CELEBA_DIR` or data/celeba. Where neither holds images, write the stand-in first:
 * 20,000 faces into data/celeba (about 2 minutes with its cache), or, for the quick profile,
 * 1,000 faces into data/celeba-quick so a CI smoke run stays short and data/celeba stays free.
 */
export async function openTutorialCeleba(options: {
  quick: boolean;
  size?: CelebaSize;
  onNote?: (line: string) => void;
}): Promise<TutorialCeleba> {
  const size = options.size ?? 64;
  const note = options.onNote ?? (() => undefined);
  let dir = defaultCelebaDir();
  let generated: string | undefined;
  if (!hasCeleba(dir)) {
    const count = options.quick ? 1000 : 20000;
    if (options.quick) dir = path.join(projectRoot(), 'data', 'celeba-quick');
    if (!hasCeleba(dir)) {
      note(
        `No CelebA in ${defaultCelebaDir()}: writing the procedural STAND-IN (${count} faces) to ${dir} …`,
      );
      const r = await generateStandin({ out: dir, count });
      generated = `${r.count} stand-in faces written to ${r.out} in ${r.seconds.toFixed(0)} s`;
    }
  }
  const dataset = await loadCeleba({ dir, size });
  const home = defaultCelebaDir();
  const standinThere = fs.existsSync(path.join(home, STANDIN_MARKER));
  const howTo =
    `for ${home} (or a folder named by CELEBA_DIR)${standinThere ? ', after removing the stand-in there' : ''}: ` +
    CELEBA_HOWTO.replace('<DIR>', home);
  return { dataset, dir, generated, howTo };
}

/** The cache manifest of `dataset` (written by prepareCache), with its file's size on disk. */
export function cacheStats(
  dir: string,
  size: CelebaSize = 64,
): CacheManifest & { file: string; bytes: number } {
  const loc = locateCelebaSource(dir);
  const paths = cachePaths(path.join(loc.dir, 'gan-cache'), size);
  if (!fs.existsSync(paths.manifest)) {
    throw new DatasetError(
      `${paths.manifest} does not exist: load the dataset first (loadCeleba prepares the cache).`,
    );
  }
  const m = JSON.parse(fs.readFileSync(paths.manifest, 'utf8')) as CacheManifest;
  return { ...m, file: paths.data, bytes: fs.statSync(paths.data).size };
}

/** RGB bytes → an RGBA Picture, pixels outside `keep` (x, y, w, h) darkened to `dim`. */
function rgbPicture(
  rgb: Buffer,
  width: number,
  height: number,
  keep?: { x: number; y: number; w: number; h: number },
  dim = 0.3,
): Picture {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = !keep || (x >= keep.x && x < keep.x + keep.w && y >= keep.y && y < keep.y + keep.h);
      const f = inside ? 1 : dim;
      const s = (y * width + x) * 3;
      const d = (y * width + x) * 4;
      data[d] = rgb[s] * f;
      data[d + 1] = rgb[s + 1] * f;
      data[d + 2] = rgb[s + 2] * f;
      data[d + 3] = 255;
    }
  }
  return new Picture({ width, height, data });
}

/**
 * One source image (record `index` of `dataset`) in three panels: the original with the square
 * that is kept (the rest dimmed), the center crop, and the cached S×S image the model sees.
 */
export async function cropPipelineFigure(dataset: Uint8Dataset, dir: string, index = 0): Promise<Picture> {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
    throw new RangeError(`Expected index to be an integer in [0, ${dataset.count}), but got ${index}.`);
  }
  const size = dataset.shape[0] as CelebaSize;
  const m = cacheStats(dir, size);
  const name = m.names[dataset.records[index]];
  const source = await openCelebaSource(dir);
  let buf: Buffer;
  try {
    const entry = source.entries.find((e) => e.name === name);
    if (!entry) {
      throw new DatasetError(
        `${name} (record ${dataset.records[index]} of the cache) is not in ${source.path} any more: prepare the data again.`,
      );
    }
    buf = await entry.read();
  } finally {
    await source.close();
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- sharp is heavy: load on use, like celebaCache.ts
  const sharp = require('sharp') as typeof import('sharp');
  const { data, info } = await sharp(buf)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const side = Math.min(w, h);
  const crop = { x: Math.floor((w - side) / 2), y: Math.floor((h - side) / 2), w: side, h: side };
  const cropped = Buffer.alloc(side * side * 3);
  for (let y = 0; y < side; y++) {
    data.copy(cropped, y * side * 3, ((crop.y + y) * w + crop.x) * 3, ((crop.y + y) * w + crop.x + side) * 3);
  }
  const processed = dataset.gather([index]);
  const scale = Math.max(1, Math.floor(side / size));
  const small = imageGrid(processed, { padding: 0, scale });
  processed.dispose();
  const label = dataset.standIn ? 'STAND-IN ' : '';
  return hstack([rgbPicture(data, w, h, crop), rgbPicture(cropped, side, side), small], {
    gap: 16,
    captions: [
      `${label}${name}: ${w}×${h}`,
      `center crop ${side}×${side}`,
      `cached ${size}×${size}${scale > 1 ? ` (shown ${scale}×)` : ''}`,
    ],
  });
}
