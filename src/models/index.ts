/**
 * One entry point for the three GANs of the tutorials: `buildModels('dcgan-64', { seed: 1 })` builds
 * G and D with seeded Radford init. Configs merge over the documented defaults of each model file;
 * tiny configs (e.g. `{ ngf: 4, ndf: 4 }`) keep tests fast.
 */
import * as tf from '@tensorflow/tfjs';
import { TrainConfigError } from '../errors';
import { Rng } from '../util/rng';
import { radfordInit } from './init';
import { latentPrior, type LatentPrior } from './prior';
import { MLP_GAN_DEFAULTS, buildMlpDiscriminator, buildMlpGenerator, type MlpGanConfig } from './mlpGan';
import {
  DCGAN28_DEFAULTS,
  DCGAN28_IMAGE_SHAPE,
  buildDcgan28Discriminator,
  buildDcgan28Generator,
  type Dcgan28Config,
} from './dcgan28';
import {
  DCGAN64_DEFAULTS,
  buildDcgan64Discriminator,
  buildDcgan64Generator,
  type Dcgan64Config,
} from './dcgan64';

export { MLP_GAN_DEFAULTS, DCGAN28_DEFAULTS, DCGAN64_DEFAULTS };
export { latentPrior, type Latent, type LatentPrior } from './prior';
export type { MlpGanConfig, Dcgan28Config, Dcgan64Config };

export const MODEL_NAMES = ['mlp-gan', 'dcgan-28', 'dcgan-64', 'dcgan-32'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ModelConfigs {
  'mlp-gan': MlpGanConfig;
  'dcgan-28': Dcgan28Config;
  'dcgan-64': Dcgan64Config;
  /** The faces DCGAN at 32×32 (dcgan64.ts with imageSize 32): a quarter of the pixels, for CPUs. */
  'dcgan-32': Dcgan64Config;
}
export type AnyModelConfig = ModelConfigs[ModelName];

export interface BuildOptions<N extends ModelName = ModelName> {
  /** Seed of the Radford init (default 0); G and D get different streams derived from it. */
  seed?: number;
  /** Overrides of the model's defaults (e.g. a tiny `{ ngf: 4, ndf: 4, latentDim: 8 }` for tests). */
  config?: Partial<ModelConfigs[N]>;
}

/** A model with its full, validated config (defaults applied): what `modelSpec` returns and `buildFromSpec` builds. */
export interface ModelSpec<N extends ModelName = ModelName> {
  name: N;
  /** The full config after defaults were applied (saved with checkpoints). */
  config: ModelConfigs[N];
}

export interface GanModels<N extends ModelName = ModelName> extends ModelSpec<N> {
  /** z [b, latentDim] → image [b, H, W, C] in [-1, 1]. */
  generator: tf.LayersModel;
  /** image [b, H, W, C] → logit [b, 1]. */
  discriminator: tf.LayersModel;
  latentDim: number;
  /** The distribution z is drawn from (size latentDim): what every sampler of this model must use. */
  prior: LatentPrior;
  imageShape: [number, number, number];
  /**
   * The moving average of G's weights (src/train/ema.ts) when the run keeps one: the generator to
   * sample from. Absent when the run does not average.
   */
  ema?: tf.LayersModel;
}

/** The generator to draw samples from: the weight average when there is one, else G itself. */
export function samplingGenerator(models: Pick<GanModels, 'generator' | 'ema'>): tf.LayersModel {
  return models.ema ?? models.generator;
}

/**
 * A second generator with the architecture of `name` and its full `config` (a `GanModels`' own, or a
 * `modelSpec`'s); weights: a fresh init, to be overwritten.
 */
export function buildGenerator<N extends ModelName>(name: N, config: ModelConfigs[N]): tf.LayersModel {
  if (name === 'mlp-gan') return buildMlpGenerator(config as MlpGanConfig);
  if (name === 'dcgan-28') return buildDcgan28Generator(config as Dcgan28Config);
  return buildDcgan64Generator(config as Dcgan64Config);
}

export function parseModelName(raw: string): ModelName {
  if ((MODEL_NAMES as readonly string[]).includes(raw)) return raw as ModelName;
  throw new TrainConfigError(`Unknown model "${raw}". Expected one of: ${MODEL_NAMES.join(', ')}.`);
}

/** The defaults of a model, as a fresh mutable copy. */
export function defaultConfig<N extends ModelName>(name: N): ModelConfigs[N] {
  const d: Record<ModelName, AnyModelConfig> = {
    'mlp-gan': MLP_GAN_DEFAULTS,
    'dcgan-28': DCGAN28_DEFAULTS,
    'dcgan-64': DCGAN64_DEFAULTS,
    'dcgan-32': { ...DCGAN64_DEFAULTS, imageSize: 32 },
  };
  return JSON.parse(JSON.stringify(d[parseModelName(name)])) as ModelConfigs[N];
}

function checkPositiveInt(what: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new TrainConfigError(`Expected ${what} to be a positive integer, but got ${JSON.stringify(v)}.`);
  }
}

/**
 * Merge overrides over the defaults of `name` and validate every field; a TrainConfigError names an
 * unknown key or a bad value. Called once, by `modelSpec` (the typed entry point): everything after it
 * passes the resolved spec around.
 */
