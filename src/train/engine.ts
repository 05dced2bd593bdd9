/**
 * The training loop of the tutorials: k D steps then one G step per step (src/train/step.ts), seeded
 * noise and shuffles, per-step history (`dLoss`, `gLoss`, `dReal`, `dFake`, img/s), a fixed-noise render
 * per epoch, atomic checkpoints and exact resume (src/train/checkpoint.ts). Notebooks and `gan train`
 * both call `train({ model: 'dcgan-28', dataset, numEpochs: 5, callbacks: { onStep, onEpochEnd } })`.
 * The options are resolved once into a TrainConfig (src/train/config.ts), which checkpoints record.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { TrainConfigError } from '../errors';
import type { ImageDataset } from '../data/types';
import {
  buildFromSpec,
  buildGenerator,
  disposeModels,
  samplingGenerator,
  type GanModels,
  type ModelName,
} from '../models';
import { writeFileAtomic, writeJsonAtomic } from '../util/fsAtomic';
import { acquireLock } from '../util/lock';
import { Rng } from '../util/rng';
import { loadCheckpoint, type LoadedCheckpoint } from './checkpoint';
import { restoreTrainingState, saveTrainingCheckpoint } from './checkpointModels';
import {
  checkResumable,
  checkRunDir,
  datasetSpec,
  resolveTrainConfig,
  stepsPerEpoch,
  type TrainConfig,
  type TrainSettings,
} from './config';
import { WeightEma } from './ema';
import { appendHistory, HISTORY_FILE, truncateHistory, type StepRecord } from './history';
import { createTrainStep, sampleNoise, type TrainStep } from './step';

export { TrainConfigError };
export { configDiff, TRAIN_DEFAULTS, type RunConfig, type TrainConfig, type TrainSettings } from './config';
export { loadGenerator, restoreModels } from './checkpointModels';
export type { StepRecord } from './history';

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

/** The run's settings (TrainSettings), its data and where it lives. */
export interface TrainOptions<N extends ModelName = ModelName> extends TrainSettings<N> {
  dataset: ImageDataset;
  /** Run directory (`runs/<name>`); without it nothing is written. */
  outDir?: string;
  /** Continue from `outDir`'s latest checkpoint (whose settings must match these). */
  resume?: boolean;
  /** Abort to stop after the current step (a checkpoint is written first). */
  signal?: AbortSignal;
  callbacks?: TrainCallbacks;
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
  config: TrainConfig;
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

/** One call of `train`: its config, the live networks and step, and where the run stands. */
interface Session {
  config: TrainConfig;
  options: TrainOptions;
  callbacks: TrainCallbacks;
  models: GanModels;
  trainStep: TrainStep;
  ema?: WeightEma;
  noiseRng: Rng;
  fixedNoise: tf.Tensor2D;
  history: StepRecord[];
  historyFile?: string;
  startStep: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Latest checkpoint directory and the step it holds. */
  checkpoint?: string;
  checkpointStep: number;
  /** Sum of this call's step times (ms), for img/s and the ETA. */
  stepMsSum: number;
}

async function trainUnlocked<N extends ModelName>(options: TrainOptions<N>): Promise<TrainResult> {
  const config: TrainConfig = resolveTrainConfig(options, datasetSpec(options.dataset));
  checkRunDir(options.outDir, options.resume);
  const ckpt = options.resume ? loadCheckpoint(options.outDir as string) : undefined;
  if (ckpt) checkResumable(options.outDir as string, ckpt.manifest.config, config);
  const s = openSession(config, options, ckpt);
  try {
    return await runSession(s);
  } catch (e) {
    disposeModels(s.models);
    throw e;
  } finally {
    s.trainStep.dispose();
    s.fixedNoise.dispose();
  }
}

/** Derive the independent streams of a run from its seed. */
function seedStreams(seed: number): { init: number; noise: number; fixed: number } {
  const r = new Rng(seed);
  return { init: r.uint32(), noise: r.uint32(), fixed: r.uint32() };
}

/** Build the networks and the step, fresh or from `ckpt`, and write the run's files for a new session. */
function openSession(config: TrainConfig, options: TrainOptions, ckpt?: LoadedCheckpoint): Session {
  const { outDir } = options;
  const streams = seedStreams(config.seed);
  const models = buildFromSpec({ name: config.model, config: config.modelConfig }, streams.init);
  const noiseRng = new Rng(streams.noise);
  let trainStep: TrainStep | undefined;
  let fixedNoise: tf.Tensor2D | undefined;
  try {
    trainStep = createTrainStep(models, { ...config.step, noiseRng });
    let ema: WeightEma | undefined;
    if (config.ema) {
      models.ema = buildGenerator(config.model, config.modelConfig);
      ema = new WeightEma(models.generator, models.ema, config.ema);
    }
    const perEpoch = stepsPerEpoch(config);
    let history: StepRecord[] = [];
    const historyFile = outDir ? path.join(outDir, HISTORY_FILE) : undefined;
    if (ckpt) {
      fixedNoise = restoreTrainingState(ckpt, { models, trainStep, noiseRng }, config.numFixed);
      if (ckpt.manifest.epoch !== Math.floor(ckpt.manifest.step / perEpoch)) {
        throw new TrainConfigError(
          `${ckpt.dir}: epoch ${ckpt.manifest.epoch} does not match step ${ckpt.manifest.step}.`,
        );
      }
      history = truncateHistory(historyFile as string, ckpt.manifest.historyLines);
    } else {
      fixedNoise = sampleNoise(new Rng(streams.fixed), config.numFixed, models.prior);
    }
    if (outDir) {
      fs.mkdirSync(outDir, { recursive: true });
      // A copy of the record for people (resume reads the checkpoint's).
      writeJsonAtomic(path.join(outDir, 'config.json'), config, 2);
      if (!ckpt) writeFileAtomic(historyFile as string, '');
    }
    const startStep = ckpt?.manifest.step ?? 0;
    const { numEpochs, maxSteps } = config.budget;
    return {
      config,
      options,
      callbacks: options.callbacks ?? {},
      models,
      trainStep,
      ema,
      noiseRng,
      fixedNoise,
      history,
      historyFile,
      startStep,
      stepsPerEpoch: perEpoch,
      totalSteps: Math.min(maxSteps ?? Infinity, numEpochs * perEpoch),
      checkpoint: ckpt?.dir,
      checkpointStep: startStep,
      stepMsSum: 0,
    };
  } catch (e) {
    trainStep?.dispose();
    fixedNoise?.dispose();
    disposeModels(models);
    throw e;
  }
}

/** Checkpoint after `step` steps unless that one exists (no output directory: nothing). */
async function saveCheckpoint(s: Session, step: number): Promise<void> {
  const outDir = s.options.outDir;
  if (!outDir || s.checkpointStep === step) return;
  const at = { step, epoch: Math.floor(step / s.stepsPerEpoch), historyLines: s.history.length };
  s.checkpoint = await saveTrainingCheckpoint(outDir, s, at, s.config);
  s.checkpointStep = step;
  await s.callbacks.onCheckpoint?.({ dir: s.checkpoint, step });
}

/** G(fixedNoise) in inference mode (BatchNorm uses its moving statistics) to `show`, then disposed. */
async function withRender(s: Session, show: (samples: tf.Tensor4D) => void | Promise<void>): Promise<void> {
  const sampler = samplingGenerator(s.models);
  const samples = tf.tidy(() => sampler.predict(s.fixedNoise) as tf.Tensor4D);
  try {
    await show(samples);
  } finally {
    samples.dispose();
  }
}

/** Train from the session's start to its budget (or an abort), then checkpoint and render the end. */
async function runSession(s: Session): Promise<TrainResult> {
  const { callbacks, config } = s;
  await callbacks.onStart?.({
    models: s.models,
    startStep: s.startStep,
    totalSteps: s.totalSteps,
    stepsPerEpoch: s.stepsPerEpoch,
    resumedFrom: s.checkpoint,
  });
  const t0 = performance.now();
  let step = s.startStep;
  let stopped: TrainResult['stopped'] = 'done';
  for (
    let epoch = Math.floor(step / s.stepsPerEpoch);
    epoch < config.budget.numEpochs && step < s.totalSteps;
    epoch++
  ) {
    const r = await trainEpoch(s, epoch, step);
    step = r.step;
    if (r.halt === 'aborted') stopped = 'aborted';
    if (r.halt) break;
    const onEpochEnd = callbacks.onEpochEnd;
    if (onEpochEnd) await withRender(s, (samples) => onEpochEnd({ epoch, step, samples }));
    await saveCheckpoint(s, step);
  }
  await saveCheckpoint(s, step);
  if (stopped !== 'aborted' && s.totalSteps < config.budget.numEpochs * s.stepsPerEpoch) stopped = 'maxSteps';
  const wallSec = (performance.now() - t0) / 1000;
  const onEnd = callbacks.onEnd;
  if (onEnd) await withRender(s, (samples) => onEnd({ step, stopped, samples }));
  const stepsThisRun = step - s.startStep;
  const perStepImages = config.batchSize * config.step.k;
  return {
    models: s.models,
    history: s.history,
    steps: step,
    stepsThisRun,
    imgPerSec: stepsThisRun > 0 ? (stepsThisRun * perStepImages) / wallSec : 0,
    stopped,
    checkpoint: s.checkpoint,
    config,
  };
}

/**
 * The steps of `epoch` from `step` on (batches before it are skipped: a resume lands mid-epoch).
 * `halt`: stopped inside the epoch, by an abort or by the budget; then no epoch-end render or checkpoint.
 */
async function trainEpoch(
  s: Session,
  epoch: number,
  step: number,
): Promise<{ step: number; halt?: 'aborted' | 'budget' }> {
  const { batchSize, seed, step: stepConfig } = s.config;
  let skip = (step - epoch * s.stepsPerEpoch) * stepConfig.k;
  const pending: tf.Tensor4D[] = [];
  try {
    for (const batch of s.options.dataset.batches(batchSize, { seed, epoch, dropRemainder: true })) {
      if (skip > 0) {
        skip -= 1;
        batch.dispose();
        continue;
      }
      pending.push(batch);
      if (pending.length < stepConfig.k) continue;
      step = (await takeStep(s, epoch, step, pending.splice(0))).step;
      if (s.config.checkpointEvery > 0 && step % s.config.checkpointEvery === 0)
        await saveCheckpoint(s, step);
      // Let timers and signal handlers run (Ctrl-C, time budgets): on cpu/wasm every await above
      // resolves as a microtask, so without this the loop would never give the event loop a turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (s.options.signal?.aborted) return { step, halt: 'aborted' };
      // Mid-epoch: stop now. At an epoch's end: fall through to its render and checkpoint.
      if (step >= s.totalSteps) return step % s.stepsPerEpoch !== 0 ? { step, halt: 'budget' } : { step };
    }
    return { step };
  } finally {
    tf.dispose(pending);
  }
}

/** One training step on `batches` (disposed here): history, the weight average, the progress callback. */
async function takeStep(
  s: Session,
  epoch: number,
  before: number,
  batches: tf.Tensor4D[],
): Promise<StepRecord> {
  const ts = performance.now();
  let r;
  try {
    r = await s.trainStep(batches);
  } finally {
    tf.dispose(batches);
  }
  const step = before + 1;
  s.ema?.update(step);
  const ms = performance.now() - ts;
  s.stepMsSum += ms;
  const perStepImages = s.config.batchSize * s.config.step.k;
  const record: StepRecord = { step, epoch, ...r, imgPerSec: (perStepImages * 1000) / ms, ms };
  if (![r.dLoss, r.gLoss, r.dReal, r.dFake].every(Number.isFinite)) throw diverged(s, record);
  s.history.push(record);
  if (s.historyFile) appendHistory(s.historyFile, record);
  const done = step - s.startStep;
  await s.callbacks.onStep?.(record, {
    step,
    totalSteps: s.totalSteps,
    epoch,
    numEpochs: s.config.budget.numEpochs,
    stepsPerEpoch: s.stepsPerEpoch,
    imgPerSec: (done * perStepImages * 1000) / s.stepMsSum,
    etaSec: ((s.totalSteps - step) * s.stepMsSum) / done / 1000,
  });
  return record;
}

function diverged(s: Session, record: StepRecord): NonFiniteLossError {
  const outDir = s.options.outDir;
  return new NonFiniteLossError(
    `Training diverged at step ${record.step} (epoch ${record.epoch}): dLoss = ${record.dLoss}, gLoss = ${record.gLoss}. ` +
      (s.checkpoint
        ? `The last good checkpoint (step ${s.checkpointStep}) in ${outDir} is kept; resume from it with a lower lr or another seed.`
        : outDir
          ? `No checkpoint had been written yet in ${outDir}. Try a lower lr or another seed.`
          : 'Nothing was saved (no output directory). Try a lower lr or another seed.'),
    record,
  );
}
