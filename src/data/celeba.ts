/**
 * CelebA (Liu et al., "Deep Learning Face Attributes in the Wild", ICCV 2015) as an ImageDataset
 * [N, S, S, 3] in [-1, 1]: prepares the uint8 cache once (celebaCache.ts), then streams seeded,
 * shuffled batches from the cache file, one batch of floats at a time. Attributes come from
 * list_attr_celeba.txt and splits from list_eval_partition.txt when present.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../util/paths';
import { DatasetError } from './errors';
import { locateCelebaSource, openCelebaSource, type CelebaLocation } from './celebaSource';
import {
  cachePaths,
  checkSize,
  prepareCache,
  readCacheByQuickFingerprint,
  type CacheManifest,
  type CelebaSize,
  type PrepareProgress,
} from './celebaCache';
import { standinPartition } from './standin';
import { FileStore, Uint8Dataset } from './uint8Dataset';
import type { AttributeTable, ImageDataset } from './types';

export type CelebaSplit = 'train' | 'valid' | 'test' | 'all';
export const CELEBA_SPLITS: readonly CelebaSplit[] = ['train', 'valid', 'test', 'all'];

export interface CelebaOptions {
  /** Dataset folder; default `CELEBA_DIR`, else `<project>/data/celeba`. */
  dir?: string;
  /** Side of the square images: 32, 64 (default, DCGAN's size) or 128. */
  size?: CelebaSize;
  /** Default `all` (GANs train on every image); `train`/`valid`/`test` use the official partition. */
  split?: CelebaSplit;
  onProgress?: (p: PrepareProgress) => void;
  /** Cache folder; default `<dir>/gan-cache`. */
  cacheDir?: string;
  signal?: AbortSignal;
  concurrency?: number;
}

/** The folder used when none is given. */
export function defaultCelebaDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CELEBA_DIR?.trim() ? env.CELEBA_DIR : path.join(projectRoot(), 'data', 'celeba');
}

/** Parse list_attr_celeba.txt: a count line, the attribute names, then `name v1 … v40` rows of ±1. */
export function parseAttributes(
  text: string,
  file: string,
): { names: string[]; rows: Map<string, Int8Array> } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new DatasetError(`${file}: expected a count line and a header line.`);
  const declared = Number(lines[0].trim());
  const names = lines[1].trim().split(/\s+/);
  const rows = new Map<string, Int8Array>();
  for (let i = 2; i < lines.length; i++) {
    const parts = lines[i].trim().split(/\s+/);
    if (parts.length !== names.length + 1) {
      throw new DatasetError(
        `${file}, line ${i + 1}: expected a name and ${names.length} values, got ${parts.length - 1} values.`,
      );
    }
    const v = new Int8Array(names.length);
    for (let j = 0; j < names.length; j++) {
      const x = Number(parts[j + 1]);
      if (x !== 1 && x !== -1 && x !== 0) {
        throw new DatasetError(`${file}, line ${i + 1}: expected ±1 for ${names[j]}, got "${parts[j + 1]}".`);
      }
      v[j] = x === 0 ? -1 : x;
    }
    rows.set(parts[0], v);
  }
  if (Number.isInteger(declared) && declared !== rows.size) {
    throw new DatasetError(`${file}: the first line declares ${declared} rows but ${rows.size} follow.`);
  }
  return { names, rows };
}

/** Parse list_eval_partition.txt (`name 0|1|2`). */
export function parsePartition(text: string, file: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    const [name, p] = t.split(/\s+/);
    const v = Number(p);
    if (!name || ![0, 1, 2].includes(v)) {
      throw new DatasetError(`${file}, line ${i + 1}: expected "<image> 0|1|2", got "${t}".`);
    }
    out.set(name, v);
  });
  return out;
}

