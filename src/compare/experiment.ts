/**
 * GAN vs DCGAN, measured: the same data and training protocol for two models, several seeds, at an
 * equal number of epochs or an equal wall-clock budget (training time only, evaluation excluded).
 * Every `evalEvery` epochs the generator is scored with classifier-FID and mode coverage
 * (src/metrics/digits.ts). Used by tutorial 04; results are plain data for tables and charts.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types';
import type { DigitMetrics } from '../metrics/digits';
import { countTrainableParams, disposeModels, type GanModels, type ModelName } from '../models';
import { train, type StepRecord } from '../train';
import { generateImages } from '../analysis/generate';

export interface EvalPoint {
  epoch: number;
  step: number;
  /** Training seconds so far (sum of step times; evaluation excluded). */
  trainSeconds: number;
  classifierFid: number;
  classesCovered: number;
  klToUniform: number;
}

export interface ComparisonRun {
  model: ModelName;
  seed: number;
  budget: Budget;
  steps: number;
  epochs: number;
  trainSeconds: number;
  imgPerSec: number;
  secondsPerEpoch: number;
  params: { generator: number; discriminator: number };
  /** Bytes of tensors held by the models and both optimizers while training. */
  trainingStateBytes: number;
  history: StepRecord[];
  evals: EvalPoint[];
  /** 64 samples from fixed z at the end, [64, 28, 28, 1] in [-1, 1] (the caller disposes them). */
  samples: tf.Tensor4D;
  /** Set when some evaluation covered fewer than `collapseClasses` classes: a mode-collapse event. */
  collapseEvents: number;
}

export type Budget =
  { kind: 'epochs'; epochs: number } | { kind: 'seconds'; seconds: number; maxEpochs: number };

export interface RunOptions {
  model: ModelName;
  dataset: ImageDataset;
  seed: number;
  budget: Budget;
  metrics: DigitMetrics;
  batchSize?: number;
  /** Generated digits per evaluation (default 1000). */
  evalSamples?: number;
  /** Evaluate after every this many epochs (default 1). */
  evalEvery?: number;
  /** Fewer classes than this at an evaluation counts as a collapse event (default 8). */
  collapseClasses?: number;
  onProgress?: (message: string) => void;
}

/** Train one model under one budget, evaluating as it goes. */
export async function runOne(o: RunOptions): Promise<ComparisonRun> {
  const evalSamples = o.evalSamples ?? 1000;
  const evalEvery = o.evalEvery ?? 1;
  const collapseClasses = o.collapseClasses ?? 8;
  const batchSize = o.batchSize ?? 64;
  const evals: EvalPoint[] = [];
  let trainMs = 0;
  let models: GanModels | undefined;
  let stateBytes = 0;
  const bytesBefore = tf.memory().numBytes;
  const controller = new AbortController();
  const numEpochs = o.budget.kind === 'epochs' ? o.budget.epochs : o.budget.maxEpochs;
  const evaluate = (epoch: number, step: number): void => {
    if (!models) return;
    const imgs = generateImages(models.generator, models.latentDim, evalSamples, 4242);
    const s = o.metrics.score(imgs);
    imgs.dispose();
    evals.push({
      epoch,
      step,
      trainSeconds: trainMs / 1000,
      classifierFid: s.classifierFid,
      classesCovered: s.coverage.classesCovered,
      klToUniform: s.coverage.klToUniform,
    });
    o.onProgress?.(
      `${o.model} seed ${o.seed}: epoch ${epoch + 1}, step ${step}, ${(trainMs / 1000).toFixed(0)} s of training, classifier-FID ${s.classifierFid.toFixed(1)}, ${s.coverage.classesCovered}/10 classes`,
    );
  };
  const result = await train({
    model: o.model,
    dataset: o.dataset,
    numEpochs,
    batchSize,
    seed: o.seed,
    signal: controller.signal,
    callbacks: {
      onStart: (info) => {
        models = info.models;
      },
      onStep: (record) => {
        trainMs += record.ms;
        if (record.step === 1) stateBytes = tf.memory().numBytes - bytesBefore;
        if (o.budget.kind === 'seconds' && trainMs / 1000 >= o.budget.seconds) controller.abort();
      },
      onEpochEnd: (info) => {
        if ((info.epoch + 1) % evalEvery === 0) evaluate(info.epoch, info.step);
      },
    },
  });
  const lastEpoch = result.history.length > 0 ? result.history[result.history.length - 1].epoch : 0;
  if (evals.length === 0 || evals[evals.length - 1].step !== result.steps) evaluate(lastEpoch, result.steps);
  const samples = generateImages(result.models.generator, result.models.latentDim, 64, 7);
  const images = result.steps * batchSize;
  const run: ComparisonRun = {
    model: o.model,
    seed: o.seed,
    budget: o.budget,
    steps: result.steps,
    epochs: (result.steps * batchSize) / o.dataset.count,
    trainSeconds: trainMs / 1000,
    imgPerSec: images / (trainMs / 1000),
    secondsPerEpoch: (trainMs / 1000) * (o.dataset.count / images),
    params: {
      generator: countTrainableParams(result.models.generator),
      discriminator: countTrainableParams(result.models.discriminator),
    },
    trainingStateBytes: stateBytes,
    history: result.history,
    evals,
    samples,
    collapseEvents: evals.filter((e) => e.classesCovered < collapseClasses).length,
  };
  disposeModels(result.models);
  return run;
}

