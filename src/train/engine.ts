/**
 * The training loop of the tutorials: k D steps then one G step per step (src/train/step.ts), seeded
 * noise and shuffles, per-step history (`dLoss`, `gLoss`, `dReal`, `dFake`, img/s), a fixed-noise render
 * per epoch, atomic checkpoints and exact resume (src/train/checkpoint.ts). Notebooks and `gan train`
 * both call `train({ model: 'dcgan-28', dataset, numEpochs: 5, callbacks: { onStep, onEpochEnd } })`.
 */
import { TrainConfigError } from '../errors';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types';
import {
  buildGenerator,
  buildModels,
  resolveConfig,
  samplingGenerator,
  modelImageShape,
  disposeModels,
  parseModelName,
  type GanModels,
  type ModelConfigs,
  type ModelName,
} from '../models';
import { Rng } from '../util/rng';
import {
  CheckpointError,
  hasCheckpoint,
  loadCheckpoint,
  writeCheckpoint,
  type LoadedCheckpoint,
  type NamedArray,
} from './checkpoint';
import { createTrainStep, sampleNoise, STEP_DEFAULTS, type StepConfig, type TrainStep } from './step';
import { WeightEma } from './ema';
import { acquireLock } from '../util/lock';
import { writeFileAtomic, writeJsonAtomic } from '../util/fsAtomic';

/** Radford et al. 2015, §4: "mini-batch stochastic gradient descent (SGD) with a mini-batch size of 128". */
export const TRAIN_DEFAULTS = { batchSize: 128, numEpochs: 1, seed: 0, numFixed: 64 } as const;

/** Bad options or a run/checkpoint that does not fit them: the CLI maps this to exit code 2. */
export { TrainConfigError };

/** A loss became NaN or ±Inf: training stopped, the last good checkpoint is left untouched. */
export class NonFiniteLossError extends Error {
  constructor(
    message: string,
    readonly record: StepRecord,
  ) {
    super(message);
    this.name = 'NonFiniteLossError';
  }
}

/** One line of history.jsonl. */
export interface StepRecord {
  /** Steps completed, counting this one (1-based). */
  step: number;
  /** 0-based epoch this step belongs to. */
  epoch: number;
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the real batch, a probability. */
  dReal: number;
  /** Mean D(G(z)) on the fakes, a probability. */
  dFake: number;
  /** Real images consumed per second by this step (batchSize · k / step time). */
  imgPerSec: number;
  /** Wall time of the step in milliseconds. */
  ms: number;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  numEpochs: number;
  stepsPerEpoch: number;
  /** Mean img/s over the steps of this session so far. */
  imgPerSec: number;
  /** Seconds left at the current pace. */
  etaSec: number;
}

export interface TrainCallbacks {
  onStart?(info: {
    models: GanModels;
    startStep: number;
    totalSteps: number;
    stepsPerEpoch: number;
    resumedFrom?: string;
  }): void | Promise<void>;
  onStep?(record: StepRecord, progress: TrainProgress): void | Promise<void>;
  /** After each epoch: G(fixedNoise) in inference mode, [numFixed, H, W, C] in [-1, 1]; disposed after the call. */
  onEpochEnd?(info: { epoch: number; step: number; samples: tf.Tensor4D }): void | Promise<void>;
  onCheckpoint?(info: { dir: string; step: number }): void | Promise<void>;
  /** Once training stops (done, maxSteps or aborted): G(fixedNoise) after the last step; disposed after the call. */
  onEnd?(info: { step: number; stopped: TrainResult['stopped']; samples: tf.Tensor4D }): void | Promise<void>;
}

export interface TrainOptions<N extends ModelName = ModelName> {
  model: N;
  /** Overrides of the model defaults (src/models/*.ts). */
  modelConfig?: Partial<ModelConfigs[N]>;
  dataset: ImageDataset;
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
  /** Run directory (`runs/<name>`); without it nothing is written. */
  outDir?: string;
  /** Also checkpoint every this many steps (0: only at epoch ends and at the end). */
  checkpointEvery?: number;
  /** Continue from `outDir`'s latest checkpoint. */
  resume?: boolean;
  /** Abort to stop after the current step (a checkpoint is written first). */
  signal?: AbortSignal;
  callbacks?: TrainCallbacks;
}

