/**
 * One training config. Notebooks write `TrainSettings` in code (a recipe's `trainOptions`, or by hand),
 * `gan train` builds them from flags or a recipe; `train()` resolves them once into a `TrainConfig`
 * (every default applied, every value checked), which each checkpoint's manifest records. That record
 * is what `--resume` reads back and compares (`config.json` beside it is a copy for people, never read).
 * Every check of a run's settings lives here, each with one message.
 */
import { TrainConfigError } from '../errors';
import type { ImageDataset } from '../data/types';
import {
  DCGAN28_DEFAULTS,
  modelImageShape,
  modelSpec,
  type ModelConfigs,
  type ModelName,
  type ModelSpec,
} from '../models';
import { hasCheckpoint, readManifest } from './checkpoint';
import { GEN_LOSS_NAMES } from './losses';
import { STEP_DEFAULTS, type StepConfig } from './step';

/** Radford et al. 2015, §4: "mini-batch stochastic gradient descent (SGD) with a mini-batch size of 128". */
export const TRAIN_DEFAULTS = { batchSize: 128, numEpochs: 1, seed: 0, numFixed: 64 } as const;

/** A run's settings as written in code or flags: absent fields take the defaults. */
export interface TrainSettings<N extends ModelName = ModelName> {
  model: N;
  /** Overrides of the model defaults (src/models/*.ts). */
  modelConfig?: Partial<ModelConfigs[N]>;
  /** Epochs to train in total (a resumed run counts the epochs already done). Default 1. */
  numEpochs?: number;
  /** Stop after this many steps in total (counting those before a resume). */
  maxSteps?: number;
  batchSize?: number;
  /** Seeds the init, the noise, the fixed noise and the shuffles. */
  seed?: number;
  /** Loss, k, label smoothing and Adam settings (defaults: STEP_DEFAULTS). */
  step?: Partial<StepConfig>;
  /**
   * Keep an exponential moving average of G's weights with this decay (e.g. 0.999; src/train/ema.ts)
   * and sample from it: `models.ema`, the per-epoch renders, checkpoints. 0 or absent: no average.
   */
  ema?: number;
  /** Fixed-noise samples rendered per epoch (default 64). */
  numFixed?: number;
  /** Also checkpoint every this many steps (0: only at epoch ends and at the end). */
  checkpointEvery?: number;
}

/** The data a run trains on, as recorded. `standIn`: the procedural CelebA stand-in, not real CelebA. */
export interface DatasetSpec {
  name: string;
  shape: number[];
  count: number;
  standIn: boolean;
}

/** How long a run trains; a resume may change it. */
export interface TrainBudget {
  numEpochs: number;
  maxSteps?: number;
}

/** A run's settings resolved and checked: what `train()` runs, each checkpoint records, a resume matches. */
export interface TrainConfig<N extends ModelName = ModelName> {
  model: N;
  /** The model's full config (defaults applied). */
  modelConfig: ModelConfigs[N];
  dataset: DatasetSpec;
  batchSize: number;
  seed: number;
  step: StepConfig;
  numFixed: number;
  /** EMA decay of G's weights; absent when the run keeps no average. */
  ema?: number;
  budget: TrainBudget;
  checkpointEvery: number;
}

/** What a resume must match: everything but how long to train and how often to checkpoint. */
export type RunConfig = Omit<TrainConfig, 'budget' | 'checkpointEvery'>;

/** A TrainConfig before it meets its data (everything `resolveSettings` can check without it). */
export type ResolvedSettings<N extends ModelName = ModelName> = Omit<TrainConfig<N>, 'dataset'>;

function checkInt(what: string, v: number, min: 0 | 1): number {
  if (!Number.isInteger(v) || v < min) {
    throw new TrainConfigError(
      `Expected ${what} to be a ${min === 0 ? 'non-negative' : 'positive'} integer, but got ${v}.`,
    );
  }
  return v;
}

function checkRate(what: string, v: number, lo: number, closedLo = true): void {
  if (typeof v !== 'number' || !((closedLo ? v >= lo : v > lo) && v < 1)) {
    throw new TrainConfigError(
      `Expected ${what} to be a number in ${closedLo ? '[' : '('}${lo}, 1), but got ${JSON.stringify(v)}.`,
    );
  }
}

