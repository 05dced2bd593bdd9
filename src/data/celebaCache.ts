/**
 * The CelebA cache: every usable source image, center-cropped to its largest square (178×178 for
 * CelebA) and resized to S×S RGB with sharp (libvips, Lanczos-3; faceDecode.ts), stored as one raw
 * uint8 file [N, S, S, 3] plus a JSON manifest (celebaCacheFormat.ts). Preparation is resumable (a
 * progress file records what is safely on disk), the manifest is written last and atomically, so a
 * cache is complete or absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from './errors';
import { fsyncPath, writeJsonAtomic } from '../util/fsAtomic';
import { acquireLock as acquireFileLock } from '../util/lock';
import type { CelebaSource } from './celebaSource';
import {
  CACHE_FORMAT,
  CACHE_VERSION,
  cachePaths,
  checkSize,
  PREPROCESSING,
  readJson,
  readValidCache,
  type CacheManifest,
  type CachePaths,
  type CelebaSize,
  type SkippedImage,
} from './celebaCacheFormat';
import { decodeFace, withoutSharpCache, type DecodedFace } from './faceDecode';

// Where the cache lives and what a complete one looks like: celebaCacheFormat.ts, exported from here too.
export * from './celebaCacheFormat';
export { decodeFace };

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
  // A stale manifest goes first, so no crash can leave a manifest pointing at rewritten data.
  fs.rmSync(paths.manifest, { force: true });
  fs.rmSync(paths.data, { force: true });
  const recordBytes = size * size * 3;
  const total = source.entries.length;
  const state = resumeOrStart(paths, source, size, recordBytes);
  const resumedFrom = state.done;
  checkFreeSpace(paths.dir, (total - state.done) * recordBytes);
  const t0 = Date.now();
  await appendRecords(source, options, size, paths, state, t0);
  return finishCache(source, size, paths, state, t0, resumedFrom);
}

/** The progress of an interrupted preparation that fits this source and size, else a fresh start. */
function resumeOrStart(
  paths: CachePaths,
  source: CelebaSource,
  size: CelebaSize,
  recordBytes: number,
): ProgressState {
  const state = readJson<ProgressState>(paths.progress);
  const resumable =
    state !== undefined &&
    state.format === CACHE_FORMAT &&
    state.version === CACHE_VERSION &&
    state.size === size &&
    state.fingerprint === source.fingerprint &&
    state.done <= source.entries.length &&
    fs.existsSync(paths.partial) &&
    fs.statSync(paths.partial).size >= state.kept * recordBytes;
  if (resumable && state) {
    // Bytes past the last recorded record belong to an interrupted write: drop them.
    fs.truncateSync(paths.partial, state.kept * recordBytes);
    return state;
  }
  const fresh: ProgressState = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    size,
    fingerprint: source.fingerprint,
    done: 0,
    kept: 0,
    skipped: [],
  };
  fs.writeFileSync(paths.partial, new Uint8Array(0));
  writeJsonAtomic(paths.progress, fresh);
  return fresh;
}

/** Refuse to start when the folder cannot hold the records still to write (unknown free space passes). */
function checkFreeSpace(cacheDir: string, needBytes: number): void {
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
}

/**
 * Decoded records on their way into the partial file: `flush()` appends the pending ones, syncs
 * them, then records in the progress file what is safely on disk (so a crash never claims more).
 */
class PartialWriter {
  private readonly pending: Buffer[] = [];
  /** Source entries handled (cached or skipped), pending ones included. */
  handled: number;
  private lastFlush = Date.now();

  constructor(
    private readonly fd: number,
    private readonly progressFile: string,
    readonly state: ProgressState,
    private readonly write: (fd: number, buf: Uint8Array) => number,
  ) {
    this.handled = state.done;
  }

  /** Records kept so far, pending ones included. */
  get kept(): number {
    return this.state.kept + this.pending.length;
  }

  /** The outcome of source entry `i`. */
  add(i: number, name: string, r: DecodedFace): void {
    if ('pixels' in r) this.pending.push(r.pixels);
    else this.state.skipped.push({ name, reason: r.reason });
    this.handled = i + 1;
  }

