/**
 * `gan train --model M --dataset D --out runs/NAME [...]`: train a GAN from the command line with the
 * engine of src/train/engine.ts — progress bar on a terminal, plain lines in logs, a fixed-noise PNG per
 * epoch (and one at the end) in runs/NAME/samples/, checkpoints for `--resume`, and a one-line summary (steps, img/s, backend).
 * Bad flags, a missing run or a model/dataset mismatch exit with 2 before anything is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cliProgress from 'cli-progress';
import type * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { initBackend, describeBackend } from '../backend';
import { loadDataset, parseDatasetName, type DatasetName } from '../data/index';
import type { ImageDataset } from '../data/types';
import { imageGrid } from '../plot/imageGrid';
import { disposeModels, modelImageShape, parseModelName, resolveConfig, type ModelName } from '../models';
import { hasCheckpoint } from '../train/checkpoint';
import { train, type StepRecord, type TrainProgress, type RunConfig } from '../train/engine';
import { parseGenLoss, type GenLossName } from '../train/losses';
import { recipeSetup, trainOptions } from '../train/recipes';
import { writeFileAtomic } from '../util/fsAtomic';

export interface TrainFlags {
  recipe?: string;
  profile?: string;
  model?: string;
  dataset?: string;
  dir?: string;
  size?: string;
  out?: string;
  epochs?: string;
  maxSteps?: string;
  batchSize?: string;
  seed?: string;
  loss?: string;
  k?: string;
  labelSmoothing?: string;
  lr?: string;
  beta1?: string;
  checkpointEvery?: string;
  resume?: boolean;
  latentDim?: string;
  ngf?: string;
  ndf?: string;
  backend?: string;
  progress?: boolean;
}

function intFlag(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(v) || v < min) {
    throw new UsageError(`Expected --${name} to be an integer ≥ ${min}, but got "${raw}".`);
  }
  return v;
}

function numFlag(name: string, raw: string | undefined, lo: number, hi: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < lo || v >= hi) {
    throw new UsageError(`Expected --${name} to be a number in [${lo}, ${hi}), but got "${raw}".`);
  }
  return v;
}

function fmtSec(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
    : `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** One human line for a step: what the bar shows and what logs get. */
export function formatStep(r: StepRecord, p: TrainProgress): string {
  return (
    `step ${p.step}/${p.totalSteps} epoch ${p.epoch + 1}/${p.numEpochs} ` +
    `dLoss ${r.dLoss.toFixed(3)} gLoss ${r.gLoss.toFixed(3)} D(x) ${r.dReal.toFixed(2)} D(G(z)) ${r.dFake.toFixed(2)} ` +
    `${p.imgPerSec.toFixed(1)} img/s ETA ${fmtSec(p.etaSec)}`
  );
}

/** Read the config of an existing run (for --resume defaults); the engine re-checks it against the checkpoint. */
function readRunConfig(out: string): Partial<RunConfig> {
  const file = path.join(out, 'config.json');
  try {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new Error('not a JSON object');
    return c as Partial<RunConfig>;
  } catch (e) {
    throw new UsageError(`Cannot resume ${out}: ${file} is unreadable (${(e as Error).message}).`);
  }
}

/** Flags that a recipe fixes itself: naming one beside --recipe is a usage error. */
const RECIPE_FIXED: Array<[keyof TrainFlags, string]> = [
  ['model', 'model'],
  ['dataset', 'dataset'],
  ['size', 'size'],
  ['epochs', 'epochs'],
  ['batchSize', 'batch-size'],
  ['loss', 'loss'],
  ['k', 'k'],
  ['labelSmoothing', 'label-smoothing'],
  ['lr', 'lr'],
  ['beta1', 'beta1'],
  ['latentDim', 'latent-dim'],
  ['ngf', 'ngf'],
  ['ndf', 'ndf'],
];

