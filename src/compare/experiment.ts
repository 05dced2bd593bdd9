/**
 * GAN vs DCGAN, measured (tutorial 04): one run per recipe × seed, trained until two budgets are both
 * passed — an equal number of epochs and an equal number of training seconds (evaluation excluded) —
 * and scored every `evalEvery` steps from G's weight average (src/metrics/quality.ts). Both budgets
 * are read off the same run's curve, so one run per model and seed serves both comparisons.
 *   const run = await runOne({ recipe: 'mnist-dcgan', profile: 'cpu', dataset, seed: 1, metrics,
 *                              budgets: { epochs: 4, seconds: 300 } });
 * A model below the bar (BAR) is "not trained enough to compare"; `conclusions` names no winner then.
 */
import * as tf from '@tensorflow/tfjs';
import { generateImages } from '../analysis/generate';
import type { ImageDataset } from '../data/types';
import type { DigitMetrics } from '../metrics/digits';
import { digitQuality } from '../metrics/quality';
import { countTrainableParams, disposeModels, samplingGenerator, type GanModels } from '../models';
import { train, type StepRecord } from '../train';
import { recipeSetup, trainOptions, type RecipeName, type RecipeProfile } from '../train/recipes';
import { BUDGET_KINDS, type BudgetKind, type Budgets, type ComparisonRun, type CurvePoint } from './runs';

export * from './runs';
export * from './summary';
export { conclusions } from './conclusions';

export interface RunOptions {
  recipe: RecipeName;
  profile: RecipeProfile;
  dataset: ImageDataset;
  seed: number;
  budgets: Budgets;
  metrics: DigitMetrics;
  /** Generated digits per evaluation (default 500). */
  evalSamples?: number;
  /** Evaluate every this many steps (default: one epoch), besides step 0 and both budgets. */
  evalEvery?: number;
  /** Give up (and throw) if the budgets are not both passed by then (default 100,000 steps). */
  maxSteps?: number;
  /** Run directory for checkpoints (so `evaluateRun` can score it); none when absent. */
  outDir?: string;
  onProgress?: (message: string) => void;
}

/** Noise seeds shared by every run: evaluations and sample grids see the same z for every model. */
const EVAL_SEED = 4242;
const GRID_SEED = 7;

function checkBudgets(b: Budgets): void {
  for (const k of BUDGET_KINDS) {
    if (!(Number.isFinite(b[k]) && b[k] > 0)) {
      throw new Error(`Expected budgets.${k} to be a positive number, but got ${b[k]}.`);
    }
  }
}

/** The evaluations of one run as it trains: its curve, and the point and samples at each budget. */
class CurveRecorder {
  readonly curve: CurvePoint[] = [];
  readonly at: Partial<Record<BudgetKind, CurvePoint>> = {};
  readonly samples: Partial<Record<BudgetKind, tf.Tensor4D>> = {};
  /** The run's networks, from the engine's onStart. */
  models?: GanModels;
  /** Sum of step times: training seconds, evaluation excluded. */
  trainMs = 0;

  constructor(
    private readonly o: RunOptions,
    private readonly setup: { model: string; batchSize: number },
    /** The step that completes the epoch budget, and the evaluation interval. */
    private readonly epochStep: number,
    private readonly evalEvery: number,
  ) {}