export function resolveConfig(name: ModelName, overrides: Partial<AnyModelConfig> = {}): AnyModelConfig {
  const base = defaultConfig(name) as unknown as Record<string, unknown>;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new TrainConfigError(
      `Expected the ${name} config to be an object, but got ${JSON.stringify(overrides)}.`,
    );
  }
  for (const key of Object.keys(overrides)) {
    if (!(key in base)) {
      throw new TrainConfigError(
        `Unknown ${name} config key "${key}". Expected some of: ${Object.keys(base).join(', ')}.`,
      );
    }
  }
  const c = { ...base, ...(overrides as Record<string, unknown>) };
  for (const [key, v] of Object.entries(c))
    checkField(`${name} ${key}`, key, v, typeof base[key] === 'boolean');
  if ('latentModes' in c && (c.latentModes as number) > (c.latentDim as number)) {
    throw new TrainConfigError(
      `Expected ${name} latentModes ≤ latentDim (${String(c.latentDim)}: one axis per mode), but got ${String(c.latentModes)}.`,
    );
  }
  return c as unknown as AnyModelConfig;
}

/** One field of a model config: a flag, a rate in [0, 1), the latent prior (modes, scale), a list of layer widths / a shape, or a size. */
function checkField(what: string, key: string, v: unknown, isFlag: boolean): void {
  if (isFlag) {
    if (typeof v !== 'boolean') {
      throw new TrainConfigError(`Expected ${what} to be true or false, but got ${JSON.stringify(v)}.`);
    }
  } else if (key === 'leakySlope' || key === 'bnMomentum' || key === 'bnEpsilon') {
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
      throw new TrainConfigError(`Expected ${what} to be a number in [0, 1), but got ${JSON.stringify(v)}.`);
    }
  } else if (key === 'latentModes') {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new TrainConfigError(
        `Expected ${what} to be a non-negative integer (0: z ~ N(0, I)), but got ${JSON.stringify(v)}.`,
      );
    }
  } else if (key === 'latentModeScale') {
    if (typeof v !== 'number' || !(v > 0 && v < 100)) {
      throw new TrainConfigError(
        `Expected ${what} to be a number in (0, 100), but got ${JSON.stringify(v)}.`,
      );
    }
  } else if (Array.isArray(v)) {
    if (key === 'imageShape' && v.length !== 3) {
      throw new TrainConfigError(`Expected ${what} to be [H, W, C], but got ${JSON.stringify(v)}.`);
    }
    if (v.length === 0 && key !== 'imageShape') {
      throw new TrainConfigError(`Expected ${what} to list at least one layer width, but got [].`);
    }
    v.forEach((x, i) => checkPositiveInt(`${what}[${i}]`, x));
  } else {
    checkPositiveInt(what, v);
  }
}

/** Shape [H, W, C] of the images a model makes and judges. */
export function modelImageShape<N extends ModelName>(
  name: N,
  config: ModelConfigs[N],
): [number, number, number] {
  if (name === 'mlp-gan') return [...(config as MlpGanConfig).imageShape];
  if (name === 'dcgan-28') return [...DCGAN28_IMAGE_SHAPE];
  const c = config as Dcgan64Config;
  return [c.imageSize, c.imageSize, c.channels];
}

/** `name` with `overrides` merged over its defaults and validated: the full config, resolved once. */
export function modelSpec<N extends ModelName>(name: N, overrides?: Partial<ModelConfigs[N]>): ModelSpec<N> {
  return { name, config: resolveConfig(name, overrides) as ModelConfigs[N] };
}

/** Build G and D of `name` with seeded Radford init (N(0, 0.02) kernels, γ ~ N(1, 0.02), β = 0). */
export function buildModels<N extends ModelName>(name: N, options: BuildOptions<N> = {}): GanModels<N> {
  return buildFromSpec(modelSpec(name, options.config), options.seed);
}

/** `buildModels` for a config that is already resolved (`modelSpec`, a checkpoint's, a `GanModels`'). */
export function buildFromSpec<N extends ModelName>(spec: ModelSpec<N>, seed = 0): GanModels<N> {
  const { name, config } = spec;
  if (!Number.isInteger(seed)) throw new TrainConfigError(`Expected seed to be an integer, but got ${seed}.`);
  let generator: tf.LayersModel;
  let discriminator: tf.LayersModel;
  if (name === 'mlp-gan') {
    generator = buildMlpGenerator(config as MlpGanConfig);
    discriminator = buildMlpDiscriminator(config as MlpGanConfig);
  } else if (name === 'dcgan-28') {
    generator = buildDcgan28Generator(config as Dcgan28Config);
    discriminator = buildDcgan28Discriminator(config as Dcgan28Config);
  } else {
    generator = buildDcgan64Generator(config as Dcgan64Config);
    discriminator = buildDcgan64Discriminator(config as Dcgan64Config);
  }
  const rng = new Rng(seed);
  radfordInit(generator, rng.uint32());
  radfordInit(discriminator, rng.uint32());
  return {
    name,
    config,
    generator,
    discriminator,
    latentDim: config.latentDim,
    prior: latentPrior(config),
    imageShape: modelImageShape(name, config),
  };
}

/** Number of trainable parameters (what PyTorch's `sum(p.numel() for p in m.parameters())` counts). */
export function countTrainableParams(model: tf.LayersModel): number {
  let n = 0;
  for (const w of model.trainableWeights) n += (w.shape as number[]).reduce((a, b) => a * b, 1);
  return n;
}

/** Dispose both networks' weights (and the generator's average, if any). */
export function disposeModels(models: Pick<GanModels, 'generator' | 'discriminator' | 'ema'>): void {
  models.generator.dispose();
  models.discriminator.dispose();
  models.ema?.dispose();
}
