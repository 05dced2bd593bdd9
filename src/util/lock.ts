/**
 * One owner at a time for a file or folder (a CelebA cache being built, a training run being written).
 *
 * The lock file is created with its owner already in it: the pid is written to a private temp file
 * which is then hard-linked to the lock name (link fails atomically when the lock exists), so no other
 * process can ever read an empty or half-written lock. A lock left by a process that no longer exists
 * is taken over atomically too: it is renamed to a private name and removed only if it is still the same
 * file (inode) that was judged stale; a lock that a live process created in between is put back.
 *   const release = acquireLock('runs/a/run.lock', (pid) => new Error(`busy (pid ${pid})`));
 */
import * as fs from 'fs';

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file and the file's inode, read through one descriptor. */
export function readLock(lock: string): { pid: number; ino: number } {
  const fd = fs.openSync(lock, 'r');
  try {
    const ino = fs.fstatSync(fd).ino;
    const buf = Buffer.alloc(32);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return { pid: Number(buf.subarray(0, n).toString('utf8').trim()), ino };
  } finally {
    fs.closeSync(fd);
  }
}

/** The live process holding `lock`, or undefined when it is free or stale. */
export function lockHolder(lock: string): number | undefined {
  try {
    const { pid } = readLock(lock);
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Take `lock` or throw `busy(pid)` when a live process holds it (`gaveUp()` after repeated races).
 * Returns the release function.
 */
export function acquireLock(
  lock: string,
  busy: (pid: number) => Error,
  gaveUp: () => Error = () => new Error(`Could not take the lock ${lock}; delete it if its owner is gone.`),
): () => void {
  const mine = `${lock}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  fs.writeFileSync(`${mine}.tmp`, String(process.pid));
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(`${mine}.tmp`, lock);
        return () => fs.rmSync(lock, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let owner: { pid: number; ino: number };
      try {
        owner = readLock(lock);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile: try again
        throw e;
      }
      const { pid, ino } = owner;
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) throw busy(pid);
      // Stale (its process is gone): move it aside, and only delete what was judged stale.
      const aside = `${mine}.stale`;
      try {
        fs.renameSync(lock, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process took it over first
        throw e;
      }
      if (fs.statSync(aside).ino !== ino) {
        // A live process created a fresh lock between our read and the rename: put it back.
        try {
          fs.linkSync(aside, lock);
        } catch {
          /* a third process holds the name now; ours was moved, theirs stays */
        }
      }
      fs.rmSync(aside, { force: true });
    }
  } finally {
    fs.rmSync(`${mine}.tmp`, { force: true });
  }
  throw gaveUp();
}
