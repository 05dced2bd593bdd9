/**
 * `gan data prepare | standin | inspect`: build the CelebA cache (resumable, with a progress
 * bar), write the procedural CelebA stand-in, and print one JSON summary of a dataset split.
 * Bad or missing data exits with 2 and a message that says what to do.
 */
import * as cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { parseDatasetName, type DatasetName } from '../data/index';
import { loadMnist, MNIST_SPLITS, type MnistSplit } from '../data/mnist';
import { loadCeleba, CELEBA_SPLITS, defaultCelebaDir, type CelebaSplit } from '../data/celeba';
import { CELEBA_SIZES, checkSize, type PrepareProgress } from '../data/celebaCache';
import { generateStandin, STANDIN_DEFAULTS } from '../data/standin';
import { inspectDataset } from '../data/inspect';
import type { Uint8Dataset } from '../data/uint8Dataset';
import { choiceFlag, intArg } from './args';

/** argParser of --size: one of the CelebA cache sizes. */
function sizeArg(raw: string): 32 | 64 | 128 {
  return checkSize(Number(choiceFlag('size', raw, CELEBA_SIZES.map(String))));
}

/** Run a command body (its DatasetErrors are UserErrors: the CLI exits 2 with their message). */
function guarded(fn: () => Promise<void>): Promise<void> {
  return fn();
}

/** A progress bar on a terminal; a line every few seconds in logs (count, img/s, ETA). */
export function progressReporter(label: string): { update(p: PrepareProgress): void; stop(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  // The first line waits a few seconds, so its rate and ETA mean something.
  let lastLine = Date.now();
  let announced = false;
  return {
    update(p) {
      if (!announced && p.resumedFrom > 0) {
        announced = true;
        process.stderr.write(`${label}: resuming after ${p.resumedFrom} of ${p.total} images done earlier\n`);
      }
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: `${label} [{bar}] {value}/{total} | {rate} img/s | ETA {eta_formatted} | skipped {skipped}`,
              stream: process.stderr,
              etaBuffer: 50,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, p.done, { rate: '0', skipped: 0 });
        }
        bar.update(p.done, { rate: p.rate.toFixed(0), skipped: p.skipped });
      } else if (Date.now() - lastLine > 5000 || p.done === p.total) {
        lastLine = Date.now();
        const eta = Number.isFinite(p.etaSec) ? `${Math.round(p.etaSec)} s` : '?';
        process.stderr.write(
          `${label}: ${p.done}/${p.total} (${p.rate.toFixed(0)} img/s, ETA ${eta}, skipped ${p.skipped})\n`,
        );
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Ctrl-C during preparation: stop at the next image and leave the work resumable. */
function abortOnSigint(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onSigint) };
}

interface DataOpts {
  dataset?: DatasetName;
  dir?: string;
  size?: 32 | 64 | 128;
  split?: string;
  cacheDir?: string;
  json?: boolean;
}

async function openForCli(
  opts: DataOpts,
  defaultSplit: string,
): Promise<{ ds: Uint8Dataset; split: string }> {
  if (!opts.dataset) throw new UsageError('Missing --dataset (one of: mnist, celeba).');
  const name = opts.dataset;
  if (name === 'mnist') {
    const split = opts.split ?? defaultSplit;
    if (!(MNIST_SPLITS as readonly string[]).includes(split)) {
      throw new UsageError(
        `Expected --split for mnist to be one of ${MNIST_SPLITS.join(', ')}, but got "${split}".`,
      );
    }
    if (opts.size !== undefined) throw new UsageError('--size applies to celeba only (MNIST is 28×28).');
    return { ds: await loadMnist({ dir: opts.dir, split: split as MnistSplit }), split };
  }
  const split = opts.split ?? 'all';
  if (!(CELEBA_SPLITS as readonly string[]).includes(split)) {
    throw new UsageError(
      `Expected --split for celeba to be one of ${CELEBA_SPLITS.join(', ')}, but got "${split}".`,
    );
  }
  const size = opts.size ?? 64;
  const progress = progressReporter(`CelebA ${size}×${size} cache`);
  const sig = abortOnSigint();
  try {
    const ds = await loadCeleba({
      dir: opts.dir ?? defaultCelebaDir(),
      size,
      split: split as CelebaSplit,
      cacheDir: opts.cacheDir,
      onProgress: (p) => progress.update(p),
      signal: sig.signal,
    });
    return { ds, split };
  } finally {
    progress.stop();
    sig.dispose();
  }
}

