/**
 * Child process of lock.test.ts. Two modes, both on the lock file argv[3]:
 * - `contend LOG N`: N times, take the lock (retrying while another process holds it), append
 *   "+pid" to LOG, hold it ~2 ms, append "-pid", release.
 * - `stale ROUNDS GO`: write GO.ready.PID, wait for the file GO (a common start signal), then try the
 *   stale locks LOCK.0 … in turn; print "R got" or "R refused" for each.
 * Does nothing when merely imported.
 */
import * as fs from 'fs';
import * as path from 'path';
import { acquireLock } from '../../src/data/celebaCache';

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

if (require.main === module) {
  const [mode, lock, a, b] = process.argv.slice(2);
  if (mode === 'contend') {
    const [log, n] = [a, Number(b)];
    let done = 0;
    while (done < n) {
      let release: () => void;
      try {
        release = acquireLock(lock);
      } catch (e) {
        if (!/Another process/.test((e as Error).message)) throw e;
        pause(Math.random() < 0.5 ? 0 : 1);
        continue;
      }
      fs.appendFileSync(log, `+${process.pid}\n`);
      pause(2);
      fs.appendFileSync(log, `-${process.pid}\n`);
      release();
      done++;
    }
  } else if (mode === 'stale') {
    // Locks LOCK.0 … LOCK.(ROUNDS-1) all start stale; take each in turn (never releasing), and stay
    // alive until both workers are done, so a lock taken by the other one is never stale for us.
    const [rounds, go] = [Number(a), b];
    fs.writeFileSync(`${go}.ready.${process.pid}`, '');
    while (!fs.existsSync(go)) pause(1);
    const results: string[] = [];
    for (let r = 0; r < rounds; r++) {
      try {
        acquireLock(`${lock}.${r}`);
        results.push(`${r} got`);
      } catch (e) {
        if (!/Another process/.test((e as Error).message)) throw e;
        results.push(`${r} refused`);
      }
    }
    fs.writeFileSync(`${go}.done.${process.pid}`, '');
    const dir = path.dirname(go);
    const done = () => fs.readdirSync(dir).filter((f) => f.startsWith(`${path.basename(go)}.done.`)).length;
    while (done() < 2) pause(2);
    process.stdout.write(results.join('\n') + '\n');
  }
}
