/**
 * One GAN training step (Goodfellow et al. 2014, Algorithm 1): k discriminator updates, each on a real
 * batch and a batch of fakes, then one generator update through the last D update's fakes (G runs
 * forward once for both, as in PyTorch's DCGAN tutorial; `reuseFakes: false` draws fresh noise for it).
 * Adam on both, BCE from logits (src/train/losses.ts). The engine calls exactly this and `gan bench` times it.
 * Usage: `const step = createTrainStep(buildModels('dcgan-28'), { seed: 1 }); const r = await step(realBatch);`
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { Adam, ADAM_DEFAULTS, type AdamConfig } from './adam';
import { discriminatorLoss, generatorLoss, type GenLossName } from './losses';
import { asPrior, type Latent, type LatentPrior } from '../models/prior';

export interface StepConfig {
  /** Generator loss; Goodfellow et al. 2014, §3 recommend the non-saturating form in practice. */
  loss: GenLossName;
  /** D updates per G update (Goodfellow et al. 2014, Algorithm 1: "k = 1, the least expensive option"). */
  k: number;
  /** One-sided label smoothing of the real targets (Salimans et al. 2016); 0 turns it off. */
  labelSmoothing: number;
  /** Adam for both players; Radford et al. 2015, §4: lr 2e-4, β1 0.5. */
  lr: number;
  /**
   * G's learning rate is lr·gLrScale (a two time-scale update rule, Heusel et al. 2017, here with the
   * faster player being G); 1 gives both players the same lr, as Radford et al. 2015 do.
   */
  gLrScale: number;
  beta1: number;
  beta2: number;
  /**
   * G forward once per step: the G update reuses the last D update's noise and differentiates through
   * the same forward pass of G that made that update's fakes, as PyTorch's DCGAN tutorial does (its
   * `fake.detach()` for D, then `netD(fake)` for G). Same algorithm, one forward pass of G less per
   * step. On by default; runs recorded before it existed resume with it off (train/config.ts).
   */
  reuseFakes: boolean;
}

export const STEP_DEFAULTS: Readonly<StepConfig> = {
  loss: 'nonsaturating',
  k: 1,
  labelSmoothing: 0,
  lr: ADAM_DEFAULTS.lr,
  gLrScale: 1,
  beta1: ADAM_DEFAULTS.beta1,
  beta2: ADAM_DEFAULTS.beta2,
  reuseFakes: true,
};

/** What one step reports; all numbers are from the last D update and the G update of the step. */
export interface StepResult {
  /** Discriminator loss BCE(D(x), 1) + BCE(D(G(z)), 0) before its last update. */
  dLoss: number;
  /** Generator loss (minimax or non-saturating) before its update. */
  gLoss: number;
  /** Mean D(x), a probability, on the real batch. */
  dReal: number;
  /** Mean D(G(z)), a probability, on the fakes of the last D update. */
  dFake: number;
  /** ‖∇_θG gLoss‖₂ over all of G's weights, before G's update (only with `reportGradNorm`). */
  gGradNorm?: number;
}

/** The pair of networks a step trains (what `buildModels` returns satisfies it). */
export interface StepModels {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  latentDim: number;
  /** The distribution of z (default N(0, I) of size latentDim); `GanModels` carry their model's. */
  prior?: LatentPrior;
}

export interface TrainStep {
  /**
   * Run one step. `real` is one batch [B, H, W, C] in [-1, 1] (reused by all k D updates) or k batches.
   * The caller keeps ownership of `real`; nothing else stays allocated after the call. The result
   * comes from one asynchronous device read (WebGPU in Node has no synchronous reads).
   */
  (real: tf.Tensor4D | tf.Tensor4D[]): Promise<StepResult>;
  readonly config: StepConfig;
  readonly dOptimizer: Adam;
  readonly gOptimizer: Adam;
  /** The noise stream; its state is part of a checkpoint. */
  readonly noiseRng: Rng;
  /** Free the optimizers' state (the models are the caller's). */
  dispose(): void;
}

/**
 * n draws of z [n, dim] from `latent` (a bare size: N(0, I); a mixture prior: src/models/prior.ts), drawn
 * from `rng` on the host: identical on every backend. The Gaussian part comes first, then one mode per row,
 * so N(0, I) consumes the stream exactly as it always has.
 */
export function sampleNoise(rng: Rng, n: number, latent: Latent): tf.Tensor2D {
  const { dim, modes, scale } = asPrior(latent);
  const values = new Float32Array(n * dim);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  if (modes > 0) for (let r = 0; r < n; r++) values[r * dim + rng.int(modes)] += scale;
  return tf.tensor2d(values, [n, dim]);
}

function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

function validateStepConfig(c: StepConfig): void {
  if (c.loss !== 'minimax' && c.loss !== 'nonsaturating') {
    throw new Error(`Expected loss "minimax" or "nonsaturating", but got ${JSON.stringify(c.loss)}.`);
  }
  if (!Number.isInteger(c.k) || c.k < 1)
    throw new Error(`Expected k to be a positive integer, but got ${c.k}.`);
  if (!(c.labelSmoothing >= 0 && c.labelSmoothing < 1)) {
    throw new Error(`Expected labelSmoothing in [0, 1), but got ${c.labelSmoothing}.`);
  }
}

