/**
 * `gan train --model M --dataset D --out runs/NAME [...]` or `gan train --recipe NAME --out runs/NAME`:
 * train a GAN from the command line with the engine of src/train/engine.ts — progress bar on a terminal,
 * plain lines in logs, a fixed-noise PNG per epoch (and one at the end) in runs/NAME/samples/,
 * checkpoints for `--resume`, and a one-line summary (steps, img/s, backend). The flags become the
 * engine's TrainSettings (src/train/config.ts), checked there before any data or backend is loaded; on
 * `--resume`, flags left out take the values the run's checkpoint records. Bad flags, a missing run or a
 * model/dataset mismatch exit with 2 before anything is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cliProgress from 'cli-progress';
import type * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { initBackend, describeBackend } from '../backend';
import {
  loadDataset,
  parseDatasetName,
  type CelebaSize,
  type DatasetName,
  type DatasetOptions,
} from '../data/index';
import { imageGrid } from '../plot/imageGrid';
import { disposeModels, modelImageShape, parseModelName, type ModelName } from '../models';
import {
  checkImageShape,
  checkRunDir,
  checkSameModel,
  recordedConfig,
  resolveSettings,
  TRAIN_DEFAULTS,
  type TrainConfig,
  type TrainSettings,
} from '../train/config';
import { train, type StepRecord, type TrainCallbacks, type TrainProgress } from '../train/engine';
import type { GenLossName } from '../train/losses';
import { epochsFor, recipeSetup, trainOptions, type TrainSetup } from '../train/recipes';
import { writeFileAtomic, writeJsonAtomic } from '../util/fsAtomic';
import { RECIPE_RUN_FILE, type RecipeRunRecord } from '../results';
import { intFlag, numFlag } from './args';

/** The flags, as commander hands them over (numbers already parsed and range-checked by args.ts). */
export interface TrainFlags {
  recipe?: string;
  profile?: string;
  model?: string;
  dataset?: string;
  dir?: string;
  size?: number;
  out?: string;
  epochs?: number;
  maxSteps?: number;
  batchSize?: number;
  seed?: number;
  loss?: string;
  k?: number;
  labelSmoothing?: number;
  lr?: number;
  gLrScale?: number;
  beta1?: number;
  checkpointEvery?: number;
  resume?: boolean;
  latentDim?: number;
  latentModes?: number;
  latentModeScale?: number;
  ngf?: number;
  ndf?: number;
  backend?: string;
  progress?: boolean;
}

/** What `gan train` will do, decided from the flags alone (no data, no backend yet). */
export interface TrainPlan {
  out: string;
  resume: boolean;
  dataset: DatasetName;
  datasetOptions: DatasetOptions;
  /** The recipe at its profile, when --recipe named one. */
  setup?: TrainSetup;
  /** The engine's settings for a dataset of `count` examples (a recipe's epochs depend on it). */
  settings(count: number): TrainSettings;
}

const MAX_COUNT = 1_000_000_000;
const int =
  (name: string, min: number, max = MAX_COUNT) =>
  (raw: string) =>
    intFlag(name, raw, min, max);
const num = (name: string, lo: number, hi: number) => (raw: string) => numFlag(name, raw, lo, hi);

/** `o` without its undefined fields (so that spreading it overrides only what was given). */
function given<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
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
  ['gLrScale', 'g-lr-scale'],
  ['beta1', 'beta1'],
  ['latentDim', 'latent-dim'],
  ['latentModes', 'latent-modes'],
  ['latentModeScale', 'latent-mode-scale'],
  ['ngf', 'ngf'],
  ['ndf', 'ndf'],
];

function checkDataDir(dir: string | undefined): void {
  if (dir !== undefined && !fs.existsSync(dir)) throw new UsageError(`--dir ${dir} does not exist.`);
}

/** `--recipe NAME [--profile P]`: the recipe's setup (src/train/recipes.ts), with --max-steps / --seed. */
function planRecipe(flags: TrainFlags, out: string): TrainPlan {
  const fixed = RECIPE_FIXED.filter(([k]) => flags[k] !== undefined).map(([, f]) => `--${f}`);
  if (fixed.length > 0) {
    throw new UsageError(
      `--recipe ${flags.recipe} fixes ${fixed.join(', ')} itself. Drop them, or train without --recipe.`,
    );
  }
  const recipe = recipeSetup(flags.recipe as string, flags.profile ?? 'cpu');
  // --max-steps replaces the recipe's budget, epochs included (they follow from the steps).
  const setup = flags.maxSteps !== undefined ? { ...recipe, steps: flags.maxSteps } : recipe;
  checkDataDir(flags.dir);
  const resume = Boolean(flags.resume);
  checkRunDir(out, resume);
  if (resume) {
    const label = `--recipe ${setup.recipe} (${setup.model})`;
    checkSameModel(out, recordedConfig(out).model, setup.model, label);
  }
  const d = setup.data;
  const overrides = given({ seed: flags.seed });
  return {
    out,
    resume,
    setup,
    dataset: d.dataset,
    datasetOptions:
      d.dataset === 'mnist' ? { split: 'train', dir: flags.dir } : { dir: flags.dir, size: d.size },
    settings: (count) => ({
      ...trainOptions(setup, count),
      checkpointEvery: flags.checkpointEvery ?? 500,
      ...overrides,
    }),
  };
}

