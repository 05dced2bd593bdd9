/**
 * The moving average of G's weights: the update rule against hand arithmetic, and the engine keeping it
 * through checkpoints (resume gives the same average as an uninterrupted run; `gan sample`'s loader
 * gets it back). Recipes: every recipe × profile is a valid setup.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildGenerator, buildModels, disposeModels, modelImageShape, resolveConfig } from '../../src/models';
import { WeightEma } from '../../src/train/ema';
import { loadGenerator, train, type TrainOptions } from '../../src/train/engine';
import { RECIPE_NAMES, RECIPE_PROFILES, recipeSetup, trainOptions } from '../../src/train/recipes';
import { syntheticDataset, TINY } from './fixtures';

const flat = (m: tf.LayersModel) => m.weights.map((w) => Array.from(w.read().dataSync()));

describe('EMA of the generator', () => {
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-ema-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('starts as a copy and moves by d·a + (1 − d)·w with the (1 + t)/(10 + t) warm-up', () => {
    const m = buildModels('mlp-gan', { seed: 1, config: TINY['mlp-gan'] });
    const avg = buildGenerator('mlp-gan', m.config);
    const ema = new WeightEma(m.generator, avg, 0.999);
    assert.deepEqual(flat(avg), flat(m.generator));
    assert.equal(ema.decayAt(1), 2 / 11);
    assert.equal(ema.decayAt(100000), 0.999);
    const before = flat(avg);
    // move G: every weight + 1
    for (const w of m.generator.weights) w.write(tf.add(w.read(), 1));
    const n = tf.memory().numTensors;
    ema.update(1);
    assert.equal(tf.memory().numTensors, n, 'update leaked');
    const d = 2 / 11;
    flat(avg).forEach((ws, i) =>
      ws.forEach((v, j) => assert.ok(Math.abs(v - (before[i][j] + (1 - d))) < 1e-6, `${v}`)),
    );
    assert.throws(() => new WeightEma(m.generator, avg, 1), /EMA decay in \(0, 1\)/);
    disposeModels(m);
    avg.dispose();
  });

  it('survives checkpoints: resume = uninterrupted run, and the loader returns the average', async () => {
    const ds = syntheticDataset(40, [8, 8, 1]);
    const base: TrainOptions<'mlp-gan'> = {
      model: 'mlp-gan',
      modelConfig: TINY['mlp-gan'],
      dataset: ds,
      batchSize: 8,
      numEpochs: 2,
      seed: 3,
      numFixed: 4,
      step: { lr: 1e-3 },
      ema: 0.9,
    };
    const full = await train({ ...base, outDir: path.join(tmp, 'a') });
    assert.ok(full.models.ema, 'the run keeps an average');
    assert.notDeepEqual(flat(full.models.ema), flat(full.models.generator));
    const first = await train({ ...base, numEpochs: 1, outDir: path.join(tmp, 'b') });
    disposeModels(first.models);
    const resumed = await train({ ...base, outDir: path.join(tmp, 'b'), resume: true });
    assert.deepEqual(flat(resumed.models.ema!), flat(full.models.ema));
    const loaded = loadGenerator(path.join(tmp, 'b'));
    assert.deepEqual(flat(loaded.models.ema!), flat(full.models.ema));
    assert.equal(loaded.config.ema, 0.9);
    await assert.rejects(
      train({ ...base, ema: undefined, outDir: path.join(tmp, 'b'), resume: true, numEpochs: 3 }),
      /ema: checkpoint has 0.9, requested undefined/,
    );
    [full, resumed, loaded].forEach((r) => disposeModels(r.models));
  });
});

describe('recipes', () => {
  for (const name of RECIPE_NAMES) {
    for (const profile of RECIPE_PROFILES) {
      it(`${name} at ${profile}: a valid model config whose images fit the data`, () => {
        const s = recipeSetup(name, profile);
        const c = resolveConfig(s.model, s.modelConfig as never);
        const shape = modelImageShape(s.model, c);
        assert.deepEqual(shape, s.data.dataset === 'mnist' ? [28, 28, 1] : [s.data.size, s.data.size, 3]);
        assert.ok(s.steps > 0 && s.batchSize > 0 && s.ema >= 0 && s.ema < 1);
        const t = trainOptions(s, 8000);
        assert.equal(t.maxSteps, s.steps);
        assert.ok(t.numEpochs * Math.floor(8000 / s.batchSize) >= s.steps);
      });
    }
  }
  it('names unknown recipes and profiles', () => {
    assert.throws(() => recipeSetup('nope', 'cpu'), /Unknown recipe "nope". Expected one of: mnist-mlp-gan/);
    assert.throws(() => recipeSetup('mnist-dcgan', 'tpu'), /Unknown recipe profile "tpu"/);
  });
});