/** What must match for a checkpoint to be resumed with given options (stored in manifest + config.json). */
export interface RunConfig {
  model: ModelName;
  modelConfig: Record<string, unknown>;
  /** `standIn`: trained on the procedural CelebA stand-in, not real CelebA (samples must say so). */
  dataset: { name: string; shape: number[]; count: number; standIn: boolean };
  batchSize: number;
  seed: number;
  step: StepConfig;
  numFixed: number;
  /** EMA decay of G's weights; absent when the run keeps no average. */
  ema?: number;
}

export interface TrainResult {
  models: GanModels;
  history: StepRecord[];
  /** Steps completed in total (including those before a resume). */
  steps: number;
  /** Steps run by this call. */
  stepsThisRun: number;
  /** Real images per second over this call's wall time (data, steps, renders and checkpoints included). */
  imgPerSec: number;
  stopped: 'done' | 'maxSteps' | 'aborted';
  /** Latest checkpoint directory, when `outDir` was given. */
  checkpoint?: string;
  config: RunConfig;
}

function positiveInt(what: string, v: number | undefined, allowZero = false): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new TrainConfigError(
      `Expected ${what} to be a ${allowZero ? 'non-negative' : 'positive'} integer, but got ${v}.`,
    );
  }
}

/** Differences between two JSON-like values, as `path: a ≠ b` lines. */
export function configDiff(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const out: string[] = [];
    for (const k of keys) {
      out.push(
        ...configDiff(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
          at ? `${at}.${k}` : k,
        ),
      );
    }
    return out;
  }
  return a === b ? [] : [`${at}: checkpoint has ${JSON.stringify(a)}, requested ${JSON.stringify(b)}`];
}

/** Derive the independent streams of a run from its seed. */
function seedStreams(seed: number): { init: number; noise: number; fixed: number } {
  const r = new Rng(seed);
  return { init: r.uint32(), noise: r.uint32(), fixed: r.uint32() };
}

/** Named host copies, read asynchronously (WebGPU in Node has no synchronous read); the reads overlap. */
async function tensorArrays(prefix: string, tensors: tf.Tensor[], names: string[]): Promise<NamedArray[]> {
  const data = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  return tensors.map((t, i) => ({ name: `${prefix}/${names[i]}`, shape: [...t.shape], data: data[i] }));
}