/** The model-config flags, checked against the model. */
function modelFlags(flags: TrainFlags, model: ModelName): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, flag] of [
    ['latentDim', 'latent-dim'],
    ['latentModes', 'latent-modes'],
    ['latentModeScale', 'latent-mode-scale'],
    ['ngf', 'ngf'],
    ['ndf', 'ndf'],
  ] as const) {
    const v = flags[key];
    if (v === undefined) continue;
    if (key.startsWith('latentMode') && model !== 'dcgan-28')
      throw new UsageError(`--${flag} applies to dcgan-28 only.`);
    if (model === 'mlp-gan' && key !== 'latentDim')
      throw new UsageError(`--${flag} applies to the DCGANs only.`);
    out[key] = v;
  }
  return out;
}

/** The settings the flags give; on --resume, what they leave out is taken from the run's record. */
function flagSettings(flags: TrainFlags, model: ModelName, prior?: Partial<TrainConfig>): TrainSettings {
  // Budget flags replace the recorded budget; without any, the run continues to the one it had.
  // --max-steps alone gets as many epochs as those steps need (planFlags, once the data's size is known).
  const budget =
    flags.epochs !== undefined || flags.maxSteps !== undefined
      ? { numEpochs: flags.epochs, maxSteps: flags.maxSteps }
      : { numEpochs: prior?.budget?.numEpochs, maxSteps: prior?.budget?.maxSteps };
  const step = given({
    loss: flags.loss as GenLossName | undefined,
    k: flags.k,
    labelSmoothing: flags.labelSmoothing,
    lr: flags.lr,
    gLrScale: flags.gLrScale,
    beta1: flags.beta1,
  });
  return {
    model,
    modelConfig: { ...prior?.modelConfig, ...modelFlags(flags, model) },
    ...budget,
    batchSize: flags.batchSize ?? prior?.batchSize,
    seed: flags.seed ?? prior?.seed,
    numFixed: prior?.numFixed,
    step: { ...prior?.step, ...step },
    ema: prior?.ema,
    checkpointEvery: flags.checkpointEvery ?? prior?.checkpointEvery,
  };
}

/** `--model M --dataset D [...]`, or `--resume` with the run's record filling in what is left out. */
function planFlags(flags: TrainFlags, out: string): TrainPlan {
  if (flags.profile !== undefined) throw new UsageError('--profile applies to --recipe only.');
  const resume = Boolean(flags.resume);
  checkRunDir(out, resume);
  const prior = resume ? recordedConfig(out) : undefined;
  const modelRaw = flags.model ?? prior?.model;
  if (!modelRaw) {
    throw new UsageError(
      'Expected --recipe NAME (see gan recipes) or --model mlp-gan|dcgan-28|dcgan-64|dcgan-32.',
    );
  }
  const model = parseModelName(modelRaw);
  if (prior) checkSameModel(out, prior.model, model, `--model ${model}`);
  const datasetRaw = flags.dataset ?? prior?.dataset?.name;
  if (!datasetRaw) throw new UsageError('Expected --dataset mnist|celeba.');
  const dataset = parseDatasetName(datasetRaw);
  if (flags.size !== undefined && dataset !== 'celeba') {
    throw new UsageError('--size applies to --dataset celeba only.');
  }
  checkDataDir(flags.dir);
  const settings = flagSettings(flags, model, prior);
  // The engine's own checks, before any data is loaded; the data must fit the model.
  const { modelConfig } = resolveSettings(settings);
  const side = flags.size ?? prior?.dataset?.shape?.[0] ?? modelImageShape(model, modelConfig)[0];
  const shape = dataset === 'mnist' ? [28, 28, 1] : [side, side, 3];
  checkImageShape({ name: model, config: modelConfig }, { name: dataset, shape });
  return {
    out,
    resume,
    dataset,
    datasetOptions:
      dataset === 'mnist' ? { split: 'train', dir: flags.dir } : { dir: flags.dir, size: side as CelebaSize },
    settings: (count) =>
      settings.maxSteps !== undefined && settings.numEpochs === undefined
        ? {
            ...settings,
            numEpochs: epochsFor(settings.maxSteps, count, settings.batchSize ?? TRAIN_DEFAULTS.batchSize),
          }
        : settings,
  };
}

