/**
 * Kill at a random instant: a child process trains with a checkpoint every step and is SIGKILLed at
 * arbitrary times (mid-write included). The latest checkpoint must load, and resuming from it must
 * reproduce exactly the history of an uninterrupted run.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { disposeModels } from '../../src/models';
import { loadCheckpoint } from '../../src/train/checkpoint';
import { train, type StepRecord } from '../../src/train/engine';
import { killRunOptions } from './fixtures';

const losses = (h: StepRecord[]) =>
  h.map(({ step, epoch, dLoss, gLoss, dReal, dFake }) => ({ step, epoch, dLoss, gLoss, dReal, dFake }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('checkpoints survive SIGKILL', () => {
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-kill-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const [i, delayMs] of [137, 611].entries()) {
    it(`kill ${delayMs} ms after the first checkpoint → loadable, and resume = uninterrupted run`, async () => {
      const dir = path.join(tmp, `run${i}`);
      const child = spawn(
        process.execPath,
        ['--require', 'tsx/cjs', path.join(__dirname, 'killChild.ts'), dir],
        {
          cwd: path.join(__dirname, '..', '..'),
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      const t0 = Date.now();
      while (!fs.existsSync(path.join(dir, 'latest.json'))) {
        if (child.exitCode !== null) assert.fail(`child exited early: ${stderr}`);
        if (Date.now() - t0 > 40000) {
          child.kill('SIGKILL');
          assert.fail('child wrote no checkpoint in 40 s');
        }
        await sleep(20);
      }
      await sleep(delayMs);
      child.kill('SIGKILL');
      await exited;

      const ckpt = loadCheckpoint(dir);
      const s = ckpt.manifest.step;
      assert.ok(s >= 1);
      const resumed = await train({ ...killRunOptions(dir), resume: true, maxSteps: s + 4 });
      disposeModels(resumed.models);
      const reference = await train({ ...killRunOptions(), maxSteps: s + 4 });
      disposeModels(reference.models);
      assert.equal(resumed.history.length, s + 4);
      assert.deepEqual(losses(resumed.history), losses(reference.history));
    });
  }
});
