/**
 * The CelebA cache: every usable source image, center-cropped to its largest square (178×178 for
 * CelebA) and resized to S×S RGB with sharp (libvips, Lanczos-3), stored as one raw uint8 file
 * [N, S, S, 3] plus a JSON manifest. Preparation is resumable (a progress file records what is
 * safely on disk), the manifest is written last and atomically, so a cache is complete or absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import type SharpFn from 'sharp';
import { DatasetError } from './errors';
import { acquireLock as acquireFileLock } from '../util/lock';
import type { CelebaLocation, CelebaSource, RefusedEntry } from './celebaSource';

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

interface ProgressState {
  format: typeof CACHE_FORMAT;
  version: number;
  size: number;
  fingerprint: string;
  /** Source entries handled (cached or skipped), in source order. */
  done: number;
  /** Records safely in the partial file. */
  kept: number;
  skipped: SkippedImage[];
}

export interface PrepareProgress {
  done: number;
  total: number;
  kept: number;
  skipped: number;
  /** Images per second over this run (resumed work excluded). */
  rate: number;
  etaSec: number;
  resumedFrom: number;
}

export interface PrepareOptions {
  size: CelebaSize;
  /** Folder of the cache files; default `<DIR>/gan-cache`. */
  cacheDir?: string;
  /** Images decoded concurrently (sharp runs them on the libuv pool); default 8. */
  concurrency?: number;
  onProgress?: (p: PrepareProgress) => void;
  /** Abort → the work so far stays resumable and a DatasetError says so. */
  signal?: AbortSignal;
  /** Records per append + progress update; default 512 (also at least every 2 s). */
  flushEvery?: number;
  /** Replace fs.writeSync (tests simulate a full disk with it). */
  writeSync?: (fd: number, buf: Uint8Array) => number;
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

/**
 * Decode one image to S×S×3 uint8, or say why it cannot be used. Grayscale and PNG inputs are
 * converted to RGB (alpha flattened on black); images smaller than S×S after the square crop are
 * refused rather than upscaled (`withoutEnlargement`, detected from the output size, which saves
 * a separate metadata call). sharp's `failOn: 'warning'` turns truncated JPEGs into errors.
 * Embedded ICC profiles are ignored: CelebA's JPEGs carry none and the stand-in's is sRGB, and
 * building a colour transform per image would cost ~4 ms, more than the decode itself.
 */
/** sharp, loaded on first use (importing the cache helpers, e.g. from `gan doctor`, stays cheap). */
function sharpModule(): typeof SharpFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('sharp') as typeof SharpFn;
}

export async function decodeFace(
  buf: Buffer,
  size: number,
): Promise<{ pixels: Buffer } | { reason: string }> {
  try {
    const sharp = sharpModule();
    const { data, info } = await sharp(buf, { failOn: 'warning', ignoreIcc: true, sequentialRead: true })
      .resize(size, size, { fit: 'cover', position: 'centre', kernel: 'lanczos3', withoutEnlargement: true })
      .flatten({ background: { r: 0, g: 0, b: 0 } })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== size || info.height !== size) {
      return {
        reason: `too small: the square crop is ${info.width}×${info.height}, less than ${size}×${size}`,
      };
    }
    if (info.channels !== 3) return { reason: `decoded to ${info.channels} channels, expected 3` };
    return { pixels: data };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    if (/failOn|premature end|truncat/i.test(msg))
      return { reason: `unreadable: corrupt or truncated image data (${msg})` };
    if (/unsupported image format/i.test(msg)) return { reason: `unreadable: not an image (${msg})` };
    return { reason: `unreadable: ${msg}` };
  }
}