/** Check everything that can be checked without data or backend. */
export function planTraining(flags: TrainFlags): TrainPlan {
  if (!flags.out) throw new UsageError('Expected --out <dir> (e.g. --out runs/mnist-dcgan).');
  return flags.recipe !== undefined ? planRecipe(flags, flags.out) : planFlags(flags, flags.out);
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

/**
 * Progress on stderr, a sample grid per epoch and one at the end; a recipe run also gets `recipe.json`
 * (which recipe and profile, on which backend) for `gan evaluate --record`.
 */
function cliCallbacks(
  out: string,
  reporter: ReturnType<typeof makeReporter>,
  recipe?: RecipeRunRecord,
): TrainCallbacks {
  return {
    onStart: ({ totalSteps, startStep, resumedFrom }) => {
      if (recipe) writeJsonAtomic(path.join(out, RECIPE_RUN_FILE), recipe, 2);
      if (resumedFrom) process.stderr.write(`resuming from ${resumedFrom} (step ${startStep})\n`);
      reporter.start(totalSteps, startStep);
    },
    onStep: (r, p) => reporter.step(r, p),
    onEpochEnd: ({ epoch, samples }) =>
      saveGrid(out, `epoch-${String(epoch + 1).padStart(4, '0')}.png`, samples),
    onEnd: ({ step, samples }) => saveGrid(out, `step-${String(step).padStart(7, '0')}.png`, samples),
  };
}

export async function runTrain(flags: TrainFlags): Promise<void> {
  const plan = planTraining(flags);
  const report = await initBackend(flags.backend ? { force: flags.backend } : {});
  const dataset = await loadDataset(plan.dataset, plan.datasetOptions);
  const settings = plan.settings(dataset.count);
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
      `gan train: ${settings.model} on ${dataset.name} (${dataset.source}, ${dataset.count} images) → ${plan.out}\n` +
      `backend: ${describeBackend(report)}\n`,
  );
  try {
    const result = await train({
      ...settings,
      dataset,
      outDir: plan.out,
      resume: plan.resume,
      signal: abort.signal,
      callbacks: cliCallbacks(
        plan.out,
        reporter,
        plan.setup && {
          recipe: plan.setup.recipe,
          profile: plan.setup.profile,
          backend: report.backend,
          device: report.device,
        },
      ),
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
    .option('--size <px>', 'CelebA image side (default: the model’s, 64)', int('size', 1, 4096))
    .option('--out <dir>', 'run directory, e.g. runs/mnist-dcgan')
    .option('--epochs <n>', 'epochs in total (default 1)', int('epochs', 1))
    .option(
      '--max-steps <n>',
      'stop after this many steps in total (without --epochs: as many epochs as they need)',
      int('max-steps', 1),
    )
    .option('--batch-size <n>', 'batch size (default 128, Radford et al. 2015)', int('batch-size', 1, 65536))
    .option('--seed <n>', 'seed of init, noise and shuffles (default 0)', int('seed', 0, 0xffffffff))
    .option('--loss <name>', 'generator loss: minimax | nonsaturating (default)')
    .option('--k <n>', 'D steps per G step (default 1)', int('k', 1, 100))
    .option(
      '--label-smoothing <s>',
      'one-sided label smoothing of real targets (default 0)',
      num('label-smoothing', 0, 1),
    )
    .option('--lr <lr>', 'Adam learning rate (default 2e-4)', num('lr', 1e-12, 10))
    .option('--g-lr-scale <s>', "G's lr is lr·s (default 1: the same as D's)", num('g-lr-scale', 1e-6, 1e6))
    .option('--beta1 <b>', 'Adam β1 (default 0.5)', num('beta1', 0, 1))
    .option(
      '--checkpoint-every <steps>',
      'checkpoint every N steps, besides each epoch end (default 0)',
      int('checkpoint-every', 0),
    )
    .option('--resume', 'continue the run in --out from its latest checkpoint (left-out flags: as recorded)')
    .option('--latent-dim <n>', 'size of z (default 100)', int('latent-dim', 1, 4096))
    .option(
      '--latent-modes <k>',
      'dcgan-28: draw z from k separated Gaussians (src/models/prior.ts; default 0: N(0, I))',
      int('latent-modes', 0, 4096),
    )
    .option(
      '--latent-mode-scale <s>',
      "dcgan-28: each mode's distance from the origin (default 5)",
      num('latent-mode-scale', 1e-6, 100),
    )
    .option('--ngf <n>', 'DCGAN generator width (default 64)', int('ngf', 1, 4096))
    .option('--ndf <n>', 'DCGAN discriminator width (default 64)', int('ndf', 1, 4096))
    .option('--backend <name>', 'force a backend (default: the ladder, or GAN_BACKEND)')
    .option('--no-progress', 'plain progress lines even on a terminal')
    .action(async (flags: TrainFlags) => runTrain(flags));
}
