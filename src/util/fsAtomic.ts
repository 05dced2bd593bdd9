/**
 * The project's one way to write a file or a directory so that a crash at any instant leaves either
 * the old content or the new, never a torn file: write a sibling temp, fsync it, rename it over the
 * target, fsync the parent directory. Checkpoints, data caches, classifier weights, results pages and
 * the wasm worker script all write through here.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Names `writeFileAtomic` gives its temp files (`<file>.tmp-<pid>-<8 hex>`), for clean-up scans. */
export const TMP_FILE_PATTERN = /\.tmp-\d+-[0-9a-f]{8}$/;

/** fsync a file or directory; directories cannot be fsynced on every platform, which is tolerated. */
export function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // The rename is still atomic where a directory cannot be fsynced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Write `data` to `file` and fsync it (not atomic on its own: the file is created in place). */
export function writeFileSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, data as Uint8Array);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A fresh temp name beside `target`. */
function tempSibling(target: string): string {
  return `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
}

/** Write `file` atomically: a sibling temp file, fsync, rename over the target, fsync the folder. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = tempSibling(file);
  try {
    writeFileSynced(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncPath(path.dirname(file));
}

/** `writeFileAtomic` of `JSON.stringify(value, null, indent)` plus a newline. */
export function writeJsonAtomic(file: string, value: unknown, indent?: number): void {
  writeFileAtomic(file, JSON.stringify(value, null, indent) + '\n');
}

/**
 * Fill a new directory atomically: `fill(tmpDir)` writes into a temp sibling, which is fsynced and
 * renamed to `finalDir` (which must not exist); on any error the temp directory is removed.
 */
export function writeDirAtomic(finalDir: string, fill: (tmpDir: string) => void): void {
  const parent = path.dirname(finalDir);
  const tmpDir = path.join(parent, `.tmp-${path.basename(finalDir)}`);
  fs.mkdirSync(tmpDir);
  try {
    fill(tmpDir);
    fsyncPath(tmpDir);
    fs.renameSync(tmpDir, finalDir);
  } catch (e) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw e;
  }
  fsyncPath(parent);
}
