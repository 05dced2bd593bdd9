/**
 * `gan train-face-features`: reproduces the committed face-feature net behind face-FID. Trains the
 * 40-attribute CNN on (a seeded subsample of) the 32×32 train split of the face folder (real CelebA
 * or the stand-in, recorded in the manifest), reports held-out attribute accuracy, writes the weights.
 */
import type { Command } from 'commander';
import { initBackend } from '../backend';
import { loadCeleba } from '../data/celeba';
import {
  attributeAccuracy,
  DEFAULT_FACE_WEIGHTS,
  FACE_INPUT_SIZE,
  FACE_TRAIN_DEFAULTS,
  majorityAttributes,
  saveFaceNet,
  trainFaceNet,
} from '../metrics/faces';
import { intArg } from './args';

export function registerTrainFaceFeatures(program: Command): void {
  program
    .command('train-face-features')
    .description('train the 40-attribute face CNN whose features give face-FID')
    .option('--epochs <n>', 'training epochs', intArg('epochs', 1), FACE_TRAIN_DEFAULTS.epochs)
    .option(
      '--max-train <n>',
      'train faces used (a seeded subsample of the train split)',
      intArg('max-train', 1),
      FACE_TRAIN_DEFAULTS.maxTrain,
    )
    .option(
      '--seed <n>',
      'seed for init, subsample and shuffling',
      intArg('seed', 1),
      FACE_TRAIN_DEFAULTS.seed,
    )
    .option('--dir <dir>', 'face folder (default: CELEBA_DIR, else data/celeba)')
    .option('--out <base>', 'weights path without extension', DEFAULT_FACE_WEIGHTS)
    .action(async (opts: { epochs: number; maxTrain: number; seed: number; dir?: string; out: string }) => {
      const { epochs, maxTrain, seed } = opts;
      const report = await initBackend();
      const train = await loadCeleba({ dir: opts.dir, size: FACE_INPUT_SIZE, split: 'train' });
      const test = await loadCeleba({ dir: opts.dir, size: FACE_INPUT_SIZE, split: 'test' });
      const used = Math.min(maxTrain, train.count);
      console.log(
        `training on ${used} of ${train.count} train faces (${train.source}), backend ${report.backend}`,
      );
      const t0 = Date.now();
      const { model, trainCount } = await trainFaceNet(train, {
        epochs,
        seed,
        maxTrain,
        onEpoch: (e, loss, s) =>
          console.log(`epoch ${e + 1}/${epochs}: loss ${loss.toFixed(4)} (${s.toFixed(0)} s)`),
      });
      const seconds = (Date.now() - t0) / 1000;
      const acc = await attributeAccuracy(model, test, majorityAttributes(train));
      console.log(
        `held-out attribute accuracy on ${test.count} test faces: ${(acc.accuracy * 100).toFixed(2)}% ` +
          `(always-majority: ${(acc.majorityAccuracy * 100).toFixed(2)}%)`,
      );
      await saveFaceNet(model, opts.out, {
        trainedOn:
          `${train.standIn ? 'procedural CelebA stand-in (not CelebA)' : 'CelebA'}, ` +
          `${trainCount} of ${train.count} train faces at ${FACE_INPUT_SIZE}×${FACE_INPUT_SIZE}, ${test.count} test`,
        standIn: train.standIn,
        trainCount,
        testCount: test.count,
        epochs,
        seed,
        heldOutAccuracy: acc.accuracy,
        majorityAccuracy: acc.majorityAccuracy,
        attributes: [...(train.attributes?.names ?? [])],
        backend: report.backend,
        seconds: Math.round(seconds),
      });
      model.dispose();
      console.log(`wrote ${opts.out}.json and ${opts.out}.bin (${seconds.toFixed(0)} s of training)`);
      if (train.standIn) console.log('trained on the procedural stand-in, not CelebA: face-FID says so');
    });
}
