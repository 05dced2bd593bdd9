/**
 * The one training config (src/train/config.ts): train() resolves its options once into a TrainConfig,
 * the checkpoint manifest records it, and a resume reads that record back (config.json is only a copy):
 * `gan train --resume` fills left-out flags from it, and a resume with another model is refused in the
 * user's terms ("runs/x was trained with mlp-gan; --model dcgan-28 does not match").
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { TrainConfigError } from '../../src/errors';
import { disposeModels } from '../../src/models';
import { planTraining } from '../../src/cli/train';
import { latestCheckpointDir, readManifest } from '../../src/train/checkpoint';
import { recordedConfig } from '../../src/train/config';
import { resolveTrainConfig, STEP_DEFAULTS, train, TRAIN_DEFAULTS } from '../../src/train';
import { gan } from '../cli/capture';
import { baseRunOptions, syntheticDataset, TINY } from './fixtures';

describe('one training config', function () {
  this.timeout(120_000);
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-config-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('resolves defaults and checks values once, with one message per check', () => {
    const ds = { name: 'synthetic', shape: [8, 8, 1], count: 40, standIn: true };
    const c = resolveTrainConfig({ model: 'mlp-gan', modelConfig: TINY['mlp-gan'] }, { ...ds, count: 200 });
    assert.equal(c.batchSize, TRAIN_DEFAULTS.batchSize);
    assert.deepEqual(c.step, STEP_DEFAULTS);
    assert.deepEqual(c.budget, { numEpochs: 1 });
    assert.equal(c.modelConfig.gBatchNorm, false, 'the model defaults are filled in');
    const bad = (o: object, re: RegExp) =>
      assert.throws(
        () => resolveTrainConfig({ model: 'mlp-gan', modelConfig: TINY['mlp-gan'], batchSize: 8, ...o }, ds),
        (e: Error) => e instanceof TrainConfigError && re.test(e.message),
      );
    bad({ batchSize: 0 }, /Expected batchSize to be a positive integer, but got 0/);
    bad({ seed: 1.5 }, /Expected seed to be a non-negative integer/);
    bad({ ema: 1 }, /Expected ema to be a number in \(0, 1\)/);
    bad({ step: { loss: 'wgan' } }, /Unknown generator loss "wgan"/);
    bad({ step: { gLrScale: 0 } }, /Expected gLrScale to be a positive number/);
    bad({ modelConfig: { foo: 1 } }, /Unknown mlp-gan config key "foo"/);
    bad({ batchSize: 64 }, /has 40 examples: not enough for one step/);
    bad(
      { model: 'dcgan-28', modelConfig: {} },
      /dcgan-28 makes 28×28×1 images but dataset synthetic has 8×8×1/,
    );
  });

  it('the manifest records the config; resume reads it, not config.json', async () => {
    const dir = path.join(tmp, 'run');
    const r = await train({ ...baseRunOptions(), outDir: dir, maxSteps: 2, checkpointEvery: 1 });
    disposeModels(r.models);
    const recorded = readManifest(dir).config;
    assert.deepEqual(recorded, JSON.parse(JSON.stringify(r.config)));
    assert.deepEqual(recorded.budget, { numEpochs: 2, maxSteps: 2 });
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')), recorded);
    fs.writeFileSync(path.join(dir, 'config.json'), 'not the record');
    // Budget and checkpoint interval may change on resume; everything else must match.
    const resumed = await train({ ...baseRunOptions(), outDir: dir, resume: true, maxSteps: 4 });
    disposeModels(resumed.models);
    assert.equal(resumed.steps, 4);
    assert.deepEqual(readManifest(dir).config.budget, { numEpochs: 2, maxSteps: 4 });
  });

  it('a run recorded before step.reuseFakes existed resumes with G forward twice, as it was trained', async () => {
    const run = async (dir: string, steps: number, resume = false) => {
      const step = { lr: 1e-3, reuseFakes: false };
      const r = await train({ ...baseRunOptions(), step, outDir: dir, maxSteps: steps, resume });
      const w = r.models.generator.getWeights().map((t) => Array.from(t.dataSync()));
      disposeModels(r.models);
      return w;
    };
    const legacy = path.join(tmp, 'legacy');
    const straight = path.join(tmp, 'straight');
    // The reference: 3 steps with reuseFakes off from the start.
    const want = await train({
      ...baseRunOptions(),
      step: { lr: 1e-3, reuseFakes: false },
      outDir: straight,
      maxSteps: 3,
    });
    const wantW = want.models.generator.getWeights().map((t) => Array.from(t.dataSync()));
    disposeModels(want.models);
    // The legacy run: 2 steps with it off, then its manifest rewritten as an older version wrote it.
    const first = await train({
      ...baseRunOptions(),
      step: { lr: 1e-3, reuseFakes: false },
      outDir: legacy,
      maxSteps: 2,
      checkpointEvery: 1,
    });
    disposeModels(first.models);
    const file = path.join(latestCheckpointDir(legacy), 'manifest.json');
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete m.config.step.reuseFakes;
    fs.writeFileSync(file, JSON.stringify(m));
    assert.equal(recordedConfig(legacy).step?.reuseFakes, false);
    assert.deepEqual(await run(legacy, 3, true), wantW);
  });

  it('resuming another model names it in user terms (engine, and gan train --resume)', async () => {
    const dir = path.join(tmp, 'run');
    const r = await train({ ...baseRunOptions(), outDir: dir, maxSteps: 1 });
    disposeModels(r.models);
    await assert.rejects(
      train({
        ...baseRunOptions(),
        model: 'dcgan-28',
        modelConfig: TINY['dcgan-28'],
        dataset: syntheticDataset(40, [28, 28, 1]),
        outDir: dir,
        resume: true,
      }),
      (e: Error) =>
        e instanceof TrainConfigError &&
        e.message.includes(`${dir} was trained with mlp-gan; model dcgan-28 does not match`),
    );
    const cli = await gan('train', '--model', 'dcgan-28', '--resume', '--out', dir, '--backend', 'cpu');
    assert.equal(cli.code, 2);
    assert.match(cli.err, /was trained with mlp-gan; --model dcgan-28 does not match/);
    assert.doesNotMatch(cli.err, /Unknown|config key/);
    const recipe = await gan('train', '--recipe', 'mnist-dcgan', '--resume', '--out', dir);
    assert.equal(recipe.code, 2);
    assert.match(recipe.err, /was trained with mlp-gan; --recipe mnist-dcgan \(dcgan-28\) does not match/);
  });

  it('gan train --resume takes left-out flags from the record, flags given replace them', async () => {
    const dir = path.join(tmp, 'run');
    const dataset = syntheticDataset(40, [28, 28, 1], { name: 'mnist' });
    const opts = { model: 'dcgan-28' as const, modelConfig: TINY['dcgan-28'], batchSize: 4, seed: 9 };
    const r = await train({ ...opts, dataset, step: { lr: 1e-3 }, numEpochs: 3, maxSteps: 2, outDir: dir });
    disposeModels(r.models);
    const s = planTraining({ out: dir, resume: true }).settings(40);
    assert.equal(s.model, 'dcgan-28');
    assert.deepEqual(s.modelConfig, r.config.modelConfig);
    assert.deepEqual(s.step, r.config.step);
    assert.deepEqual([s.batchSize, s.seed, s.numEpochs, s.maxSteps], [4, 9, 3, 2]);
    const more = planTraining({ out: dir, resume: true, epochs: 5 }).settings(40);
    assert.deepEqual([more.numEpochs, more.maxSteps], [5, undefined]);
    // --max-steps alone extends the run: as many epochs as the steps need (40 examples / batch 4 = 10 per epoch).
    const longer = planTraining({ out: dir, resume: true, maxSteps: 25 }).settings(40);
    assert.deepEqual([longer.numEpochs, longer.maxSteps], [3, 25]);
    const both = planTraining({ out: dir, resume: true, maxSteps: 25, epochs: 2 }).settings(40);
    assert.deepEqual([both.numEpochs, both.maxSteps], [2, 25]);
    assert.throws(() => planTraining({ out: dir }), /already holds a run/);
  });

  it('gan train --recipe --max-steps: the epochs follow the steps, not the recipe budget', () => {
    const dir = path.join(tmp, 'recipe-run');
    const base = planTraining({ out: dir, recipe: 'faces-dcgan' }).settings(20000);
    assert.equal(base.numEpochs, Math.ceil((base.maxSteps as number) / 312)); // 312 steps per epoch
    const plan = planTraining({ out: dir, recipe: 'faces-dcgan', maxSteps: 4400 });
    const s = plan.settings(20000);
    assert.deepEqual([s.maxSteps, s.numEpochs], [4400, 15]);
    assert.equal(plan.setup?.steps, 4400, 'the run records the budget it trained to');
  });
});