/** Turn libvips' operation cache off while preparing (every image is new), then restore it. */
function withoutSharpCache(): () => void {
  const sharp = sharpModule();
  const before = sharp.cache();
  sharp.cache(false);
  return () => {
    sharp.cache({ memory: before.memory.max, files: before.files.max, items: before.items.max });
  };
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
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

function isNoSpace(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export interface PrepareResult {
  manifest: CacheManifest;
  /** True when this call built (or finished) the cache; false when a valid one existed. */
  built: boolean;
  resumedFrom: number;
}

/** Build (or resume, or reuse) the cache of `source` at `options.size`. */
export async function prepareCache(source: CelebaSource, options: PrepareOptions): Promise<PrepareResult> {
  const size = checkSize(options.size);
  const cacheDir = options.cacheDir ?? path.join(source.dir, 'gan-cache');
  const paths = cachePaths(cacheDir, size);
  const existing = readValidCache(paths, source, size);
  if (existing) return { manifest: existing, built: false, resumedFrom: existing.count };

  try {
    fs.mkdirSync(cacheDir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
      throw new DatasetError(
        `Cannot create the CelebA cache folder ${cacheDir} (${code}). Pass a writable folder: --cache-dir DIR ` +
          `(or the cacheDir option).`,
      );
    }
    throw e;
  }
  const release = acquireLock(paths.lock);
  try {
    // Another process may have finished the cache while this one was starting.
    const done = readValidCache(paths, source, size);
    if (done) return { manifest: done, built: false, resumedFrom: done.count };
    return await buildCache(source, options, size, paths);
  } finally {
    release();
  }
}

/**
 * One preparer per cache: two appending to the same partial file would interleave records
 * (src/util/lock.ts: the owner is written before the lock exists; stale locks are taken over atomically).
 * Exported for the two-process test.
 */
export function acquireLock(lock: string): () => void {
  return acquireFileLock(
    lock,
    (pid) =>
      new DatasetError(
        `Another process (pid ${pid}${pid === process.pid ? ', this one' : ''}) is preparing this CelebA cache ` +
          `(${lock}); wait for it to finish. If no such preparation is running, delete ${lock}.`,
      ),
    () => new DatasetError(`Could not take the lock ${lock}; delete it if no preparation is running.`),
  );
}

async function buildCache(
  source: CelebaSource,
  options: PrepareOptions,
  size: CelebaSize,
  paths: CachePaths,
): Promise<PrepareResult> {
  const cacheDir = paths.dir;
  // A stale manifest goes first, so no crash can leave a manifest pointing at rewritten data.
  fs.rmSync(paths.manifest, { force: true });
  fs.rmSync(paths.data, { force: true });

  const recordBytes = size * size * 3;
  const total = source.entries.length;
  let state = readJson<ProgressState>(paths.progress);
  const resumable =
    state !== undefined &&
    state.format === CACHE_FORMAT &&
    state.version === CACHE_VERSION &&
    state.size === size &&
    state.fingerprint === source.fingerprint &&
    state.done <= total &&
    fs.existsSync(paths.partial) &&
    fs.statSync(paths.partial).size >= state.kept * recordBytes;
  if (!resumable || !state) {
    state = {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      size,
      fingerprint: source.fingerprint,
      done: 0,
      kept: 0,
      skipped: [],
    };
    fs.writeFileSync(paths.partial, new Uint8Array(0));
    writeJsonAtomic(paths.progress, state);
  } else {
    // Bytes past the last recorded record belong to an interrupted write: drop them.
    fs.truncateSync(paths.partial, state.kept * recordBytes);
  }
  const resumedFrom = state.done;

  const needBytes = (total - state.done) * recordBytes;
  try {
    const st = fs.statfsSync(cacheDir);
    const free = st.bavail * st.bsize;
    if (free < needBytes) {
      throw new DatasetError(
        `Not enough disk space for the CelebA cache in ${cacheDir}: it needs about ${(needBytes / 1e6).toFixed(0)} MB ` +
          `more, ${(free / 1e6).toFixed(0)} MB are free. Free some space (or pass another cache folder) and run again; ` +
          `the work done so far is kept.`,
      );
    }
  } catch (e) {
    if (e instanceof DatasetError) throw e;
  }

  const t0 = Date.now();
  const restoreCache = withoutSharpCache();
  const write = options.writeSync ?? ((fd: number, buf: Uint8Array) => fs.writeSync(fd, buf));
  const fd = fs.openSync(paths.partial, 'a');
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const flushEvery = Math.max(1, options.flushEvery ?? 512);
  const pending: Buffer[] = [];
  let pendingDone = state.done;
  let lastFlush = Date.now();
  let lastReport = 0;

  const report = (force = false) => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < 250)) return;
    lastReport = now;
    const sec = (now - t0) / 1000;
    const rate = sec > 0 ? (pendingDone - resumedFrom) / sec : 0;
    options.onProgress({
      done: pendingDone,
      total,
      kept: state!.kept + pending.length,
      skipped: state!.skipped.length,
      rate,
      etaSec: rate > 0 ? (total - pendingDone) / rate : Infinity,
      resumedFrom,
    });
  };
  /** Append the decoded records, then record them in the progress file. */
  const flush = () => {
    if (pending.length > 0) {
      const buf = Buffer.concat(pending);
      let off = 0;
      while (off < buf.length) off += write(fd, buf.subarray(off));
      fs.fdatasyncSync(fd);
      state!.kept += pending.length;
      pending.length = 0;
    }
    state!.done = pendingDone;
    writeJsonAtomic(paths.progress, state);
    lastFlush = Date.now();
  };

  try {
    // An in-order sliding window: up to `concurrency` decodes in flight, results kept in source order.
    const window: Promise<{ pixels: Buffer } | { reason: string }>[] = [];
    const launch = (i: number) =>
      source.entries[i]
        .read()
        .then((buf) => decodeFace(buf, size))
        .catch((e: Error) => ({ reason: `unreadable: ${e.message}` }));
    let next = state.done;
    while (next < total && window.length < concurrency) window.push(launch(next++));
    for (let i = state.done; i < total; i++) {
      if (options.signal?.aborted) {
        flush();
        throw new DatasetError(
          `CelebA preparation interrupted at ${state.done}/${total} images; run the same command again to resume.`,
        );
      }
      const r = await window.shift()!;
      if (next < total) window.push(launch(next++));
      if ('pixels' in r) pending.push(r.pixels);
      else state.skipped.push({ name: source.entries[i].name, reason: r.reason });
      pendingDone = i + 1;
      if (pending.length >= flushEvery || Date.now() - lastFlush > 2000) flush();
      report();
    }
    flush();
  } catch (e) {
    fs.closeSync(fd);
    if (isNoSpace(e)) {
      throw new DatasetError(
        `Disk full while writing the CelebA cache ${paths.partial} (${state.kept} of ${total} images safely written; ` +
          `about ${(((total - state.kept) * recordBytes) / 1e6).toFixed(0)} MB more needed). Free some space and run again: ` +
          `preparation resumes from image ${state.done + 1}.`,
      );
    }
    throw e;
  } finally {
    restoreCache();
  }
  fs.closeSync(fd);
  report(true);

  const keptSet = new Set(state.skipped.map((s) => s.name));
  const names = source.entries.map((e) => e.name).filter((n) => !keptSet.has(n));
  if (names.length !== state.kept) {
    throw new Error(`Internal error: ${state.kept} records written but ${names.length} names kept.`);
  }
  if (names.length === 0) {
    throw new DatasetError(
      `None of the ${total} images in ${source.path} could be used (first reason: ${state.skipped[0]?.reason}).`,
    );
  }
  const manifest: CacheManifest = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    size,
    channels: 3,
    count: names.length,
    recordBytes,
    source: {
      kind: source.kind,
      path: source.path,
      fingerprint: source.fingerprint,
      quickFingerprint: source.quickFingerprint,
      entries: total,
    },
    standIn: source.standIn,
    names,
    skipped: state.skipped,
    refused: source.refused,
    ignored: source.ignored,
    preprocessing: PREPROCESSING,
    createdAt: new Date().toISOString(),
    seconds: (Date.now() - t0) / 1000,
  };
  fs.renameSync(paths.partial, paths.data);
  writeJsonAtomic(paths.manifest, manifest);
  fs.rmSync(paths.progress, { force: true });
  return { manifest, built: true, resumedFrom };
}
