/**
 * What one run of the GAN vs DCGAN comparison is (src/compare/experiment.ts trains it): the recipes
 * compared, the two budgets, the evaluation curve, and the bar a generator must meet to be compared.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../models';
import type { RecipeName } from '../train/recipes';

/** The two recipes compared, in table order. */
export const COMPARED_RECIPES: readonly RecipeName[] = ['mnist-mlp-gan', 'mnist-dcgan'];

/**
 * Issue 13: a generator is worth comparing once it makes digits of ≥ 9 of the 10 classes and ≥ 50 % of its
 * samples are classified with p > 0.9. Below it, differences are between two kinds of noise.
 */
export const BAR = { classesCovered: 9, confident: 0.5 } as const;

export interface Budgets {
  /** Epochs of the training set (the same images seen by both models). */
  epochs: number;
  /** Seconds of training steps (the same compute time on this machine). */
  seconds: number;
}
export type BudgetKind = keyof Budgets;
export const BUDGET_KINDS: readonly BudgetKind[] = ['epochs', 'seconds'];

/** One evaluation of the sampling generator during training. */
export interface CurvePoint {
  step: number;
  /** Epochs of the training set seen so far (steps · batch / dataset size). */
  epochs: number;
  /** Training seconds so far (sum of step times; evaluation excluded). */
  trainSeconds: number;
  /** Share of samples classified with p > 0.9. */
  confident: number;
  classesCovered: number;
  klToUniform: number;
  classifierFid: number;
  /** Milliseconds to generate one image (batches of 256, sampling generator). */
  genMsPerImage: number;
}

export interface ComparisonRun {
  recipe: RecipeName;
  model: ModelName;
  seed: number;
  batchSize: number;
  stepsPerEpoch: number;
  /** Steps trained (until both budgets were passed). */
  steps: number;
  trainSeconds: number;
  /** Training images per second over all steps (steps · batch / training seconds). */
  imgPerSec: number;
  params: { generator: number; discriminator: number };
  /** Evaluations from step 0 (the untrained generator) on. */
  curve: CurvePoint[];
  /** The evaluation at each budget: the step that completes the epochs, the first step past the seconds. */
  at: Record<BudgetKind, CurvePoint>;
  /** 64 samples from fixed z at each budget, [64, 28, 28, 1] in [-1, 1] (the caller disposes them). */
  samples: Record<BudgetKind, tf.Tensor4D>;
}

/** Whether one evaluation meets the bar. */
export function meetsBar(p: Pick<CurvePoint, 'confident' | 'classesCovered'>): boolean {
  return p.classesCovered >= BAR.classesCovered && p.confident >= BAR.confident;
}

/** The first evaluation of a run that meets the bar, if any. */
export function firstOverBar(run: Pick<ComparisonRun, 'curve'>): CurvePoint | undefined {
  return run.curve.find(meetsBar);
}
