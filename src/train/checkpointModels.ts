/**
 * Which tensors of a training run go where in a checkpoint (src/train/checkpoint.ts holds the file
 * format): `generator/<weight>`, `discriminator/<weight>`, `generatorAdam/<weight>/m|v` and
 * `discriminatorAdam/…` (Adam's moments), `generatorEma/<weight>` (the weight average, when kept) and
 * `fixedNoise`; beside them the manifest's counters (Adam's t, the noise RNG state) and the TrainConfig.
 * Restoring checks every name and shape, so a checkpoint of another model is refused, not half-loaded.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { TrainConfigError } from '../errors';
import {
  buildFromSpec,
  buildGenerator,
  disposeModels,
  modelSpec,
  MODEL_NAMES,
  type GanModels,
  type ModelName,
  type ModelSpec,
} from '../models';
import type { Rng } from '../util/rng';
import {
  CheckpointError,
  loadCheckpoint,
  writeCheckpoint,
  type LoadedCheckpoint,
  type NamedArray,
} from './checkpoint';
import { withRecordedDefaults, type TrainConfig } from './config';
import type { TrainStep } from './step';

/** The live state a training checkpoint captures. */
export interface TrainingState {
  models: GanModels;
  trainStep: TrainStep;
  fixedNoise: tf.Tensor2D;
  noiseRng: Rng;
}

/** Named host copies, read asynchronously (WebGPU in Node has no synchronous read); the reads overlap. */
async function tensorArrays(prefix: string, tensors: tf.Tensor[], names: string[]): Promise<NamedArray[]> {
  const data = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  return tensors.map((t, i) => ({ name: `${prefix}/${names[i]}`, shape: [...t.shape], data: data[i] }));
}

/** Everything a checkpoint holds, as named host arrays (order fixed). */
async function snapshot(s: TrainingState): Promise<NamedArray[]> {
  const { models, trainStep } = s;
  const out: NamedArray[] = [];
  for (const [tag, model, opt] of [
    ['generator', models.generator, trainStep.gOptimizer],
    ['discriminator', models.discriminator, trainStep.dOptimizer],
  ] as const) {
    const weightNames = model.weights.map((w) => w.originalName);
    out.push(
      ...(await tensorArrays(
        tag,
        model.weights.map((w) => w.read()),
        weightNames,
      )),
    );
    const names = model.trainableWeights.flatMap((w) => [`${w.originalName}/m`, `${w.originalName}/v`]);
    out.push(...(await tensorArrays(`${tag}Adam`, opt.stateTensors(), names)));
  }
  if (models.ema) {
    const names = models.generator.weights.map((w) => w.originalName);
    out.push(
      ...(await tensorArrays(
        'generatorEma',
        models.ema.weights.map((w) => w.read()),
        names,
      )),
    );
  }
  const [noise] = await tensorArrays('', [s.fixedNoise], ['fixedNoise']);
  out.push({ ...noise, name: 'fixedNoise' });
  return out;
}

/** Write a checkpoint of the run after `at.step` steps; returns its directory. */
export async function saveTrainingCheckpoint(
  outDir: string,
  s: TrainingState,
  at: { step: number; epoch: number; historyLines: number },
  config: TrainConfig,
): Promise<string> {
  const state = {
    step: at.step,
    epoch: at.epoch,
    noiseRngState: s.noiseRng.getState(),
    dOptimizerStep: s.trainStep.dOptimizer.step,
    gOptimizerStep: s.trainStep.gOptimizer.step,
    historyLines: at.historyLines,
    config: config as unknown as Record<string, unknown>,
  };
  return writeCheckpoint(outDir, state, await snapshot(s));
}

function takeTensor(ckpt: LoadedCheckpoint, name: string, shape: readonly (number | null)[]): tf.Tensor {
  const a = ckpt.tensors.get(name);
  const file = path.join(ckpt.dir, 'manifest.json');
  if (!a)
    throw new TrainConfigError(
      `${file}: tensor "${name}" is missing; the checkpoint does not fit this model.`,
    );
  if (!tf.util.arraysEqual(a.shape, shape as number[])) {
    throw new TrainConfigError(
      `${file}: tensor "${name}" has shape [${a.shape}] but the model needs [${shape}]; the checkpoint does not fit this model.`,
    );
  }
  return tf.tensor(a.data, a.shape, 'float32');
}

/** Write the checkpoint's tensor `name` into each weight, remembering the names used. */
function loadWeights(
  ckpt: LoadedCheckpoint,
  weights: tf.LayerVariable[],
  names: string[],
  used: Set<string>,
): void {
  weights.forEach((w, i) => {
    used.add(names[i]);
    const t = takeTensor(ckpt, names[i], w.shape);
    w.write(t);
    t.dispose();
  });
}