export interface Summary {
  mean: number;
  std: number;
  n: number;
}

/** Mean and sample standard deviation (n − 1). */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

export function fmt(s: Summary, digits = 1): string {
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

export interface ModelSummary {
  model: ModelName;
  budget: string;
  finalFid: Summary;
  classesCovered: Summary;
  klToUniform: Summary;
  imgPerSec: Summary;
  secondsPerEpoch: Summary;
  epochs: Summary;
  collapseEvents: number;
  params: number;
  trainingStateMB: number;
}

export function budgetLabel(b: Budget): string {
  return b.kind === 'epochs' ? `${b.epochs} epoch${b.epochs === 1 ? '' : 's'}` : `${b.seconds} s of training`;
}

/** Per-model summary across seeds (final evaluation of each run). */
export function summarizeRuns(runs: readonly ComparisonRun[]): ModelSummary[] {
  const models = [...new Set(runs.map((r) => r.model))];
  return models.map((model) => {
    const rs = runs.filter((r) => r.model === model);
    const last = rs.map((r) => r.evals[r.evals.length - 1]);
    return {
      model,
      budget: budgetLabel(rs[0].budget),
      finalFid: summarize(last.map((e) => e.classifierFid)),
      classesCovered: summarize(last.map((e) => e.classesCovered)),
      klToUniform: summarize(last.map((e) => e.klToUniform)),
      imgPerSec: summarize(rs.map((r) => r.imgPerSec)),
      secondsPerEpoch: summarize(rs.map((r) => r.secondsPerEpoch)),
      epochs: summarize(rs.map((r) => r.epochs)),
      collapseEvents: rs.reduce((a, r) => a + r.collapseEvents, 0),
      params: rs[0].params.generator + rs[0].params.discriminator,
      trainingStateMB: rs[0].trainingStateBytes / 2 ** 20,
    };
  });
}

/** A markdown table of summaries (mean ± std over seeds). */
export function summaryTable(rows: readonly ModelSummary[]): string {
  const head =
    '| model | budget | classifier-FID ↓ | classes covered | KL to uniform ↓ | epochs | img/s | s/epoch | parameters (G+D) | training state | collapse events |';
  const sep = '|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.model} | ${r.budget} | ${fmt(r.finalFid)} | ${fmt(r.classesCovered, 1)} | ${fmt(r.klToUniform, 3)} | ${fmt(r.epochs, 1)} | ${fmt(r.imgPerSec, 0)} | ${fmt(r.secondsPerEpoch, 1)} | ${r.params.toLocaleString('en')} | ${r.trainingStateMB.toFixed(1)} MB | ${r.collapseEvents} |`,
  );
  return [head, sep, ...lines].join('\n');
}

/**
 * Conclusions drawn from the numbers, not written in advance: which model has the lower FID under
 * each budget and by what factor, whether the seed-to-seed spread makes the difference meaningful
 * (means further apart than the sum of the standard deviations), and what the winner costs.
 */
export function conclusions(
  equalEpochs: readonly ModelSummary[],
  equalTime: readonly ModelSummary[],
): string[] {
  const out: string[] = [];
  const compare = (rows: readonly ModelSummary[], label: string): void => {
    if (rows.length !== 2) return;
    const [a, b] = [...rows].sort((x, y) => x.finalFid.mean - y.finalFid.mean);
    const ratio = b.finalFid.mean / a.finalFid.mean;
    const separated = b.finalFid.mean - a.finalFid.mean > a.finalFid.std + b.finalFid.std;
    const verdict =
      Math.min(a.finalFid.n, b.finalFid.n) < 2
        ? ' — from one seed each, so the spread between seeds is unknown'
        : separated
          ? ', a gap larger than the seed-to-seed spread'
          : ' — but within the seed-to-seed spread, so not a clear win';
    out.push(
      `At ${label} (${a.budget}), ${a.model} reaches a lower classifier-FID than ${b.model}: ${fmt(a.finalFid)} vs ${fmt(b.finalFid)}, ` +
        `${ratio.toFixed(2)}× lower${verdict}.`,
    );
    out.push(
      `Mode coverage at ${label}: ${a.model} ${fmt(a.classesCovered)} classes (KL ${fmt(a.klToUniform, 3)}), ${b.model} ${fmt(b.classesCovered)} (KL ${fmt(b.klToUniform, 3)}); collapse events ${a.collapseEvents} vs ${b.collapseEvents}.`,
    );
  };
  compare(equalEpochs, 'equal epochs');
  compare(equalTime, 'equal wall-clock');
  const find = (rows: readonly ModelSummary[], m: ModelName) => rows.find((r) => r.model === m);
  const mlp = find(equalEpochs, 'mlp-gan');
  const dc = find(equalEpochs, 'dcgan-28');
  if (mlp && dc) {
    const speed = mlp.imgPerSec.mean / dc.imgPerSec.mean;
    out.push(
      `Cost: dcgan-28 has ${(dc.params / 1e6).toFixed(2)} M parameters and mlp-gan ${(mlp.params / 1e6).toFixed(2)} M; ` +
        `dcgan-28 trains at ${fmt(dc.imgPerSec, 0)} img/s and mlp-gan at ${fmt(mlp.imgPerSec, 0)} img/s on this backend ` +
        `(${speed >= 1 ? `${speed.toFixed(1)}× slower` : `${(1 / speed).toFixed(1)}× faster`}): a convolution does far more arithmetic per parameter than a dense layer.`,
    );
  }
  return out;
}
