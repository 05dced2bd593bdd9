/**
 * The CelebA cache lock with real processes: its owner is in the lock file from the instant it exists,
 * so two preparers never both hold it, and a stale lock is taken over by exactly one of two contenders.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireLock } from '../../src/data/celebaCache';

const ROOT = path.join(__dirname, '..', '..');

function worker(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'lockWorker.ts'), ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** Pairs "+pid" / "-pid" must alternate: nobody enters while another holds the lock. */
function overlaps(log: string): string[] {
  const bad: string[] = [];
  let holder: string | undefined;
  log
    .trim()
    .split('\n')
    .forEach((l, i) => {
      if (l.startsWith('+')) {
        if (holder) bad.push(`line ${i}: ${l.slice(1)} entered while ${holder} held the lock`);
        holder = l.slice(1);
      } else {
        if (holder !== l.slice(1)) bad.push(`line ${i}: ${l.slice(1)} left without holding the lock`);
        holder = undefined;
      }
    });
  return bad;
}

describe('CelebA cache lock across processes', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-lock-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the lock file holds its owner the moment it exists (no empty lock to misread as stale)', () => {
    const lock = path.join(tmp, 'a.lock');
    const release = acquireLock(lock);
    assert.equal(fs.readFileSync(lock, 'utf8'), String(process.pid));
    assert.throws(() => acquireLock(lock), /Another process \(pid \d+, this one\)/);
    release();
    assert.deepEqual(fs.readdirSync(tmp), [], 'no temp files left behind');
  });

  it('two processes contending 100 times each never hold it together', async () => {
    const lock = path.join(tmp, 'b.lock');
    const log = path.join(tmp, 'b.log');
    const rs = await Promise.all([1, 2].map(() => worker(['contend', lock, log, '100'])));
    for (const r of rs) assert.equal(r.code, 0, r.err);
    const text = fs.readFileSync(log, 'utf8');
    assert.equal(text.trim().split('\n').length, 2 * 2 * 100);
    assert.deepEqual(overlaps(text), []);
    assert.ok(!fs.existsSync(lock), 'released');
  });

  it('a stale lock is taken over by exactly one of two processes (40 stale locks raced)', async () => {
    const lock = path.join(tmp, 'c.lock');
    const go = path.join(tmp, 'c.go');
    const rounds = 40;
    for (let r = 0; r < rounds; r++) fs.writeFileSync(`${lock}.${r}`, '2147483646'); // no such process
    const pending = [1, 2].map(() => worker(['stale', lock, String(rounds), go]));
    const ready = () => fs.readdirSync(tmp).filter((f) => f.startsWith('c.go.ready.')).length;
    while (ready() < 2) await new Promise((r) => setTimeout(r, 10)); // both started, waiting for the signal
    fs.writeFileSync(go, '');
    const rs = await Promise.all(pending);
    for (const r of rs) assert.equal(r.code, 0, r.err);
    const got = new Map<number, number>();
    for (const line of rs.flatMap((r) => r.out.trim().split('\n'))) {
      const [r, what] = line.split(' ');
      if (what === 'got') got.set(Number(r), (got.get(Number(r)) ?? 0) + 1);
    }
    const wrong = [...Array(rounds).keys()]
      .filter((r) => got.get(r) !== 1)
      .map((r) => `${r}: ${got.get(r) ?? 0}`);
    assert.deepEqual(wrong, [], 'rounds where not exactly one process took the stale lock');
  });
});