  /** Score the sampling generator after `step` steps and add the point to the curve. */
  async evaluate(step: number): Promise<CurvePoint> {
    const m = this.models as GanModels;
    const n = this.o.evalSamples ?? 500;
    const t0 = performance.now();
    const images = generateImages(samplingGenerator(m), m.prior, n, EVAL_SEED);
    await images.data();
    const genMsPerImage = (performance.now() - t0) / n;
    const q = await digitQuality(this.o.metrics, images);
    images.dispose();
    const p: CurvePoint = {
      step,
      epochs: (step * this.setup.batchSize) / this.o.dataset.count,
      trainSeconds: this.trainMs / 1000,
      confident: q.confident,
      classesCovered: q.classesCovered,
      klToUniform: q.klToUniform,
      classifierFid: q.classifierFid,
      genMsPerImage,
    };
    this.curve.push(p);
    this.o.onProgress?.(
      `${this.setup.model} seed ${this.o.seed}: step ${step}, ${p.trainSeconds.toFixed(0)} s of training, ` +
        `${(100 * p.confident).toFixed(0)} % confident, ${p.classesCovered}/10 classes, ` +
        `classifier-FID ${p.classifierFid.toFixed(1)}`,
    );
    return p;
  }

  /** After each step: evaluate on the interval and at each budget; true once both budgets are passed. */
  async onStep(record: StepRecord): Promise<boolean> {
    this.trainMs += record.ms;
    const epochsDone = record.step === this.epochStep;
    const secondsDone = this.at.seconds === undefined && this.trainMs / 1000 >= this.o.budgets.seconds;
    if (epochsDone || secondsDone || record.step % this.evalEvery === 0) {
      const p = await this.evaluate(record.step);
      if (epochsDone) this.reached('epochs', p);
      if (secondsDone) this.reached('seconds', p);
    }
    return this.at.epochs !== undefined && this.at.seconds !== undefined;
  }

  private reached(kind: BudgetKind, p: CurvePoint): void {
    const m = this.models as GanModels;
    this.at[kind] = p;
    this.samples[kind] = generateImages(samplingGenerator(m), m.prior, 64, GRID_SEED);
  }

  disposeSamples(): void {
    tf.dispose(Object.values(this.samples));
  }
}

/** Train one recipe with one seed until both budgets are passed, evaluating as it goes. */
export async function runOne(o: RunOptions): Promise<ComparisonRun> {
  checkBudgets(o.budgets);
  const setup = { ...recipeSetup(o.recipe, o.profile), seed: o.seed, steps: o.maxSteps ?? 100_000 };
  const stepsPerEpoch = Math.floor(o.dataset.count / setup.batchSize);
  const epochStep = Math.ceil(o.budgets.epochs * stepsPerEpoch);
  const rec = new CurveRecorder(o, setup, epochStep, o.evalEvery ?? stepsPerEpoch);
  const controller = new AbortController();
  let result;
  try {
    result = await train({
      ...trainOptions(setup, o.dataset.count),
      dataset: o.dataset,
      outDir: o.outDir,
      signal: controller.signal,
      callbacks: {
        onStart: async (info) => {
          rec.models = info.models;
          await rec.evaluate(0);
        },
        onStep: async (record) => {
          if (await rec.onStep(record)) controller.abort();
        },
      },
    });
  } catch (e) {
    rec.disposeSamples();
    throw e;
  }
  const params = {
    generator: countTrainableParams(result.models.generator),
    discriminator: countTrainableParams(result.models.discriminator),
  };
  disposeModels(result.models);
  const { at, samples, trainMs } = rec;
  if (!at.epochs || !at.seconds) {
    rec.disposeSamples();
    throw new Error(
      `${o.recipe} seed ${o.seed} stopped at step ${result.steps} (${(trainMs / 1000).toFixed(0)} s) ` +
        `before passing both budgets (${o.budgets.epochs} epochs, ${o.budgets.seconds} s): raise maxSteps.`,
    );
  }
  return {
    recipe: o.recipe,
    model: setup.model,
    seed: o.seed,
    batchSize: setup.batchSize,
    stepsPerEpoch,
    steps: result.steps,
    trainSeconds: trainMs / 1000,
    imgPerSec: (result.steps * setup.batchSize) / (trainMs / 1000),
    params,
    curve: rec.curve,
    at: at as Record<BudgetKind, CurvePoint>,
    samples: samples as Record<BudgetKind, tf.Tensor4D>,
  };
}