/** Everything a checkpoint holds, as named host arrays (order fixed). */
async function snapshot(models: GanModels, step: TrainStep, fixedNoise: tf.Tensor2D): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (const [tag, model, opt] of [
    ['generator', models.generator, step.gOptimizer],
    ['discriminator', models.discriminator, step.dOptimizer],
  ] as const) {
    out.push(
      ...(await tensorArrays(
        tag,
        model.weights.map((w) => w.read()),
        model.weights.map((w) => w.originalName),
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
  out.push(
    ...(await tensorArrays('', [fixedNoise], ['fixedNoise'])).map((a) => ({ ...a, name: 'fixedNoise' })),
  );
  return out;
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

/**
 * Load G's (and optionally D's and the optimizers') state from a checkpoint, checking every name and shape.
 * When the checkpoint holds G's weight average, it is loaded too (into `models.ema`, built if needed).
 */
export function restoreModels(ckpt: LoadedCheckpoint, models: GanModels, step?: TrainStep): void {
  const expected = new Set<string>();
  if (ckpt.tensors.has(`generatorEma/${models.generator.weights[0].originalName}`)) {
    models.ema ??= buildGenerator(models.name, models.config);
    const names = models.generator.weights.map((w) => w.originalName);
    models.ema.weights.forEach((w, i) => {
      const name = `generatorEma/${names[i]}`;
      expected.add(name);
      const t = takeTensor(ckpt, name, w.shape);
      w.write(t);
      t.dispose();
    });
  }
  const pairs: Array<[tf.LayersModel, string]> = [[models.generator, 'generator']];
  if (step) pairs.push([models.discriminator, 'discriminator']);
  for (const [model, tag] of pairs) {
    for (const w of model.weights) {
      const name = `${tag}/${w.originalName}`;
      expected.add(name);
      const t = takeTensor(ckpt, name, w.shape);
      w.write(t);
      t.dispose();
    }
  }
  if (!step) return;
  for (const [tag, model, opt, t] of [
    ['generatorAdam', models.generator, step.gOptimizer, ckpt.manifest.gOptimizerStep],
    ['discriminatorAdam', models.discriminator, step.dOptimizer, ckpt.manifest.dOptimizerStep],
  ] as const) {
    const moments = model.trainableWeights.flatMap((w) =>
      ['m', 'v'].map((s) => {
        const name = `${tag}/${w.originalName}/${s}`;
        expected.add(name);
        return takeTensor(ckpt, name, w.shape);
      }),
    );
    opt.setState(t, moments);
    tf.dispose(moments);
  }
  expected.add('fixedNoise');
  const extra = [...ckpt.tensors.keys()].filter((n) => !expected.has(n));
  if (extra.length > 0) {
    throw new TrainConfigError(
      `${path.join(ckpt.dir, 'manifest.json')}: unexpected tensors ${extra.slice(0, 5).join(', ')}; the checkpoint does not fit this model.`,
    );
  }
}

/** Build a run's networks and load G (and its weight average, if kept) from the latest checkpoint. */
export function loadGenerator(runDir: string): {
  models: GanModels;
  step: number;
  trainedOn: string;
  config: Partial<RunConfig>;
} {
  const ckpt = loadCheckpoint(runDir);
  const c = ckpt.manifest.config as {
    model?: unknown;
    modelConfig?: unknown;
    dataset?: { name?: unknown; standIn?: unknown };
  };
  const file = path.join(ckpt.dir, 'manifest.json');
  if (typeof c.model !== 'string' || typeof c.modelConfig !== 'object' || c.modelConfig === null) {
    throw new CheckpointError(`${file}: "config" lacks model / modelConfig; the checkpoint is damaged.`);
  }
  let models: GanModels;
  try {
    const name = parseModelName(c.model);
    models = buildModels(name, { config: resolveConfig(name, c.modelConfig as never) });
  } catch (e) {
    throw new CheckpointError(`${file}: ${(e as Error).message}`);
  }
  try {
    restoreModels(ckpt, models);
  } catch (e) {
    disposeModels(models);
    throw e;
  }
  const name = typeof c.dataset?.name === 'string' ? c.dataset.name : 'an unrecorded dataset';
  const trainedOn = c.dataset?.standIn === true ? `the procedural ${name} stand-in (not real ${name})` : name;
  return { models, step: ckpt.manifest.step, trainedOn, config: ckpt.manifest.config as Partial<RunConfig> };
}

/** Rewrite history.jsonl keeping the first `lines` complete records (drops steps after the checkpoint). */
function truncateHistory(file: string, lines: number): StepRecord[] {
  const records: StepRecord[] = [];
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (records.length >= lines || line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as StepRecord);
      } catch {
        break; // a torn last line from a kill
      }
    }
  }
  if (records.length !== lines) {
    throw new TrainConfigError(
      `${file} has ${records.length} readable records but the checkpoint covers ${lines} steps; the run directory is damaged.`,
    );
  }
  writeFileAtomic(file, records.map((r) => JSON.stringify(r) + '\n').join(''));
  return records;
}

/** The file in a run directory that names the process writing it (src/util/lock.ts). */
export const RUN_LOCK = 'run.lock';

/**
 * Train a GAN; see TrainOptions. The returned models belong to the caller (dispose them).
 * A run directory has one writer: a second `train` on the same `outDir` while the first is alive is
 * refused (naming its pid); a lock left by a killed process is taken over. Readers (gan sample,
 * gan evaluate) never take the lock.
 */
export async function train<N extends ModelName>(options: TrainOptions<N>): Promise<TrainResult> {
  const outDir = options.outDir;
  if (!outDir || (options.resume && !fs.existsSync(outDir))) return trainUnlocked(options);
  const created = !fs.existsSync(outDir);
  fs.mkdirSync(outDir, { recursive: true });
  const lock = path.join(outDir, RUN_LOCK);
  let release: (() => void) | undefined;
  try {
    release = acquireLock(
      lock,
      (pid) =>
        new TrainConfigError(
          `${outDir} is being trained by another process right now (pid ${pid}${pid === process.pid ? ', this one' : ''}): ` +
            'two writers would interleave its history and checkpoints. Wait for it to finish or stop it, or choose ' +
            `another output directory. (gan sample and gan evaluate can read it meanwhile; if no such process runs, delete ${lock}.)`,
        ),
    );
    return await trainUnlocked(options);
  } finally {
    release?.();
    // Nothing written (bad options): leave no empty folder behind.
    if (created && fs.existsSync(outDir) && fs.readdirSync(outDir).length === 0) fs.rmdirSync(outDir);
  }
}

async function trainUnlocked<N extends ModelName>(options: TrainOptions<N>): Promise<TrainResult> {
  const { dataset, callbacks = {}, outDir } = options;
  const batchSize = options.batchSize ?? TRAIN_DEFAULTS.batchSize;
  const numEpochs = options.numEpochs ?? TRAIN_DEFAULTS.numEpochs;
  const seed = options.seed ?? TRAIN_DEFAULTS.seed;
  const numFixed = options.numFixed ?? TRAIN_DEFAULTS.numFixed;
  const checkpointEvery = options.checkpointEvery ?? 0;
  positiveInt('batchSize', batchSize);
  positiveInt('numEpochs', numEpochs);
  positiveInt('maxSteps', options.maxSteps);
  positiveInt('numFixed', numFixed);
  positiveInt('checkpointEvery', checkpointEvery, true);
  if (!Number.isInteger(seed) || seed < 0)
    throw new TrainConfigError(`Expected seed to be a non-negative integer, but got ${seed}.`);
  let modelConfig: ModelConfigs[N];
  try {
    modelConfig = resolveConfig(options.model, options.modelConfig);
  } catch (e) {
    throw new TrainConfigError((e as Error).message);
  }
  const imageShape = modelImageShape(options.model, modelConfig);
  if (!tf.util.arraysEqual(imageShape, [...dataset.shape])) {
    throw new TrainConfigError(
      `Model ${options.model} makes ${imageShape.join('×')} images but dataset ${dataset.name} has ` +
        `${dataset.shape.join('×')} images. Use ${dataset.shape[0] === 64 ? 'dcgan-64' : 'mlp-gan or dcgan-28'} ` +
        `with ${dataset.name}, or pick the dataset that fits the model.`,
    );
  }
  const stepConfig: StepConfig = { ...STEP_DEFAULTS, ...options.step };
  const stepsPerEpoch = Math.floor(Math.floor(dataset.count / batchSize) / stepConfig.k);
  if (stepsPerEpoch < 1) {
    throw new TrainConfigError(
      `Dataset ${dataset.name} has ${dataset.count} examples: not enough for one step of ${stepConfig.k} batch(es) of ${batchSize}. Use a smaller batchSize.`,
    );
  }
  const config: RunConfig = {
    model: options.model,
    modelConfig: modelConfig as unknown as Record<string, unknown>,
    dataset: {
      name: dataset.name,
      shape: [...dataset.shape],
      count: dataset.count,
      standIn: dataset.standIn,
    },
    batchSize,
    seed,
    step: stepConfig,
    numFixed,
    ...(options.ema ? { ema: options.ema } : {}),
  };
  if (outDir && !options.resume && hasCheckpoint(outDir)) {
    throw new TrainConfigError(
      `${outDir} already holds a run. Pass resume (--resume) to continue it, or choose another output directory.`,
    );
  }
  const ckpt = outDir && options.resume ? loadCheckpoint(outDir) : undefined;
  if (ckpt) {
    const diff = configDiff(ckpt.manifest.config, config);
    if (diff.length > 0) {
      throw new TrainConfigError(
        `Cannot resume ${outDir}: the checkpoint was made with other settings:\n  ${diff.join('\n  ')}\n` +
          `Resume with the original settings, or start a new run with another output directory.`,
      );
    }
  } else if (options.resume && !outDir) {
    throw new TrainConfigError('resume needs outDir (the run directory to continue).');
  }

  const streams = seedStreams(seed);
  const models = buildModels(options.model, { seed: streams.init, config: options.modelConfig });
  const noiseRng = new Rng(streams.noise);
  let trainStep: TrainStep | undefined;
  let fixedNoise: tf.Tensor2D | undefined;
  try {
    trainStep = createTrainStep(models, { ...stepConfig, noiseRng });
    let ema: WeightEma | undefined;
    if (options.ema) {
      models.ema = buildGenerator(options.model, modelConfig);
      ema = new WeightEma(models.generator, models.ema, options.ema);
    }
    let history: StepRecord[] = [];
    let startStep = 0;
    if (ckpt) {
      restoreModels(ckpt, models, trainStep);
      fixedNoise = takeTensor(ckpt, 'fixedNoise', [numFixed, models.latentDim]) as tf.Tensor2D;
      noiseRng.setState(ckpt.manifest.noiseRngState);
      startStep = ckpt.manifest.step;
      if (ckpt.manifest.epoch !== Math.floor(startStep / stepsPerEpoch)) {
        throw new TrainConfigError(
          `${ckpt.dir}: epoch ${ckpt.manifest.epoch} does not match step ${startStep}.`,
        );
      }
      history = truncateHistory(path.join(outDir as string, 'history.jsonl'), ckpt.manifest.historyLines);
    } else {
      fixedNoise = sampleNoise(new Rng(streams.fixed), numFixed, models.latentDim);
    }
    const totalSteps = Math.min(options.maxSteps ?? Infinity, numEpochs * stepsPerEpoch);
    const historyFile = outDir ? path.join(outDir, 'history.jsonl') : undefined;
    if (outDir && !ckpt) {
      fs.mkdirSync(outDir, { recursive: true });
      writeJsonAtomic(path.join(outDir, 'config.json'), config, 2);
      writeFileAtomic(historyFile as string, '');
    }
    let lastCheckpoint = ckpt?.dir;
    let lastCheckpointStep = startStep;
    const saveCheckpoint = async (stepsDone: number) => {
      if (!outDir || !trainStep || !fixedNoise || lastCheckpointStep === stepsDone) return;
      lastCheckpoint = writeCheckpoint(
        outDir,
        {
          step: stepsDone,
          epoch: Math.floor(stepsDone / stepsPerEpoch),
          noiseRngState: noiseRng.getState(),
          dOptimizerStep: trainStep.dOptimizer.step,
          gOptimizerStep: trainStep.gOptimizer.step,
          historyLines: history.length,
          config: config as unknown as Record<string, unknown>,
        },
        await snapshot(models, trainStep, fixedNoise),
      );
      lastCheckpointStep = stepsDone;
      await callbacks.onCheckpoint?.({ dir: lastCheckpoint, step: stepsDone });
    };
    await callbacks.onStart?.({ models, startStep, totalSteps, stepsPerEpoch, resumedFrom: ckpt?.dir });

    // G(fixedNoise) in inference mode (BatchNorm uses its moving statistics): [numFixed, H, W, C].
    const sampler = samplingGenerator(models);
    const render = () => tf.tidy(() => sampler.predict(fixedNoise as tf.Tensor2D) as tf.Tensor4D);
    const t0 = performance.now();
    let step = startStep;
    let stepMsSum = 0;
    let stopped: TrainResult['stopped'] = 'done';
    const perStepImages = batchSize * stepConfig.k;
    outer: for (
      let epoch = Math.floor(step / stepsPerEpoch);
      epoch < numEpochs && step < totalSteps;
      epoch++
    ) {
      const skip = (step - epoch * stepsPerEpoch) * stepConfig.k;
      let seen = 0;
      const pending: tf.Tensor4D[] = [];
      for (const batch of dataset.batches(batchSize, { seed, epoch, dropRemainder: true })) {
        if (seen++ < skip) {
          batch.dispose();
          continue;
        }
        pending.push(batch);
        if (pending.length < stepConfig.k) continue;
        const ts = performance.now();
        let r;
        try {
          r = await trainStep(pending);
        } finally {
          tf.dispose(pending.splice(0));
        }
        step += 1;
        ema?.update(step);
        const ms = performance.now() - ts;
        stepMsSum += ms;
        const record: StepRecord = { step, epoch, ...r, imgPerSec: (perStepImages * 1000) / ms, ms };
        if (![r.dLoss, r.gLoss, r.dReal, r.dFake].every(Number.isFinite)) {
          throw new NonFiniteLossError(
            `Training diverged at step ${step} (epoch ${epoch}): dLoss = ${r.dLoss}, gLoss = ${r.gLoss}. ` +
              (lastCheckpoint
                ? `The last good checkpoint (step ${lastCheckpointStep}) in ${outDir} is kept; resume from it with a lower lr or another seed.`
                : outDir
                  ? `No checkpoint had been written yet in ${outDir}. Try a lower lr or another seed.`
                  : 'Nothing was saved (no output directory). Try a lower lr or another seed.'),
            record,
          );
        }
        history.push(record);
        if (historyFile) fs.appendFileSync(historyFile, JSON.stringify(record) + '\n');
        const done = step - startStep;
        const imgPerSec = (done * perStepImages * 1000) / stepMsSum;
        await callbacks.onStep?.(record, {
          step,
          totalSteps,
          epoch,
          numEpochs,
          stepsPerEpoch,
          imgPerSec,
          etaSec: ((totalSteps - step) * stepMsSum) / done / 1000,
        });
        if (checkpointEvery > 0 && step % checkpointEvery === 0) await saveCheckpoint(step);
        // Let timers and signal handlers run (Ctrl-C, time budgets): on cpu/wasm every await above
        // resolves as a microtask, so without this the loop would never give the event loop a turn.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) {
          stopped = 'aborted';
          break outer;
        }
        if (step >= totalSteps) {
          // Mid-epoch: stop now. At an epoch's end: fall through to its render and checkpoint.
          if (step % stepsPerEpoch !== 0) break outer;
          break;
        }
      }
      tf.dispose(pending);
      if (callbacks.onEpochEnd) {
        const samples = render();
        try {
          await callbacks.onEpochEnd({ epoch, step, samples });
        } finally {
          samples.dispose();
        }
      }
      await saveCheckpoint(step);
    }
    await saveCheckpoint(step);
    if (stopped !== 'aborted' && totalSteps < numEpochs * stepsPerEpoch) stopped = 'maxSteps';
    const wallSec = (performance.now() - t0) / 1000;
    if (callbacks.onEnd) {
      const samples = render();
      try {
        await callbacks.onEnd({ step, stopped, samples });
      } finally {
        samples.dispose();
      }
    }
    const stepsThisRun = step - startStep;
    return {
      models,
      history,
      steps: step,
      stepsThisRun,
      imgPerSec: stepsThisRun > 0 ? (stepsThisRun * perStepImages) / wallSec : 0,
      stopped,
      checkpoint: lastCheckpoint,
      config,
    };
  } catch (e) {
    disposeModels(models);
    throw e;
  } finally {
    trainStep?.dispose();
    fixedNoise?.dispose();
  }
}
