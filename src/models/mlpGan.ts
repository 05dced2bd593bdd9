/**
 * The fully connected GAN of Goodfellow et al. 2014 ("Generative Adversarial Nets"), in the widely used
 * modern form: LeakyReLU(0.2) hidden layers, a tanh image out of G and a logit out of D (the sigmoid
 * lives in the loss, see src/train/losses.ts). Defaults: G 100→256→512→1024→784, D 784→512→256→1.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './batchNorm';

export interface MlpGanConfig {
  /** Size of z. Goodfellow et al. 2014 leave it free; 100 is the DCGAN-era convention. */
  latentDim: number;
  /** Hidden widths of G, input side first. Default [256, 512, 1024]. */
  gHidden: number[];
  /** Hidden widths of D, input side first. Default [512, 256]. */
  dHidden: number[];
  /** Image shape [H, W, C]; default MNIST [28, 28, 1]. */
  imageShape: [number, number, number];
  /** Negative slope of LeakyReLU (Radford et al. 2015, §3: 0.2). */
  leakySlope: number;
  /**
   * BatchNorm after each hidden layer of G (not in D). Off in Goodfellow et al. 2014's network; on in the
   * widely used PyTorch-GAN `gan.py` MLP, and in our measurements it is what lets the MLP cover all ten
   * digit classes early (see src/train/recipes.ts).
   */
  gBatchNorm: boolean;
  /** BatchNorm momentum in tfjs terms (PyTorch momentum 0.1 ≙ 0.9 here); used when gBatchNorm is on. */
  bnMomentum: number;
}

export const MLP_GAN_DEFAULTS: Readonly<MlpGanConfig> = {
  latentDim: 100,
  gHidden: [256, 512, 1024],
  dHidden: [512, 256],
  imageShape: [28, 28, 1],
  leakySlope: 0.2,
  gBatchNorm: false,
  bnMomentum: 0.9,
};

/** G: z [b, latentDim] → image [b, H, W, C] in [-1, 1]. */
export function buildMlpGenerator(c: MlpGanConfig): tf.Sequential {
  const [h, w, ch] = c.imageShape;
  const g = tf.sequential({ name: 'generator' });
  c.gHidden.forEach((units, i) => {
    // [b, latentDim | gHidden[i-1]] -> [b, units]
    g.add(
      tf.layers.dense({
        units,
        inputShape: i === 0 ? [c.latentDim] : undefined,
        name: `g_dense${i + 1}`,
      }),
    );
    // [b, units] -> [b, units]
    if (c.gBatchNorm)
      g.add(batchNormalization({ momentum: c.bnMomentum, epsilon: 1e-5, name: `g_bn${i + 1}` }));
    // [b, units] -> [b, units]
    g.add(tf.layers.leakyReLU({ alpha: c.leakySlope, name: `g_lrelu${i + 1}` }));
  });
  // [b, gHidden[-1]] -> [b, H·W·C]
  g.add(tf.layers.dense({ units: h * w * ch, activation: 'tanh', name: 'g_out' }));
  // [b, H·W·C] -> [b, H, W, C]
  g.add(tf.layers.reshape({ targetShape: [h, w, ch], name: 'g_reshape' }));
  return g;
}

/** D: image [b, H, W, C] → logit [b, 1]. */
export function buildMlpDiscriminator(c: MlpGanConfig): tf.Sequential {
  const d = tf.sequential({ name: 'discriminator' });
  // [b, H, W, C] -> [b, H·W·C]
  d.add(tf.layers.flatten({ inputShape: c.imageShape, name: 'd_flatten' }));
  c.dHidden.forEach((units, i) => {
    // [b, H·W·C | dHidden[i-1]] -> [b, units]
    d.add(tf.layers.dense({ units, name: `d_dense${i + 1}` }));
    // [b, units] -> [b, units]
    d.add(tf.layers.leakyReLU({ alpha: c.leakySlope, name: `d_lrelu${i + 1}` }));
  });
  // [b, dHidden[-1]] -> [b, 1] (logit)
  d.add(tf.layers.dense({ units: 1, name: 'd_logit' }));
  return d;
}
