/**
 * `gan evaluate --run DIR [--n 2000] [--parzen] [--json] [--record [FILE.json]]`: the quality of a run's
 * generator (its weight average when the run keeps one) beside real data and an untrained generator, scored
 * by the same code (src/metrics/evaluate.ts). MNIST: confident share, classes, KL to uniform, classifier-FID
 * (and Parzen); faces: face-FID and diversity. `--record` adds a finished recipe run to docs/results.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { intArg } from './args';
import { initBackend, describeBackend, parseBackendName } from '../backend';
import { evaluateRun, evaluationTable } from '../metrics/evaluate';
import { recipeRunResult, recordResult, resultsFiles } from '../results';

export interface EvaluateFlags {
  run?: string;
  /** Samples per row (2…10000; the CLI's argParser checks it). */
  n: number;
  seed: number;
  parzen?: boolean;
  json?: boolean;
  dir?: string;
  backend?: string;
  /** Add the result to docs/results.json and .md (true), or to FILE.json and FILE.md. */
  record?: boolean | string;
}

export async function runEvaluate(flags: EvaluateFlags): Promise<void> {
  if (!flags.run) throw new UsageError('Expected --run <dir> (a run directory written by gan train).');
  if (!fs.existsSync(flags.run))
    throw new UsageError(`No run at ${flags.run}: the directory does not exist.`);
  const { n, seed } = flags;
  // Checked before the (minutes-long) evaluation: is this a finished recipe run?
  const recipeRun = flags.record ? recipeRunResult(flags.run) : undefined;
  const report = await initBackend(flags.backend ? { force: flags.backend } : {});
  // A damaged checkpoint or missing data are UserErrors (src/errors.ts): the CLI exits 2 with the message.
  const e = await evaluateRun(flags.run, { n, seed, parzen: Boolean(flags.parzen), dir: flags.dir });
  if (recipeRun) {
    const json = typeof flags.record === 'string' ? path.resolve(flags.record) : resultsFiles().json;
    const entry = { ...recipeRun, date: new Date().toISOString(), evaluation: e };
    recordResult(entry, { json, md: json.replace(/(\.json)?$/, '.md') });
    process.stderr.write(`recorded in ${json} and its .md page\n`);
  }
  if (flags.json) {
    process.stdout.write(
      JSON.stringify({ ...e, backend: report.backend, device: report.device }, null, 2) + '\n',
    );
    return;
  }
  process.stdout.write(
    `${e.run}: ${e.model} on ${e.dataset}${e.standIn ? ' (STAND-IN, not real CelebA)' : ''}, step ${e.step}, ` +
      `samples from ${e.ema ? "the moving average of G's weights" : 'G'}; ${n} per row, ` +
      `${e.seconds.toFixed(0)} s on ${describeBackend(report)}\n\n${evaluationTable(e)}\n`,
  );
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description("score a run's generator beside real data and an untrained generator")
    .option('--run <dir>', 'run directory written by gan train')
    .option('--n <n>', 'samples per row', intArg('n', 2, 10000), 2000)
    .option('--seed <n>', 'seed of the noise', intArg('seed', 0, 0xffffffff), 4242)
    .option('--parzen', 'also the Parzen-window log-likelihood (MNIST; slow)')
    .option('--dir <dir>', 'face folder for face runs (default: CELEBA_DIR or data/celeba)')
    .option('--json', 'machine-readable output')
    .option(
      '--record [file]',
      'add this result (a run gan train --recipe finished) to docs/results.json and .md, or to FILE.json and FILE.md',
    )
    .option('--backend <name>', 'force a backend (default: the ladder, or GAN_BACKEND)', parseBackendName)
    .action(async (flags: EvaluateFlags) => runEvaluate(flags));
}