export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description('prepare, generate and inspect the datasets (MNIST, CelebA)');

  data
    .command('prepare')
    .description('build the uint8 cache of a dataset once (CelebA: crop, resize, store; resumable)')
    .requiredOption('--dataset <name>', 'mnist or celeba', parseDatasetName)
    .option('--dir <dir>', 'dataset folder (CelebA: holds img_align_celeba/ or img_align_celeba.zip)')
    .option('--size <px>', `CelebA image side: ${CELEBA_SIZES.join(', ')}`, sizeArg)
    .option('--cache-dir <dir>', 'where the cache goes (default <dir>/gan-cache)')
    .action((opts: DataOpts) =>
      guarded(async () => {
        const t0 = Date.now();
        const { ds } = await openForCli(opts, 'all');
        const sec = (Date.now() - t0) / 1000;
        const note = ds.name === 'mnist' ? ' (MNIST needs no cache; the files were validated)' : '';
        process.stdout.write(
          `${ds.standIn ? '[STAND-IN, not CelebA] ' : ''}${ds.name}: ${ds.count} images [${ds.shape.join(', ')}], ` +
            `${ds.skipped} skipped, ${sec.toFixed(1)} s — ${ds.source}${note}\n`,
        );
      }),
    );

  data
    .command('standin')
    .description('write a procedural, CelebA-shaped folder of faces (for when CelebA is absent)')
    .requiredOption('--out <dir>', 'output folder (gets img_align_celeba/ and list_attr_celeba.txt)')
    .option('--count <n>', 'number of faces', intArg('count', 1, 999999), STANDIN_DEFAULTS.count)
    .option(
      '--seed <s>',
      'seed; face i depends only on (seed, i)',
      intArg('seed', 0, 0xffffffff),
      STANDIN_DEFAULTS.seed,
    )
    .action((opts: { out: string; count: number; seed: number }) =>
      guarded(async () => {
        const { count, seed } = opts;
        const progress = progressReporter('Stand-in faces');
        const t0 = Date.now();
        try {
          const r = await generateStandin({
            out: opts.out,
            count,
            seed,
            onProgress: (p) => {
              const rate = p.done / Math.max(p.elapsedSec, 1e-3);
              progress.update({
                done: p.done,
                total: p.total,
                kept: p.done,
                skipped: 0,
                rate,
                etaSec: (p.total - p.done) / rate,
                resumedFrom: 0,
              });
            },
          });
          progress.stop();
          process.stdout.write(
            `Wrote the procedural CelebA STAND-IN (not CelebA): ${r.count} faces, seed ${r.seed}, in ${r.out} ` +
              `(${((Date.now() - t0) / 1000).toFixed(1)} s). Prepare it with: npx gan data prepare --dataset celeba --dir ${opts.out}\n`,
          );
        } finally {
          progress.stop();
        }
      }),
    );

  data
    .command('inspect')
    .description('print count, shape, dtype and value range of a dataset split')
    .requiredOption('--dataset <name>', 'mnist or celeba', parseDatasetName)
    .option('--dir <dir>', 'MNIST-format IDX folder, or CelebA folder (default data/celeba)')
    .option(
      '--split <split>',
      'mnist: train | test | all (default train); celeba: train | valid | test | all (default all)',
    )
    .option('--size <px>', `CelebA image side: ${CELEBA_SIZES.join(', ')} (default 64)`, sizeArg)
    .option('--cache-dir <dir>', 'CelebA cache folder (default <dir>/gan-cache)')
    .option('--json', 'print one JSON object')
    .action((opts: DataOpts) =>
      guarded(async () => {
        const { ds, split } = await openForCli(opts, 'train');
        const r = inspectDataset(ds, split);
        if (opts.json) {
          process.stdout.write(JSON.stringify(r) + '\n');
        } else {
          process.stdout.write(
            [
              `${r.dataset} (${r.split})${r.standIn ? '  [STAND-IN, not CelebA]' : ''}`,
              `  source   ${r.source}`,
              `  count    ${r.count}`,
              `  shape    [${r.shape.join(', ')}] ${r.dtype}`,
              `  range    min ${r.min}, max ${r.max}, mean ${r.mean.toFixed(4)}`,
              `  skipped  ${r.skipped}`,
            ].join('\n') + '\n',
          );
        }
      }),
    );
}
