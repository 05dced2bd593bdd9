/**
 * A run directory has one writer: while a real child process trains into it, a second train() on the
 * same directory is refused with the child's pid and writes nothing; freshRunDir (the notebooks) refuses
 * to delete it; once the child is SIGKILLed, its stale lock is taken over and the run resumes.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { disposeModels } from '../../src/models';
import { freshRunDir } from '../../src/notebook';
import { RUN_LOCK, train, TrainConfigError } from '../../src/train/engine';
import { killRunOptions } from './fixtures';

function historyLines(dir: string): number {
  const f = path.join(dir, 'history.jsonl');
  return fs.existsSync(f)
    ? fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l).length
    : 0;
}

describe('run directory lock', function () {
  this.timeout(120_000);
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-kill-lock-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('refuses a second writer on a live run, recovers the lock of a killed one', async () => {
    const dir = path.join(tmp, 'run');
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'killChild.ts'), dir],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      const t0 = Date.now();
      while (historyLines(dir) < 3) {
        if (Date.now() - t0 > 60_000) throw new Error('the child never trained');
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(Number(fs.readFileSync(path.join(dir, RUN_LOCK), 'utf8')), child.pid);
      const before = fs.readFileSync(path.join(dir, 'history.jsonl'), 'utf8').length;
      await assert.rejects(
        train({ ...killRunOptions(dir), resume: true, maxSteps: 100000 }),
        (e: Error) =>
          e instanceof TrainConfigError &&
          e.message.includes(`is being trained by another process right now (pid ${child.pid})`),
      );
      await assert.rejects(
        train({ ...killRunOptions(dir), maxSteps: 100000 }),
        new RegExp(`pid ${child.pid}`),
      );
      assert.throws(() => freshRunDir(dir), /being trained right now by another process/);
      assert.ok(fs.readFileSync(path.join(dir, 'history.jsonl'), 'utf8').length >= before, 'history kept');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The child's lock is stale now: a resume takes it over, and releases it at the end.
    const steps = historyLines(dir);
    const r = await train({ ...killRunOptions(dir), resume: true, maxSteps: steps + 2, checkpointEvery: 0 });
    disposeModels(r.models);
    assert.ok(r.stepsThisRun >= 1);
    assert.ok(!fs.existsSync(path.join(dir, RUN_LOCK)), 'the lock is released');
  });
});