/** Prepare (if needed) and open CelebA at `size`. */
export async function loadCeleba(options: CelebaOptions = {}): Promise<Uint8Dataset> {
  const size = checkSize(options.size ?? 64);
  const split = options.split ?? 'all';
  if (!CELEBA_SPLITS.includes(split)) {
    throw new DatasetError(`Unknown CelebA split "${split}". Expected one of: ${CELEBA_SPLITS.join(', ')}.`);
  }
  const dir = options.dir ?? defaultCelebaDir();
  const location = locateCelebaSource(dir);
  const paths = cachePaths(options.cacheDir ?? path.join(location.dir, 'gan-cache'), size);
  let m = readCacheByQuickFingerprint(paths, location, size);
  if (!m) {
    const source = await openCelebaSource(dir);
    try {
      const prepared = await prepareCache(source, {
        size,
        cacheDir: options.cacheDir,
        onProgress: options.onProgress,
        signal: options.signal,
        concurrency: options.concurrency,
      });
      m = prepared.manifest;
    } finally {
      await source.close();
    }
  }
  const manifest: CacheManifest = m;
  const { records, note: splitNote } = splitRecords(manifest, location, split);
  const { attributes, note: attributeNote } = alignAttributes(manifest, location, records);
  const label = location.standIn ? 'procedural CelebA stand-in (not CelebA)' : 'CelebA';
  return new Uint8Dataset({
    name: 'celeba',
    source: `${label}: ${location.path} → ${paths.data}${splitNote}${attributeNote}`,
    standIn: location.standIn,
    shape: [size, size, 3],
    store: new FileStore(paths.data, manifest.recordBytes, manifest.count),
    records,
    attributes,
    skipped: manifest.skipped.length,
  });
}

/** The cached records of `split`: the official partition file when present, else CelebA's proportions over the stored order. */
function splitRecords(
  manifest: CacheManifest,
  source: CelebaLocation,
  split: CelebaSplit,
): { records: Int32Array; note: string } {
  if (split === 'all') return { records: Int32Array.from({ length: manifest.count }, (_, i) => i), note: '' };
  const want = { train: 0, valid: 1, test: 2 }[split];
  const part = source.partitionFile
    ? parsePartition(fs.readFileSync(source.partitionFile, 'utf8'), source.partitionFile)
    : undefined;
  const chosen: number[] = [];
  manifest.names.forEach((name, i) => {
    const p = part ? part.get(name) : standinPartition(i, manifest.count);
    if (p === want) chosen.push(i);
  });
  const note = part ? '' : `, ${split} split by CelebA's proportions (no list_eval_partition.txt)`;
  return { records: Int32Array.from(chosen), note };
}

/**
 * The attribute rows of `records` from list_attr_celeba.txt (when present), matched by image name;
 * images without a row get 0 (unknown), and a file matching fewer than half is refused.
 */
function alignAttributes(
  manifest: CacheManifest,
  source: CelebaLocation,
  records: Int32Array,
): { attributes: AttributeTable | undefined; note: string } {
  if (!source.attributesFile) return { attributes: undefined, note: '' };
  const parsed = parseAttributes(fs.readFileSync(source.attributesFile, 'utf8'), source.attributesFile);
  const values = new Int8Array(records.length * parsed.names.length);
  const missing: string[] = [];
  records.forEach((r, i) => {
    const row = parsed.rows.get(manifest.names[r]);
    if (row) values.set(row, i * parsed.names.length);
    else missing.push(manifest.names[r]);
  });
  if (missing.length > records.length / 2) {
    throw new DatasetError(
      `${source.attributesFile} has no row for ${missing.length} of ${records.length} cached images, e.g. ` +
        `${missing.slice(0, 3).join(', ')}: the annotation file does not belong to these images. Replace or remove it.`,
    );
  }
  const note =
    missing.length > 0
      ? `, attributes unknown (0) for ${missing.length} image(s) without a row in list_attr_celeba.txt`
      : '';
  return { attributes: { names: parsed.names, values }, note };
}

/**
 * Indices (in stored order) of the examples whose attribute `name` equals `value` (+1 has it,
 * -1 has not): e.g. smiling faces for the vector-arithmetic figure. Throws listing the names.
 */
export function examplesWithAttribute(ds: ImageDataset, name: string, value: 1 | -1 = 1): Int32Array {
  if (!ds.attributes) {
    throw new DatasetError(
      `${ds.name} has no attributes (list_attr_celeba.txt was not found next to the images).`,
    );
  }
  const j = ds.attributes.names.indexOf(name);
  if (j < 0) {
    throw new DatasetError(
      `Unknown attribute "${name}". Expected one of: ${ds.attributes.names.join(', ')}.`,
    );
  }
  const k = ds.attributes.names.length;
  const out: number[] = [];
  for (let i = 0; i < ds.count; i++) if (ds.attributes.values[i * k + j] === value) out.push(i);
  return Int32Array.from(out);
}