/**
 * Build a step function for `models`. `seed` seeds the noise stream (or pass `noiseRng` to share one).
 * Optimizer state lives in the returned function's `dOptimizer` / `gOptimizer`.
 */
export function createTrainStep(
  models: StepModels,
  options: Partial<StepConfig> & { seed?: number; noiseRng?: Rng; reportGradNorm?: boolean } = {},
): TrainStep {
  const { seed, noiseRng, reportGradNorm, ...rest } = options;
  const config: StepConfig = { ...STEP_DEFAULTS, ...rest };
  validateStepConfig(config);
  const rng = noiseRng ?? new Rng(seed ?? 0);
  const G = models.generator;
  const D = models.discriminator;
  const latent = models.prior ?? models.latentDim;
  const gVars = trainableVariables(G);
  const dVars = trainableVariables(D);
  const adam: Partial<AdamConfig> = { lr: config.lr, beta1: config.beta1, beta2: config.beta2 };
  const dOptimizer = new Adam(dVars, adam);
  const gOptimizer = new Adam(gVars, { ...adam, lr: config.lr * config.gLrScale });

  const step = (async (real: tf.Tensor4D | tf.Tensor4D[]): Promise<StepResult> => {
    const reals = Array.isArray(real) ? real : [real];
    if (reals.length !== 1 && reals.length !== config.k) {
      throw new Error(`Expected 1 or k = ${config.k} real batches, but got ${reals.length}.`);
    }
    const kept: tf.Tensor[] = [];
    const batch = reals[0].shape[0];
    /** One D update on `x` and `fake`; G gets no gradient from it (only D's variables are differentiated). */
    const updateD = (x: tf.Tensor4D, fake: tf.Tensor, last: boolean): void => {
      const { value, grads } = tf.variableGrads(() => {
        const realLogits = D.apply(x, { training: true }) as tf.Tensor; // [B, 1]
        const fakeLogits = D.apply(fake, { training: true }) as tf.Tensor; // [B, 1]
        if (last) {
          kept.push(tf.keep(tf.mean(tf.sigmoid(realLogits))), tf.keep(tf.mean(tf.sigmoid(fakeLogits))));
        }
        return discriminatorLoss(realLogits, fakeLogits, config.labelSmoothing);
      }, dVars);
      dOptimizer.apply(dVars.map((v) => grads[v.name]));
      if (last) kept.push(tf.keep(value));
    };
    /** The G update: loss on D(fake) with D as it is now; `makeFake` runs inside G's gradient tape. */
    const updateG = (makeFake: (z: tf.Tensor2D) => tf.Tensor): void => {
      const z = sampleNoise(rng, batch, latent);
      const { value, grads } = tf.variableGrads(() => {
        const fakeLogits = D.apply(makeFake(z), { training: true }) as tf.Tensor; // [B, 1]
        return generatorLoss(config.loss, fakeLogits);
      }, gVars);
      const gGrads = gVars.map((v) => grads[v.name]);
      // ‖∇‖₂ = sqrt(Σ g²): how much signal the generator gets (tutorial 02's saturation experiment)
      if (reportGradNorm) kept.push(tf.keep(tf.sqrt(tf.addN(gGrads.map((g) => tf.sum(tf.square(g)))))));
      gOptimizer.apply(gGrads);
      kept.push(tf.keep(value));
    };
    try {
      const fresh = config.reuseFakes ? config.k - 1 : config.k;
      for (let i = 0; i < fresh; i++) {
        tf.tidy(() => {
          const x = reals[i % reals.length];
          // [B, latentDim] -> [B, H, W, C]; G is not differentiated here, so it runs outside the tape.
          const fake = G.apply(sampleNoise(rng, batch, latent), { training: true });
          updateD(x, fake as tf.Tensor, i === config.k - 1);
        });
      }
      tf.tidy(() =>
        updateG((z) => {
          const fake = G.apply(z, { training: true }) as tf.Tensor;
          // With reuseFakes the last D update happens inside G's tape, on the fakes G's loss then
          // sees through the updated D.
          if (config.reuseFakes) updateD(reals[(config.k - 1) % reals.length], fake, true);
          return fake;
        }),
      );
      // One device read per step: [dReal, dFake, dLoss, (gGradNorm,) gLoss].
      const stacked = tf.stack(kept);
      kept.push(stacked);
      const values = await stacked.data();
      const r: StepResult = {
        dLoss: values[2],
        gLoss: values[values.length - 1],
        dReal: values[0],
        dFake: values[1],
      };
      if (reportGradNorm) r.gGradNorm = values[3];
      return r;
    } finally {
      for (const t of kept) t.dispose();
    }
  }) as TrainStep;
  Object.assign(step, {
    config,
    dOptimizer,
    gOptimizer,
    noiseRng: rng,
    dispose: () => {
      dOptimizer.dispose();
      gOptimizer.dispose();
    },
  });
  return step;
}
