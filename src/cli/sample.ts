/**
 * `gan sample --run runs/NAME --n 64 --out grid.png [--seed S] [--nrow R]`: draw n images from the
 * generator of a run's latest checkpoint (validated like any untrusted file) and save them as one PNG
 * grid (src/plot/imageGrid.ts). The same seed gives the same grid.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { intFlag } from './args';
import { initBackend } from '../backend';
import { imageGrid } from '../plot/imageGrid';
import { disposeModels, samplingGenerator } from '../models';
import { writeFileAtomic } from '../util/fsAtomic';
import { loadGenerator } from '../train/engine';
import { sampleNoise } from '../train/step';
import { Rng } from '../util/rng';

export interface SampleFlags {
  run?: string;
  n: string;
  out?: string;
  seed: string;
  nrow?: string;
  backend?: string;
}

export async function runSample(flags: SampleFlags): Promise<void> {
  if (!flags.run) throw new UsageError('Expected --run <dir> (a run directory written by gan train).');
  if (!flags.out) throw new UsageError('Expected --out <file.png>.');
  if (!/\.png$/i.test(flags.out))
    throw new UsageError(`Expected --out to name a .png file, but got "${flags.out}".`);
  const n = intFlag('n', flags.n, 1, 4096);
  const seed = intFlag('seed', flags.seed, 0, 0xffffffff);
  const nrow = flags.nrow !== undefined ? intFlag('nrow', flags.nrow, 1, 4096) : Math.ceil(Math.sqrt(n));
  if (!fs.existsSync(flags.run))
    throw new UsageError(`No run at ${flags.run}: the directory does not exist.`);
  await initBackend(flags.backend ? { force: flags.backend } : {});
  const { models, step, trainedOn } = loadGenerator(flags.run);
  try {
    const images = tf.tidy(() => {
      const z = sampleNoise(new Rng(seed), n, models.prior);
      // the moving average of G's weights when the run keeps one: [n, H, W, C] in [-1, 1]
      return samplingGenerator(models).predict(z) as tf.Tensor4D;
    });
    // One asynchronous read (WebGPU in Node has no synchronous one), then the grid from the host copy.
    const values = await images.data();
    const shape = [...images.shape];
    images.dispose();
    const png = imageGrid({ shape, dataSync: () => values }, { nrow }).png;
    fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
    writeFileAtomic(flags.out, png);
    process.stdout.write(
      `wrote ${flags.out}: ${n} samples of ${models.name} trained on ${trainedOn}, step ${step} (seed ${seed})\n`,
    );
  } finally {
    disposeModels(models);
  }
}

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description("save a PNG grid of samples from a run's latest checkpoint")
    .option('--run <dir>', 'run directory written by gan train')
    .option('--n <n>', 'number of samples', '64')
    .option('--out <file>', 'PNG file to write')
    .option('--seed <n>', 'seed of the noise', '0')
    .option('--nrow <n>', 'images per row (default ⌈√n⌉)')
    .option('--backend <name>', 'force a backend (default: the ladder, or GAN_BACKEND)')
    .action(async (flags: SampleFlags) => runSample(flags));
}
