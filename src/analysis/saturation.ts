/**
 * Tutorial 02's saturation experiment (Goodfellow et al. 2014, §3: "Early in learning, when G is poor, D
 * can reject samples with high confidence … log(1 − D(G(z))) saturates"). Both runs start from the same
 * state in which D is ahead: the initial G held fixed while D trains alone for `preSteps` steps, so
 * D(G(z)) starts near 0. Then the two generator losses train from there, identical in everything else,
 * and each step reports ‖∇G‖, the size of the generator's gradient.
 *   const r = await saturationExperiment({ dataset, preSteps: 300, steps: 600, seed: 7 });
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../data/types';
import { buildModels, disposeModels, type ModelConfigs } from '../models';
import { Adam } from '../train/adam';
import { discriminatorLoss, type GenLossName } from '../train/losses';
import { createTrainStep, sampleNoise, type StepResult } from '../train/step';
import { Rng } from '../util/rng';

export interface SaturationOptions {
  dataset: ImageDataset;
  /** D-only steps against the fixed initial G (default 300). */
  preSteps?: number;
  /** GAN steps per loss after that (default 600). */
  steps?: number;
  seed?: number;
  batchSize?: number;
  modelConfig?: Partial<ModelConfigs['mlp-gan']>;
}

export interface SaturationResult {
  /** Mean D(x) and D(G(z)) over the last 10 D-only steps: where both runs start. */
  start: { dReal: number; dFake: number };
  runs: Record<GenLossName, StepResult[]>;
}

/** Endless seeded batches of `dataset`, epoch after epoch. */
function* batchStream(dataset: ImageDataset, batchSize: number, seed: number): Generator<tf.Tensor4D> {
  for (let epoch = 0; ; epoch++) {
    for (const b of dataset.batches(batchSize, { seed, epoch, dropRemainder: true })) yield b;
  }
}

export async function saturationExperiment(o: SaturationOptions): Promise<SaturationResult> {
  const preSteps = o.preSteps ?? 300;
  const steps = o.steps ?? 600;
  const seed = o.seed ?? 7;
  const batchSize = o.batchSize ?? 64;
  const runs = {} as Record<GenLossName, StepResult[]>;
  let start = { dReal: NaN, dFake: NaN };
  for (const loss of ['minimax', 'nonsaturating'] as const) {
    // Same seed → same initial weights, same D-only phase, same data order: the runs differ only in the loss.
    const models = buildModels('mlp-gan', { seed, config: o.modelConfig });
    const data = batchStream(o.dataset, batchSize, seed);
    const rng = new Rng(seed + 1);
    const dVars = models.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
    const dAdam = new Adam(dVars);
    const tail: number[][] = [];
    for (let i = 0; i < preSteps; i++) {
      const x = data.next().value as tf.Tensor4D;
      const probs = tf.tidy(() => {
        const fake = models.generator.apply(sampleNoise(rng, batchSize, models.prior), {
          training: true,
        }) as tf.Tensor;
        let p: tf.Tensor[] = [];
        const { grads } = tf.variableGrads(() => {
          const realLogits = models.discriminator.apply(x, { training: true }) as tf.Tensor;
          const fakeLogits = models.discriminator.apply(fake, { training: true }) as tf.Tensor;
          // kept: variableGrads disposes everything else its function makes
          p = [tf.keep(tf.mean(tf.sigmoid(realLogits))), tf.keep(tf.mean(tf.sigmoid(fakeLogits)))];
          return discriminatorLoss(realLogits, fakeLogits, 0);
        }, dVars);
        dAdam.apply(dVars.map((v) => grads[v.name]));
        const stacked = tf.stack(p);
        tf.dispose(p);
        return stacked;
      });
      x.dispose();
      if (i >= preSteps - 10) tail.push(Array.from(await probs.data()));
      probs.dispose();
    }
    dAdam.dispose();
    start = {
      dReal: tail.reduce((a, t) => a + t[0], 0) / tail.length,
      dFake: tail.reduce((a, t) => a + t[1], 0) / tail.length,
    };
    const step = createTrainStep(models, { loss, seed: seed + 2, reportGradNorm: true });
    const history: StepResult[] = [];
    try {
      for (let i = 0; i < steps; i++) {
        const x = data.next().value as tf.Tensor4D;
        try {
          history.push(await step(x));
        } finally {
          x.dispose();
        }
      }
    } finally {
      step.dispose();
      disposeModels(models);
    }
    runs[loss] = history;
  }
  return { start, runs };
}