/** Loss, k, label smoothing and Adam, over STEP_DEFAULTS. */
function resolveStep(overrides: Partial<StepConfig> = {}): StepConfig {
  const step = { ...STEP_DEFAULTS, ...overrides };
  if (!(GEN_LOSS_NAMES as readonly string[]).includes(step.loss)) {
    throw new TrainConfigError(
      `Unknown generator loss "${step.loss}". Expected one of: ${GEN_LOSS_NAMES.join(', ')}.`,
    );
  }
  checkInt('k', step.k, 1);
  checkRate('labelSmoothing', step.labelSmoothing, 0);
  if (typeof step.lr !== 'number' || !(step.lr > 0 && step.lr < 10)) {
    throw new TrainConfigError(`Expected lr to be a number in (0, 10), but got ${JSON.stringify(step.lr)}.`);
  }
  if (typeof step.gLrScale !== 'number' || !(step.gLrScale > 0 && step.lr * step.gLrScale < 10)) {
    throw new TrainConfigError(
      `Expected gLrScale to be a positive number (lr·gLrScale < 10), but got ${JSON.stringify(step.gLrScale)}.`,
    );
  }
  checkRate('beta1', step.beta1, 0);
  checkRate('beta2', step.beta2, 0);
  if (typeof step.reuseFakes !== 'boolean') {
    throw new TrainConfigError(
      `Expected reuseFakes to be true or false, but got ${JSON.stringify(step.reuseFakes)}.`,
    );
  }
  return step;
}

/** Check everything that does not need the data: numbers, step, EMA decay, the model's config. */
export function resolveSettings<N extends ModelName>(s: TrainSettings<N>): ResolvedSettings<N> {
  const maxSteps = s.maxSteps === undefined ? undefined : checkInt('maxSteps', s.maxSteps, 1);
  const budget = { numEpochs: checkInt('numEpochs', s.numEpochs ?? TRAIN_DEFAULTS.numEpochs, 1) };
  const batchSize = checkInt('batchSize', s.batchSize ?? TRAIN_DEFAULTS.batchSize, 1);
  const numFixed = checkInt('numFixed', s.numFixed ?? TRAIN_DEFAULTS.numFixed, 1);
  const checkpointEvery = checkInt('checkpointEvery', s.checkpointEvery ?? 0, 0);
  const seed = checkInt('seed', s.seed ?? TRAIN_DEFAULTS.seed, 0);
  if (s.ema) checkRate('ema', s.ema, 0, false);
  const step = resolveStep(s.step);
  const { config } = modelSpec(s.model, s.modelConfig);
  return {
    model: s.model,
    modelConfig: config,
    batchSize,
    seed,
    step,
    numFixed,
    ...(s.ema ? { ema: s.ema } : {}),
    budget: maxSteps === undefined ? budget : { ...budget, maxSteps },
    checkpointEvery,
  };
}

/** The record of a loaded dataset. */
export function datasetSpec(d: ImageDataset): DatasetSpec {
  return { name: d.name, shape: [...d.shape], count: d.count, standIn: d.standIn };
}

/** The models that make images of `shape`. */
function modelsFor(shape: readonly number[]): string {
  const [h, w, c] = shape;
  if (h === 28 && w === 28 && c === 1) return 'mlp-gan or dcgan-28';
  if (h === w && c === 3 && (h === 64 || h === 32)) return `dcgan-${h}`;
  return `mlp-gan with modelConfig.imageShape [${shape.join(', ')}]`;
}

/** A model that makes images of another shape than the data's: refused, naming the models that fit. */
export function checkImageShape(
  spec: ModelSpec,
  dataset: Pick<DatasetSpec, 'name'> & { shape: readonly number[] },
): void {
  const made = modelImageShape(spec.name, spec.config);
  if (made.join('×') === dataset.shape.join('×')) return;
  throw new TrainConfigError(
    `Model ${spec.name} makes ${made.join('×')} images but dataset ${dataset.name} has ` +
      `${dataset.shape.join('×')} images. Use ${modelsFor(dataset.shape)} with ${dataset.name}, ` +
      'or pick the dataset that fits the model.',
  );
}

/** Steps in one epoch: each takes k batches; a last incomplete batch is dropped. */
export function stepsPerEpoch(c: Pick<TrainConfig, 'dataset' | 'batchSize' | 'step'>): number {
  return Math.floor(Math.floor(c.dataset.count / c.batchSize) / c.step.k);
}

/** Resolve and check a run's settings against its data: the one place a TrainConfig is made. */
export function resolveTrainConfig<N extends ModelName>(
  s: TrainSettings<N>,
  dataset: DatasetSpec,
): TrainConfig<N> {
  const { budget, checkpointEvery, ...rest } = resolveSettings(s);
  checkImageShape({ name: rest.model, config: rest.modelConfig }, dataset);
  const config: TrainConfig<N> = { ...rest, dataset: { ...dataset }, budget, checkpointEvery };
  if (stepsPerEpoch(config) < 1) {
    throw new TrainConfigError(
      `Dataset ${dataset.name} has ${dataset.count} examples: not enough for one step of ${config.step.k} ` +
        `batch(es) of ${config.batchSize}. Use a smaller batchSize.`,
    );
  }
  return config;
}