/** `--recipe NAME [--profile P]`: the recipe's setup as the engine's options (src/train/recipes.ts). */
function planRecipe(flags: TrainFlags, out: string) {
  const fixed = RECIPE_FIXED.filter(([k]) => flags[k] !== undefined).map(([, f]) => `--${f}`);
  if (fixed.length > 0) {
    throw new UsageError(
      `--recipe ${flags.recipe} fixes ${fixed.join(', ')} itself. Drop them, or train without --recipe.`,
    );
  }
  let setup;
  try {
    setup = recipeSetup(flags.recipe as string, flags.profile ?? 'cpu');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (flags.dir !== undefined && !fs.existsSync(flags.dir)) {
    throw new UsageError(`--dir ${flags.dir} does not exist.`);
  }
  if (!flags.resume && hasCheckpoint(out)) {
    throw new UsageError(`${out} already holds a run. Add --resume to continue it, or choose another --out.`);
  }
  const d = setup.data;
  return {
    out,
    setup,
    model: setup.model,
    dataset: d.dataset,
    datasetOptions:
      d.dataset === 'mnist' ? { split: 'train' as const, dir: flags.dir } : { dir: flags.dir, size: d.size },
    modelConfig: setup.modelConfig as Record<string, unknown>,
    numEpochs: undefined as number | undefined,
    maxSteps: intFlag('max-steps', flags.maxSteps, 1) ?? setup.steps,
    batchSize: setup.batchSize,
    seed: intFlag('seed', flags.seed, 0) ?? setup.seed,
    numFixed: undefined,
    checkpointEvery: intFlag('checkpoint-every', flags.checkpointEvery, 0) ?? 500,
    resume: Boolean(flags.resume),
    step: setup.step,
    ema: setup.ema,
  };
}

/** Check everything that can be checked without data or backend; returns the engine's options. */
export function planTraining(flags: TrainFlags) {
  if (!flags.out) throw new UsageError('Expected --out <dir> (e.g. --out runs/mnist-dcgan).');
  if (flags.recipe !== undefined) return planRecipe(flags, flags.out);
  if (flags.profile !== undefined) throw new UsageError('--profile applies to --recipe only.');
  const out = flags.out;
  const prior = flags.resume ? (hasCheckpoint(out) ? readRunConfig(out) : undefined) : undefined;
  if (flags.resume && !prior) {
    throw new UsageError(
      `Cannot resume: no run in ${out} (latest.json is missing). Start it without --resume.`,
    );
  }
  if (!flags.resume && hasCheckpoint(out)) {
    throw new UsageError(`${out} already holds a run. Add --resume to continue it, or choose another --out.`);
  }
  const modelRaw = flags.model ?? prior?.model;
  const datasetRaw = flags.dataset ?? prior?.dataset?.name;
  if (!modelRaw)
    throw new UsageError(
      'Expected --recipe NAME (see gan recipes) or --model mlp-gan|dcgan-28|dcgan-64|dcgan-32.',
    );
  if (!datasetRaw) throw new UsageError('Expected --dataset mnist|celeba.');
  let model: ModelName;
  let dataset: DatasetName;
  let loss: GenLossName | undefined;
  try {
    model = parseModelName(modelRaw);
    dataset = parseDatasetName(datasetRaw);
    loss = flags.loss !== undefined ? parseGenLoss(flags.loss) : prior?.step?.loss;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const size = intFlag('size', flags.size, 1);
  if (size !== undefined && dataset !== 'celeba')
    throw new UsageError('--size applies to --dataset celeba only.');
  if (flags.dir !== undefined && !fs.existsSync(flags.dir)) {
    throw new UsageError(`--dir ${flags.dir} does not exist.`);
  }
  const modelConfig: Record<string, unknown> = {
    ...(prior?.modelConfig as Record<string, unknown> | undefined),
  };
  for (const [key, flag] of [
    ['latentDim', 'latent-dim'],
    ['ngf', 'ngf'],
    ['ndf', 'ndf'],
  ] as const) {
    const v = intFlag(flag, flags[key], 1);
    if (v === undefined) continue;
    if (model === 'mlp-gan' && key !== 'latentDim')
      throw new UsageError(`--${flag} applies to the DCGANs only.`);
    modelConfig[key] = v;
  }
  let resolved;
  try {
    resolved = resolveConfig(model, modelConfig);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const imageShape = modelImageShape(model, resolved);
  const dataShape = dataset === 'mnist' ? [28, 28, 1] : [size ?? imageShape[0], size ?? imageShape[0], 3];
  if (imageShape.join('×') !== dataShape.join('×')) {
    throw new UsageError(
      `Model ${model} makes ${imageShape.join('×')} images but --dataset ${dataset} gives ${dataShape.join('×')}. ` +
        `Use mlp-gan or dcgan-28 with mnist, dcgan-64 with celeba.`,
    );
  }
  const step = {
    ...prior?.step,
    ...(loss !== undefined ? { loss } : {}),
    ...(flags.k !== undefined ? { k: intFlag('k', flags.k, 1) } : {}),
    ...(flags.labelSmoothing !== undefined
      ? { labelSmoothing: numFlag('label-smoothing', flags.labelSmoothing, 0, 1) }
      : {}),
    ...(flags.lr !== undefined ? { lr: numFlag('lr', flags.lr, 1e-12, 10) } : {}),
    ...(flags.beta1 !== undefined ? { beta1: numFlag('beta1', flags.beta1, 0, 1) } : {}),
  };
  return {
    out,
    model,
    dataset,
    datasetOptions:
      dataset === 'mnist'
        ? { split: 'train' as const, dir: flags.dir }
        : { dir: flags.dir, size: dataShape[0] },
    modelConfig,
    numEpochs: intFlag('epochs', flags.epochs, 1),
    maxSteps: intFlag('max-steps', flags.maxSteps, 1),
    batchSize: intFlag('batch-size', flags.batchSize, 1) ?? prior?.batchSize,
    seed: intFlag('seed', flags.seed, 0) ?? prior?.seed,
    numFixed: prior?.numFixed,
    checkpointEvery: intFlag('checkpoint-every', flags.checkpointEvery, 0),
    resume: Boolean(flags.resume),
    step,
    ema: prior?.ema,
    setup: undefined,
  };
}

/** A cli-progress bar on a terminal; otherwise a plain line every few seconds and at each epoch's end. */
function makeReporter(useBar: boolean) {
  let bar: cliProgress.SingleBar | undefined;
  let last = 0;
  return {
    start(total: number, start: number) {
      if (!useBar) return;
      bar = new cliProgress.SingleBar(
        { format: '{bar} {value}/{total} {line}', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, start, { line: '' });
    },
    step(r: StepRecord, p: TrainProgress) {
      if (bar) {
        bar.update(p.step, { line: formatStep(r, p).replace(/^step \S+ /, '') });
        return;
      }
      const now = Date.now();
      if (now - last > 5000 || p.step === p.totalSteps || (p.step % p.stepsPerEpoch === 0 && p.step > 0)) {
        last = now;
        process.stderr.write(formatStep(r, p) + '\n');
      }
    },
    note(line: string) {
      process.stderr.write((bar ? '\n' : '') + line + '\n');
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Write a fixed-noise grid to `<out>/samples/<name>` (atomically), from one asynchronous read. */
async function saveGrid(out: string, name: string, samples: tf.Tensor4D): Promise<void> {
  const dir = path.join(out, 'samples');
  fs.mkdirSync(dir, { recursive: true });
  const values = await samples.data();
  const grid = imageGrid({ shape: [...samples.shape], dataSync: () => values }, { nrow: 8 });
  writeFileAtomic(path.join(dir, name), grid.png);
}

export async function runTrain(flags: TrainFlags): Promise<void> {
  const plan = planTraining(flags);
  const report = await initBackend(flags.backend ? { force: flags.backend } : {});
  const dataset: ImageDataset = await loadDataset(plan.dataset, plan.datasetOptions);
  const reporter = makeReporter(flags.progress !== false && Boolean(process.stderr.isTTY));
  const abort = new AbortController();
  const onSigint = () => {
    reporter.note('gan: interrupted — finishing this step and writing a checkpoint (Ctrl-C again to kill)');
    process.off('SIGINT', onSigint);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.stderr.write(
    (plan.setup ? `recipe ${plan.setup.recipe} (profile ${plan.setup.profile}): ` : '') +
      `gan train: ${plan.model} on ${dataset.name} (${dataset.source}, ${dataset.count} images) → ${plan.out}\n` +
      `backend: ${describeBackend(report)}\n`,
  );
  if (plan.setup) plan.numEpochs = trainOptions(plan.setup, dataset.count).numEpochs;
  try {
    const result = await train({
      model: plan.model,
      modelConfig: plan.modelConfig,
      dataset,
      numEpochs: plan.numEpochs,
      maxSteps: plan.maxSteps,
      batchSize: plan.batchSize,
      seed: plan.seed,
      numFixed: plan.numFixed,
      step: plan.step,
      ema: plan.ema,
      outDir: plan.out,
      checkpointEvery: plan.checkpointEvery,
      resume: plan.resume,
      signal: abort.signal,
      callbacks: {
        onStart: ({ totalSteps, startStep, resumedFrom }) => {
          if (resumedFrom) process.stderr.write(`resuming from ${resumedFrom} (step ${startStep})\n`);
          reporter.start(totalSteps, startStep);
        },
        onStep: (r, p) => reporter.step(r, p),
        onEpochEnd: ({ epoch, samples }) =>
          saveGrid(plan.out, `epoch-${String(epoch + 1).padStart(4, '0')}.png`, samples),
        onEnd: ({ step, samples }) =>
          saveGrid(plan.out, `step-${String(step).padStart(7, '0')}.png`, samples),
      },
    });
    reporter.stop();
    disposeModels(result.models);
    process.stdout.write(
      `${result.stopped === 'aborted' ? 'stopped' : 'done'}: ${result.steps} steps (${result.stepsThisRun} this run), ` +
        `${result.imgPerSec.toFixed(1)} img/s on ${report.backend} — ${report.device}; checkpoint ${result.checkpoint ?? 'none'}\n`,
    );
  } catch (e) {
    reporter.stop();
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a GAN (checkpoints and per-epoch samples in --out; --resume continues a run)')
    .option('--recipe <name>', 'a named recipe (see gan recipes): model, data, optimizer, tricks and budget')
    .option('--profile <name>', "the recipe's budget: quick | cpu (default) | gpu")
    .option('--model <name>', 'mlp-gan | dcgan-28 | dcgan-64 | dcgan-32')
    .option('--dataset <name>', 'mnist | celeba')
    .option('--dir <dir>', 'dataset folder (MNIST IDX files or CelebA); default: embedded MNIST, data/celeba')
    .option('--size <px>', 'CelebA image side (default: the model’s, 64)')
    .option('--out <dir>', 'run directory, e.g. runs/mnist-dcgan')
    .option('--epochs <n>', 'epochs in total (default 1)')
    .option('--max-steps <n>', 'stop after this many steps in total')
    .option('--batch-size <n>', 'batch size (default 128, Radford et al. 2015)')
    .option('--seed <n>', 'seed of init, noise and shuffles (default 0)')
    .option('--loss <name>', 'generator loss: minimax | nonsaturating (default)')
    .option('--k <n>', 'D steps per G step (default 1)')
    .option('--label-smoothing <s>', 'one-sided label smoothing of real targets (default 0)')
    .option('--lr <lr>', 'Adam learning rate (default 2e-4)')
    .option('--beta1 <b>', 'Adam β1 (default 0.5)')
    .option('--checkpoint-every <steps>', 'checkpoint every N steps, besides each epoch end (default 0)')
    .option('--resume', 'continue the run in --out from its latest checkpoint')
    .option('--latent-dim <n>', 'size of z (default 100)')
    .option('--ngf <n>', 'DCGAN generator width (default 64)')
    .option('--ndf <n>', 'DCGAN discriminator width (default 64)')
    .option('--backend <name>', 'force a backend (default: the ladder, or GAN_BACKEND)')
    .option('--no-progress', 'plain progress lines even on a terminal')
    .action(async (flags: TrainFlags) => runTrain(flags));
}
