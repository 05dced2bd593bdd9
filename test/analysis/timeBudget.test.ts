import { strict as assert } from 'assert';
import { initBackend } from '../../src/backend';
import { timeBudget } from '../../src/analysis/timeBudget';
import { MemoryStore, Uint8Dataset } from '../../src/data/uint8Dataset';
import { disposeModels } from '../../src/models';
import { train, type StepRecord, type TrainProgress } from '../../src/train';

describe('analysis: a wall-clock budget for train()', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('aborts after the first step that ends past the deadline, and keeps the other callbacks', async () => {
    let t = 0;
    const b = timeBudget(1, () => t);
    const seen: number[] = [];
    const cb = b.wrap({ onStep: (r) => void seen.push(r.step) });
    const rec = (step: number) => ({ step }) as StepRecord;
    const prog = {} as TrainProgress;
    await cb.onStep!(rec(1), prog);
    assert.equal(b.signal!.aborted, false);
    t = 59_999;
    assert.equal(b.secondsLeft(), 0.001);
    await cb.onStep!(rec(2), prog);
    assert.equal(b.signal!.aborted, false);
    t = 60_000;
    await cb.onStep!(rec(3), prog);
    assert.equal(b.signal!.aborted, true);
    assert.equal(b.expired, true);
    assert.deepEqual(seen, [1, 2, 3]);
    const none = timeBudget(0);
    assert.equal(none.signal, undefined);
    assert.equal(none.secondsLeft(), Infinity);
    assert.throws(() => timeBudget(-1), /minutes/);
  });

  it('stops a real training run (where AbortSignal.timeout would not fire until it ends)', async () => {
    const data = new Uint8Array(64 * 28 * 28).map((_, i) => (i * 37) % 256);
    const ds = new Uint8Dataset({
      name: 'tiny',
      source: 'test',
      standIn: false,
      shape: [28, 28, 1],
      store: new MemoryStore(data, 28 * 28),
    });
    let t = 0;
    const b = timeBudget(1, () => t);
    let steps = 0;
    const run = await train({
      model: 'mlp-gan',
      modelConfig: { gHidden: [8], dHidden: [8] },
      dataset: ds,
      batchSize: 8,
      numEpochs: 5,
      seed: 1,
      signal: b.signal,
      callbacks: b.wrap({ onStep: () => void (++steps === 3 && (t = 61_000)) }),
    });
    assert.equal(run.stopped, 'aborted');
    assert.equal(run.steps, 3);
    disposeModels(run.models);
  });
});