/** A new run where one exists, or a resume where none does: refused before anything is written. */
export function checkRunDir(outDir: string | undefined, resume: boolean | undefined): void {
  if (!outDir) {
    if (resume) throw new TrainConfigError('resume needs outDir (the run directory to continue).');
    return;
  }
  const exists = hasCheckpoint(outDir);
  if (resume && !exists) {
    throw new TrainConfigError(
      `Cannot resume: no run in ${outDir} (latest.json is missing). Start it without resume (--resume).`,
    );
  }
  if (!resume && exists) {
    throw new TrainConfigError(
      `${outDir} already holds a run. Pass resume (--resume) to continue it, or choose another output directory.`,
    );
  }
}

/** The config a run was trained with: its latest checkpoint's record (untrusted, hence Partial). */
export function recordedConfig(runDir: string): Partial<TrainConfig> {
  return withRecordedDefaults(readManifest(runDir).config as Partial<TrainConfig>);
}

/**
 * A recorded config with the values that were implicit when it was written: runs recorded before
 * `step.reuseFakes` existed ran G forward twice per step, so they resume with it off; dcgan-28 runs
 * recorded before `latentModes` existed drew z from N(0, I), which is `latentModes: 0`.
 */
export function withRecordedDefaults(recorded: Partial<TrainConfig>): Partial<TrainConfig> {
  let out = recorded;
  const step = recorded.step as Partial<StepConfig> | undefined;
  if (step && typeof step === 'object' && !('reuseFakes' in step)) {
    out = { ...out, step: { ...step, reuseFakes: false } as StepConfig };
  }
  const mc = recorded.modelConfig as Record<string, unknown> | undefined;
  if (recorded.model === 'dcgan-28' && mc && typeof mc === 'object' && !('latentModes' in mc)) {
    const { latentModeScale } = DCGAN28_DEFAULTS;
    out = { ...out, modelConfig: { ...mc, latentModes: 0, latentModeScale } as TrainConfig['modelConfig'] };
  }
  return out;
}

/** Differences between two JSON-like values, as `path: <aName> a, <bName> b` lines. */
export function configDiff(
  a: unknown,
  b: unknown,
  at = '',
  names: [string, string] = ['checkpoint has', 'requested'],
): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      configDiff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        at ? `${at}.${k}` : k,
        names,
      ),
    );
  }
  return a === b ? [] : [`${at}: ${names[0]} ${JSON.stringify(a)}, ${names[1]} ${JSON.stringify(b)}`];
}

/** The one message of a refused resume: the differing fields, after a headline in user terms if any. */
function resumeMismatch(runDir: string, lines: string[], headline?: string): TrainConfigError {
  return new TrainConfigError(
    `${headline ? `${headline} Cannot resume it` : `Cannot resume ${runDir}`} with other settings than ` +
      `its checkpoint's:\n  ${lines.join('\n  ')}\n` +
      'Resume with the original settings (gan train --resume reads them from the checkpoint when left out), ' +
      'or start a new run in another output directory.',
  );
}

/**
 * A resume with another model, in the user's terms: "runs/x was trained with mlp-gan; --model dcgan-28
 * does not match". `requestedAs` names the request as the user wrote it (default `model <name>`).
 */
export function checkSameModel(
  runDir: string,
  recorded: unknown,
  requested: ModelName,
  requestedAs = `model ${requested}`,
): void {
  if (recorded === requested) return;
  const trainedWith = typeof recorded === 'string' ? recorded : 'an unrecorded model';
  throw resumeMismatch(
    runDir,
    configDiff({ model: recorded }, { model: requested }),
    `${runDir} was trained with ${trainedWith}; ${requestedAs} does not match.`,
  );
}

/** A resume must match the checkpoint's record in everything but the budget and checkpoint interval. */
export function checkResumable(runDir: string, record: Partial<TrainConfig>, config: TrainConfig): void {
  const recorded = withRecordedDefaults(record);
  checkSameModel(runDir, recorded.model, config.model);
  const compared = (c: Partial<TrainConfig>): Partial<RunConfig> => {
    const { budget: _budget, checkpointEvery: _every, ...rest } = c;
    return rest;
  };
  const diff = configDiff(compared(recorded), compared(config));
  if (diff.length > 0) throw resumeMismatch(runDir, diff);
}
