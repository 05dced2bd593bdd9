/**
 * `gan train-classifier`: reproduces the committed MNIST classifier used by the metrics
 * (classifier-FID, mode coverage). Trains on the fixed 8,000-digit train split, reports accuracy
 * on the 2,000 held-out digits, and writes the weights atomically.
 */
import type { Command } from 'commander';
import { initBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { accuracy, DEFAULT_WEIGHTS, saveClassifier, trainClassifier } from '../metrics/classifier';
import { intArg } from './args';

export function registerTrainClassifier(program: Command): void {
  program
    .command('train-classifier')
    .description('train the LeNet MNIST classifier behind classifier-FID and mode coverage')
    .option('--epochs <n>', 'training epochs', intArg('epochs', 1), 18)
    .option('--seed <n>', 'seed for init and shuffling', intArg('seed', 1), 1)
    .option('--dir <dir>', 'MNIST-format IDX directory (default: the embedded 10k digits)')
    .option('--out <base>', 'weights path without extension', DEFAULT_WEIGHTS)
    .action(async (opts: { epochs: number; seed: number; dir?: string; out: string }) => {
      const { epochs, seed } = opts;
      const report = await initBackend();
      const train = await loadMnist({ split: 'train', dir: opts.dir });
      const test = await loadMnist({ split: 'test', dir: opts.dir });
      console.log(`training on ${train.count} digits (${train.source}), backend ${report.backend}`);
      const t0 = Date.now();
      const model = await trainClassifier(train, {
        epochs,
        seed,
        onEpoch: (e, loss, acc) =>
          console.log(
            `epoch ${e + 1}/${epochs}: loss ${loss.toFixed(4)}, train acc ${(acc * 100).toFixed(2)}% (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
          ),
      });
      const acc = accuracy(model, test);
      console.log(`test accuracy on ${test.count} held-out digits: ${(acc * 100).toFixed(2)}%`);
      saveClassifier(model, opts.out, {
        testAccuracy: acc,
        trainedOn: `${train.source}, ${train.count} train / ${test.count} test`,
        backend: report.backend,
        epochs,
      });
      console.log(`wrote ${opts.out}.json and ${opts.out}.bin`);
    });
}
