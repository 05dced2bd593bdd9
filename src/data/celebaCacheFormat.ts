/**
 * The CelebA cache's files (celebaCache.ts builds them): `celeba-<S>.u8`, one raw uint8 record
 * [S, S, 3] per usable image, and `celeba-<S>.json`, the manifest written last, so a cache is complete
 * or absent; while it is built, `celeba-<S>.u8.partial` and a progress file. Finding and checking a
 * complete cache needs no image decoder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from './errors';
import type { CelebaLocation, RefusedEntry, CelebaSource } from './celebaSource';

export const CACHE_FORMAT = 'gan-notebooks/celeba-cache';
/** Bump when the preprocessing changes: older caches are then rebuilt. */
export const CACHE_VERSION = 1;
export const CELEBA_SIZES = [32, 64, 128] as const;
export type CelebaSize = (typeof CELEBA_SIZES)[number];

export interface SkippedImage {
  name: string;
  reason: string;
}

export interface CacheManifest {
  format: typeof CACHE_FORMAT;
  version: number;
  size: number;
  channels: 3;
  count: number;
  recordBytes: number;
  source: { kind: string; path: string; fingerprint: string; quickFingerprint?: string; entries: number };
  standIn: boolean;
  /** Source names of the cached records, in record order. */
  names: string[];
  skipped: SkippedImage[];
  refused: RefusedEntry[];
  ignored: number;
  preprocessing: string;
  createdAt: string;
  seconds: number;
}

export interface CachePaths {
  dir: string;
  data: string;
  manifest: string;
  partial: string;
  progress: string;
  /** Held (O_EXCL, holding the pid) while a process prepares this cache. */
  lock: string;
}

export const PREPROCESSING =
  'center crop to the largest square (178×178 for CelebA), Lanczos-3 resize (sharp/libvips), RGB uint8';

export function cachePaths(cacheDir: string, size: number): CachePaths {
  const stem = path.join(cacheDir, `celeba-${size}`);
  return {
    dir: cacheDir,
    data: `${stem}.u8`,
    manifest: `${stem}.json`,
    partial: `${stem}.u8.partial`,
    progress: `${stem}.progress.json`,
    lock: `${stem}.lock`,
  };
}

export function checkSize(size: number): CelebaSize {
  if (!(CELEBA_SIZES as readonly number[]).includes(size)) {
    throw new DatasetError(`Unsupported CelebA size ${size}. Expected one of: ${CELEBA_SIZES.join(', ')}.`);
  }
  return size as CelebaSize;
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The manifest of a complete cache matching this source and size, else undefined. */
export function readValidCache(
  paths: CachePaths,
  source: CelebaSource,
  size: number,
): CacheManifest | undefined {
  const m = readJson<CacheManifest>(paths.manifest);
  if (!m || m.format !== CACHE_FORMAT || m.version !== CACHE_VERSION || m.size !== size) return undefined;
  if (m.source.fingerprint !== source.fingerprint) return undefined;
  if (!fs.existsSync(paths.data) || fs.statSync(paths.data).size !== m.count * m.recordBytes)
    return undefined;
  return m;
}

/**
 * A complete cache built from the same zip file (size and mtime), found without listing the
 * zip: loading real CelebA from its zip then skips reading 202,599 central-directory entries.
 */
export function readCacheByQuickFingerprint(
  paths: CachePaths,
  location: CelebaLocation,
  size: number,
): CacheManifest | undefined {
  if (!location.quickFingerprint) return undefined;
  const m = readJson<CacheManifest>(paths.manifest);
  if (!m || m.format !== CACHE_FORMAT || m.version !== CACHE_VERSION || m.size !== size) return undefined;
  if (m.source.quickFingerprint !== location.quickFingerprint || m.source.path !== location.path)
    return undefined;
  if (!fs.existsSync(paths.data) || fs.statSync(paths.data).size !== m.count * m.recordBytes)
    return undefined;
  return m;
}

/** Why the cache is not usable (for messages and `gan doctor`). */
export function cacheState(paths: CachePaths): 'ready' | 'partial' | 'absent' {
  if (fs.existsSync(paths.manifest) && fs.existsSync(paths.data)) return 'ready';
  if (fs.existsSync(paths.progress) || fs.existsSync(paths.partial)) return 'partial';
  return 'absent';
}
