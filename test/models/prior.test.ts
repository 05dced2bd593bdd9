/**
 * The mixture prior on z (src/models/prior.ts): what sampleNoise draws, that every sampler of a model
 * uses its prior (the training step, the engine's fixed noise, generateImages), config checks, and that
 * runs recorded before the prior existed read back as N(0, I).
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { buildModels, disposeModels, resolveConfig } from '../../src/models';
import { generateImages } from '../../src/analysis/generate';
import { planTraining } from '../../src/cli/train';
import { UsageError } from '../../src/errors';
import { latestCheckpointDir, loadCheckpoint } from '../../src/train/checkpoint';
import { loadGenerator } from '../../src/train/checkpointModels';
import { withRecordedDefaults } from '../../src/train/config';
import { createTrainStep, sampleNoise } from '../../src/train/step';
import { train } from '../../src/train';
import { Rng } from '../../src/util/rng';
import { syntheticDataset, TINY } from '../train/fixtures';

describe('latent mixture prior', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('N(0, I) as a size or as modes 0 is the same draw; K modes add scale·e_c with c uniform in 0…K−1', () => {
    const n = 2000;
    const plain = sampleNoise(new Rng(3), n, 12).arraySync();
    assert.deepEqual(sampleNoise(new Rng(3), n, { dim: 12, modes: 0, scale: 5 }).arraySync(), plain);
    const mixed = sampleNoise(new Rng(3), n, { dim: 12, modes: 10, scale: 5 }).arraySync();
    const counts = new Array(12).fill(0);
    mixed.forEach((row, r) => {
      const moved = row.map((v, j) => v - plain[r][j]).flatMap((d, j) => (d === 0 ? [] : [[j, d]]));
      assert.equal(moved.length, 1, `row ${r}: exactly one coordinate moves`);
      const [j, d] = moved[0];
      assert.ok(Math.abs(d - 5) < 1e-5, `row ${r}: moved by ${d}`);
      counts[j]++;
    });
    assert.deepEqual(counts.slice(10), [0, 0], 'only the first K axes carry modes');
    for (const c of counts.slice(0, 10)) assert.ok(c > 150 && c < 250, `mode counts ${counts}`);
  });

  it('dcgan-28 carries its prior; configs are checked with clear messages', () => {
    const m = buildModels('dcgan-28', {
      config: { ...TINY['dcgan-28'], latentModes: 3, latentModeScale: 4 },
    });
    assert.deepEqual(m.prior, { dim: 4, modes: 3, scale: 4 });
    disposeModels(m);
    const mlp = buildModels('mlp-gan', { config: TINY['mlp-gan'] });
    assert.equal(mlp.prior.modes, 0, 'models without the field draw from N(0, I)');
    disposeModels(mlp);
    const bad = (o: object, re: RegExp) => assert.throws(() => resolveConfig('dcgan-28', o), re);
    bad({ latentModes: -1 }, /Expected dcgan-28 latentModes to be a non-negative integer/);
    bad({ latentModes: 1.5 }, /Expected dcgan-28 latentModes to be a non-negative integer/);
    bad({ latentDim: 8, latentModes: 9 }, /latentModes ≤ latentDim \(8: one axis per mode\), but got 9/);
    bad({ latentModeScale: 0 }, /Expected dcgan-28 latentModeScale to be a number in \(0, 100\)/);
  });

  it('the step, the fixed noise and generateImages all draw from the model prior', async () => {
    const config = { ...TINY['dcgan-28'], latentModes: 4, latentModeScale: 12 };
    // The step: its G sees z with one coordinate near 12 (N(0, 1) alone exceeds 6 with probability 1e-9 per draw).
    const m = buildModels('dcgan-28', { seed: 1, config });
    const seen: number[][] = [];
    const apply = m.generator.apply.bind(m.generator);
    m.generator.apply = ((z: tf.Tensor, kw: never) => {
      seen.push(...(z.arraySync() as number[][]));
      return apply(z, kw);
    }) as never;
    const step = createTrainStep(m, { seed: 2 });
    const x = tf.zeros([8, 28, 28, 1]) as tf.Tensor4D;
    await step(x);
    step.dispose();
    x.dispose();
    assert.equal(seen.length, 8);
    for (const row of seen) assert.ok(Math.max(...row) > 6, `z row ${row} has no mode`);
    // generateImages: the same as G on sampleNoise from the prior, not from N(0, I).
    const want = m.generator.predict(sampleNoise(new Rng(7), 5, m.prior)) as tf.Tensor;
    const got = generateImages(m.generator, m.prior, 5, 7);
    assert.deepEqual(got.arraySync(), want.arraySync());
    const plain = generateImages(m.generator, m.latentDim, 5, 7);
    assert.notDeepEqual(plain.arraySync(), got.arraySync());
    tf.dispose([want, got, plain]);
    disposeModels(m);
    // The engine's fixed noise (rendered every epoch, kept in checkpoints).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-prior-'));
    try {
      const r = await train({
        model: 'dcgan-28',
        modelConfig: config,
        dataset: syntheticDataset(16, [28, 28, 1]),
        batchSize: 8,
        maxSteps: 1,
        numFixed: 6,
        seed: 3,
        outDir: dir,
      });
      disposeModels(r.models);
      const fixed = loadCheckpoint(dir).tensors.get('fixedNoise')!.data;
      assert.equal(fixed.length, 6 * 4);
      for (let i = 0; i < 6; i++) {
        const row = Array.from(fixed.slice(4 * i, 4 * i + 4));
        assert.ok(Math.max(...row) > 6, `fixed z ${row} has no mode`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gan sample / gan evaluate load a run with its prior; one recorded before latentModes as N(0, I)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-prior-'));
    try {
      const r = await train({
        model: 'dcgan-28',
        modelConfig: { ...TINY['dcgan-28'], latentModes: 3 },
        dataset: syntheticDataset(16, [28, 28, 1]),
        batchSize: 8,
        maxSteps: 1,
        seed: 3,
        outDir: dir,
      });
      disposeModels(r.models);
      const loaded = loadGenerator(dir).models;
      assert.deepEqual(loaded.prior, { dim: 4, modes: 3, scale: 5 });
      disposeModels(loaded);
      // The same manifest as a version before the prior wrote it.
      const file = path.join(latestCheckpointDir(dir), 'manifest.json');
      const m = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete m.config.modelConfig.latentModes;
      delete m.config.modelConfig.latentModeScale;
      fs.writeFileSync(file, JSON.stringify(m));
      const legacy = loadGenerator(dir).models;
      assert.equal(legacy.prior.modes, 0);
      disposeModels(legacy);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gan train --latent-modes / --latent-mode-scale set the prior of dcgan-28 and are refused elsewhere', () => {
    const out = path.join(os.tmpdir(), `gan-prior-cli-${process.pid}`);
    const plan = planTraining({
      out,
      dataset: 'mnist',
      model: 'dcgan-28',
      latentModes: 10,
      latentModeScale: 4,
    });
    const mc = plan.settings(8000).modelConfig as { latentModes?: number; latentModeScale?: number };
    assert.equal(mc.latentModes, 10);
    assert.equal(mc.latentModeScale, 4);
    for (const model of ['mlp-gan', 'dcgan-64']) {
      assert.throws(
        () => planTraining({ out, dataset: 'mnist', model, latentModes: 10 }),
        (e: Error) => e instanceof UsageError && /--latent-modes applies to dcgan-28 only/.test(e.message),
      );
    }
    assert.throws(
      () => planTraining({ out, recipe: 'mnist-dcgan', latentModes: 3 }),
      /--recipe mnist-dcgan fixes --latent-modes itself/,
    );
  });

  it('a dcgan-28 run recorded before latentModes existed reads back as N(0, I)', () => {
    const old = { model: 'dcgan-28' as const, modelConfig: { latentDim: 100, ngf: 16 } as never };
    const mc = withRecordedDefaults(old).modelConfig as unknown as Record<string, unknown>;
    assert.equal(mc.latentModes, 0);
    assert.equal(mc.ngf, 16);
    const now = { model: 'dcgan-28' as const, modelConfig: { latentModes: 10, latentModeScale: 5 } as never };
    assert.deepEqual(withRecordedDefaults(now), now, 'records that have the field are left alone');
  });
});
