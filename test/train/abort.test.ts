/**
 * train() stops on its AbortSignal (what Ctrl-C in `gan train` and a notebook's stop button use):
 * aborted by a timer while training, it finishes the current step, writes a checkpoint and returns
 * `stopped: 'aborted'`. This needs the loop to let timers and signal handlers run between steps.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { disposeModels } from '../../src/models';
import { loadCheckpoint } from '../../src/train/checkpoint';
import { train } from '../../src/train/engine';
import { killRunOptions } from './fixtures';

describe('training stops on its AbortSignal', function () {
  this.timeout(300_000);
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-abort-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a timer aborting mid-run stops it after the current step, with a checkpoint of that step', async () => {
    const dir = path.join(tmp, 'run');
    const abort = new AbortController();
    let firedAtStep = -1;
    let steps = 0;
    const timer = setTimeout(() => {
      firedAtStep = steps;
      abort.abort();
    }, 50);
    const r = await train({
      ...killRunOptions(dir),
      checkpointEvery: 0,
      maxSteps: 400,
      signal: abort.signal,
      callbacks: { onStep: () => void steps++ },
    });
    clearTimeout(timer);
    disposeModels(r.models);
    assert.ok(firedAtStep >= 0, `the timer never fired during ${r.steps} steps of training`);
    assert.equal(r.stopped, 'aborted');
    assert.ok(
      r.steps < 400 && r.steps <= firedAtStep + 1,
      `stopped at ${r.steps}, abort at step ${firedAtStep}`,
    );
    assert.equal(loadCheckpoint(dir).manifest.step, r.steps);
  });
});
