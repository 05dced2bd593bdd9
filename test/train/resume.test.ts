/**
 * Resume, beyond engine.test.ts: refused when the model, dataset, seed or loss differ from the
 * checkpoint's (naming the field, writing nothing); and exact on wasm, the default backend — a run
 * stopped and resumed gives bit-identical losses and weights to an uninterrupted one.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { disposeModels } from '../../src/models';
import { loadCheckpoint } from '../../src/train/checkpoint';
import { train, TrainConfigError, type TrainOptions } from '../../src/train/engine';
import { baseRunOptions, lossesOf, syntheticDataset, TINY } from './fixtures';

const ds = baseRunOptions().dataset;
const base = baseRunOptions;
const losses = lossesOf;

describe('resume', function () {
  this.timeout(300_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-resume-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('with other settings than the checkpoint (cpu)', () => {
    let dir: string;
    let snapshot: string;
    const listing = (d: string): string =>
      fs
        .readdirSync(d, { recursive: true })
        .map(String)
        .sort()
        .map((f) => `${f}:${fs.statSync(path.join(d, f)).size}`)
        .join('\n');
    before(async () => {
      await initBackend({ force: 'cpu' });
    });
    beforeEach(async () => {
      dir = path.join(tmp, 'run');
      const r = await train({ ...base(), outDir: dir, maxSteps: 2 });
      disposeModels(r.models);
      snapshot = listing(dir);
    });
    const cases: Array<[string, () => TrainOptions, RegExp]> = [
      [
        'another model',
        () => ({
          ...base(),
          model: 'dcgan-28',
          modelConfig: TINY['dcgan-28'],
          dataset: syntheticDataset(40, [28, 28, 1]),
        }),
        /model: checkpoint has "?mlp-gan"?, requested "?dcgan-28"?/,
      ],
      [
        'another dataset',
        () => ({ ...base(), dataset: syntheticDataset(40, [8, 8, 1], { name: 'other' }) }),
        /dataset\.name: checkpoint has "?synthetic"?, requested "?other"?/,
      ],
      ['another seed', () => ({ ...base(), seed: 12 }), /seed: checkpoint has 11, requested 12/],
      [
        'another loss',
        () => ({ ...base(), step: { lr: 1e-3, loss: 'minimax' } }),
        /step\.loss: checkpoint has "?nonsaturating"?, requested "?minimax"?/,
      ],
    ];
    for (const [what, options, message] of cases) {
      it(`refuses ${what}, names the field and leaves the run untouched`, async () => {
        await assert.rejects(
          train({ ...options(), outDir: dir, resume: true } as TrainOptions),
          (e: Error) => {
            assert.ok(e instanceof TrainConfigError, String(e));
            assert.match(e.message, /Cannot resume .*other settings/s);
            assert.match(e.message, message);
            return true;
          },
        );
        assert.equal(listing(dir), snapshot);
      });
    }
  });

  describe('on wasm (the default backend)', () => {
    before(async () => {
      await initBackend({ force: 'wasm' });
    });
    after(async () => {
      await initBackend({ force: 'cpu' });
    });

    for (const model of ['mlp-gan', 'dcgan-28'] as const) {
      it(`${model}: stopped at step 3 and resumed = uninterrupted, bit for bit`, async () => {
        const opts = (): TrainOptions => ({
          ...base(),
          model,
          modelConfig: TINY[model],
          dataset: model === 'mlp-gan' ? ds : syntheticDataset(16, [28, 28, 1]),
          batchSize: 4,
          numEpochs: 2,
        });
        const full = await train({ ...opts(), outDir: path.join(tmp, 'full') });
        disposeModels(full.models);
        const dir = path.join(tmp, 'resumed');
        const leg1 = await train({ ...opts(), outDir: dir, maxSteps: 3 });
        disposeModels(leg1.models);
        const leg2 = await train({ ...opts(), outDir: dir, resume: true });
        disposeModels(leg2.models);
        assert.ok(full.history.length > 3);
        assert.equal(leg2.stepsThisRun, full.history.length - 3);
        assert.deepEqual(losses(leg2.history), losses(full.history));
        const a = loadCheckpoint(path.join(tmp, 'full'));
        const b = loadCheckpoint(dir);
        assert.equal(b.manifest.step, a.manifest.step);
        assert.ok(a.tensors.size > 0);
        for (const [name, t] of a.tensors) assert.deepEqual(b.tensors.get(name)?.data, t.data, name);
      });
    }
  });
});