  /** Flush when `flushEvery` records wait or 2 s have passed since the last flush. */
  flushIfDue(flushEvery: number): void {
    if (this.pending.length >= flushEvery || Date.now() - this.lastFlush > 2000) this.flush();
  }

  flush(): void {
    if (this.pending.length > 0) {
      const buf = Buffer.concat(this.pending);
      let off = 0;
      while (off < buf.length) off += this.write(this.fd, buf.subarray(off));
      fs.fdatasyncSync(this.fd);
      this.state.kept += this.pending.length;
      this.pending.length = 0;
    }
    this.state.done = this.handled;
    writeJsonAtomic(this.progressFile, this.state);
    this.lastFlush = Date.now();
  }
}

/**
 * The decodes of the entries `from`, `from + 1`, … in source order: each call returns the next one,
 * with up to `concurrency` decodes in flight (sharp runs them on the libuv pool).
 */
function decodeInOrder(
  source: CelebaSource,
  size: CelebaSize,
  from: number,
  concurrency: number,
): () => Promise<DecodedFace> {
  const total = source.entries.length;
  const window: Promise<DecodedFace>[] = [];
  let next = from;
  const fill = () => {
    while (next < total && window.length < concurrency) {
      window.push(
        source.entries[next++]
          .read()
          .then((buf) => decodeFace(buf, size))
          .catch((e: Error) => ({ reason: `unreadable: ${e.message}` })),
      );
    }
  };
  fill();
  return async () => {
    const r = await window.shift()!;
    fill();
    return r;
  };
}

/**
 * Decode the source entries from `state.done` on, in order (up to `concurrency` decodes in flight),
 * and append the usable ones to the partial file; `state` follows what is safely written. Abort and
 * a full disk leave the work resumable and say so.
 */
async function appendRecords(
  source: CelebaSource,
  options: PrepareOptions,
  size: CelebaSize,
  paths: CachePaths,
  state: ProgressState,
  t0: number,
): Promise<void> {
  const total = source.entries.length;
  const resumedFrom = state.done;
  const restoreCache = withoutSharpCache();
  const fd = fs.openSync(paths.partial, 'a');
  const writer = new PartialWriter(
    fd,
    paths.progress,
    state,
    options.writeSync ?? ((fd: number, buf: Uint8Array) => fs.writeSync(fd, buf)),
  );
  const flushEvery = Math.max(1, options.flushEvery ?? 512);
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < 250)) return;
    lastReport = now;
    const done = writer.handled;
    const sec = (now - t0) / 1000;
    const rate = sec > 0 ? (done - resumedFrom) / sec : 0;
    const etaSec = rate > 0 ? (total - done) / rate : Infinity;
    options.onProgress({
      done,
      total,
      kept: writer.kept,
      skipped: state.skipped.length,
      rate,
      etaSec,
      resumedFrom,
    });
  };

  try {
    const nextDecoded = decodeInOrder(source, size, state.done, Math.max(1, options.concurrency ?? 8));
    for (let i = state.done; i < total; i++) {
      if (options.signal?.aborted) {
        writer.flush();
        throw new DatasetError(
          `CelebA preparation interrupted at ${state.done}/${total} images; run the same command again to resume.`,
        );
      }
      writer.add(i, source.entries[i].name, await nextDecoded());
      writer.flushIfDue(flushEvery);
      report();
    }
    writer.flush();
  } catch (e) {
    fs.closeSync(fd);
    if (isNoSpace(e)) {
      const recordBytes = size * size * 3;
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
}

/** Check what was written, rename the partial file to the data file, then write the manifest. */
function finishCache(
  source: CelebaSource,
  size: CelebaSize,
  paths: CachePaths,
  state: ProgressState,
  t0: number,
  resumedFrom: number,
): PrepareResult {
  const total = source.entries.length;
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
    recordBytes: size * size * 3,
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
  // The data (fdatasynced by the last flush) is in place and the rename durable before any manifest names it.
  fs.renameSync(paths.partial, paths.data);
  fsyncPath(paths.dir);
  writeJsonAtomic(paths.manifest, manifest);
  fs.rmSync(paths.progress, { force: true });
  return { manifest, built: true, resumedFrom };
}