/**
 * Load G's (and optionally D's and the optimizers') state from a checkpoint, checking every name and shape.
 * When the checkpoint holds G's weight average, it is loaded too (into `models.ema`, built if needed).
 */
export function restoreModels(ckpt: LoadedCheckpoint, models: GanModels, step?: TrainStep): void {
  const used = new Set<string>();
  const gNames = models.generator.weights.map((w) => w.originalName);
  if (ckpt.tensors.has(`generatorEma/${gNames[0]}`)) {
    models.ema ??= buildGenerator(models.name, models.config);
    loadWeights(
      ckpt,
      models.ema.weights,
      gNames.map((n) => `generatorEma/${n}`),
      used,
    );
  }
  const pairs: Array<[tf.LayersModel, string]> = [[models.generator, 'generator']];
  if (step) pairs.push([models.discriminator, 'discriminator']);
  for (const [model, tag] of pairs) {
    loadWeights(
      ckpt,
      model.weights,
      model.weights.map((w) => `${tag}/${w.originalName}`),
      used,
    );
  }
  if (!step) return;
  for (const [tag, model, opt, t] of [
    ['generatorAdam', models.generator, step.gOptimizer, ckpt.manifest.gOptimizerStep],
    ['discriminatorAdam', models.discriminator, step.dOptimizer, ckpt.manifest.dOptimizerStep],
  ] as const) {
    const moments = model.trainableWeights.flatMap((w) =>
      ['m', 'v'].map((s) => {
        const name = `${tag}/${w.originalName}/${s}`;
        used.add(name);
        return takeTensor(ckpt, name, w.shape);
      }),
    );
    opt.setState(t, moments);
    tf.dispose(moments);
  }
  used.add('fixedNoise');
  const extra = [...ckpt.tensors.keys()].filter((n) => !used.has(n));
  if (extra.length > 0) {
    throw new TrainConfigError(
      `${path.join(ckpt.dir, 'manifest.json')}: unexpected tensors ${extra.slice(0, 5).join(', ')}; the checkpoint does not fit this model.`,
    );
  }
}

/** Continue a run: G, D, their average, both optimizers and the noise stream; returns the fixed noise. */
export function restoreTrainingState(
  ckpt: LoadedCheckpoint,
  s: Omit<TrainingState, 'fixedNoise'>,
  numFixed: number,
): tf.Tensor2D {
  restoreModels(ckpt, s.models, s.trainStep);
  const fixedNoise = takeTensor(ckpt, 'fixedNoise', [numFixed, s.models.latentDim]) as tf.Tensor2D;
  s.noiseRng.setState(ckpt.manifest.noiseRngState);
  return fixedNoise;
}

/** The model a checkpoint records, resolved; a CheckpointError naming the manifest when it cannot be. */
function recordedModel(ckpt: LoadedCheckpoint): ModelSpec {
  // With the values that were implicit when it was written (a dcgan-28 record without latentModes: N(0, I)).
  const raw = ckpt.manifest.config as Partial<TrainConfig> | undefined;
  const c = (raw && typeof raw === 'object' ? withRecordedDefaults(raw) : {}) as {
    model?: unknown;
    modelConfig?: unknown;
  };
  const file = path.join(ckpt.dir, 'manifest.json');
  if (typeof c.model !== 'string' || typeof c.modelConfig !== 'object' || c.modelConfig === null) {
    throw new CheckpointError(`${file}: "config" lacks model / modelConfig; the checkpoint is damaged.`);
  }
  if (!(MODEL_NAMES as readonly string[]).includes(c.model)) {
    throw new CheckpointError(
      `${file}: unknown model "${c.model}"; the checkpoint is not from this program.`,
    );
  }
  try {
    return modelSpec(c.model as ModelName, c.modelConfig as never);
  } catch (e) {
    if (!(e instanceof TrainConfigError)) throw e;
    throw new CheckpointError(`${file}: ${e.message}`);
  }
}

/** Build a run's networks and load G (and its weight average, if kept) from the latest checkpoint. */
export function loadGenerator(runDir: string): {
  models: GanModels;
  step: number;
  trainedOn: string;
  config: Partial<TrainConfig>;
} {
  const ckpt = loadCheckpoint(runDir);
  const models = buildFromSpec(recordedModel(ckpt));
  try {
    restoreModels(ckpt, models);
  } catch (e) {
    disposeModels(models);
    throw e;
  }
  const c = ckpt.manifest.config as { dataset?: { name?: unknown; standIn?: unknown } };
  const name = typeof c.dataset?.name === 'string' ? c.dataset.name : 'an unrecorded dataset';
  const trainedOn = c.dataset?.standIn === true ? `the procedural ${name} stand-in (not real ${name})` : name;
  return {
    models,
    step: ckpt.manifest.step,
    trainedOn,
    config: ckpt.manifest.config as Partial<TrainConfig>,
  };
}
