/**
 * DCGAN for 64×64 RGB faces: exactly the network of the PyTorch DCGAN tutorial
 * (pytorch.org/tutorials/beginner/dcgan_faces_tutorial.html, after Radford et al. 2015, Fig. 1),
 * nz = 100, ngf = ndf = 64, no conv biases. PyTorch's k4 s2 p1 equals tfjs 'same' padding here
 * (total pad 2 → 1 on each side). Trainable parameters: G 3,576,704, D 2,765,568.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './batchNorm';

export interface Dcgan64Config {
  /** nz, the size of z (PyTorch tutorial: 100). */
  latentDim: number;
  /** ngf, G feature maps at the last hidden layer (tutorial: 64). */
  ngf: number;
  /** ndf, D feature maps at the first layer (tutorial: 64). */
  ndf: number;
  /** nc, image channels (tutorial: 3). */
  channels: number;
  /** Negative slope of LeakyReLU in D (tutorial and Radford et al. 2015: 0.2). */
  leakySlope: number;
  /** BatchNorm momentum in tfjs terms (PyTorch momentum 0.1 ≙ 0.9 here). */
  bnMomentum: number;
  /** BatchNorm ε (PyTorch default 1e-5). */
  bnEpsilon: number;
  /**
   * Side of the square images, 64 (the tutorial) or 32: the same network with one up/down-sampling
   * block fewer on each side (G 4→8→16→32, D 32→16→8→4), a quarter of the pixels per step.
   */
  imageSize: number;
}

export const DCGAN64_DEFAULTS: Readonly<Dcgan64Config> = {
  latentDim: 100,
  ngf: 64,
  ndf: 64,
  channels: 3,
  leakySlope: 0.2,
  bnMomentum: 0.9,
  bnEpsilon: 1e-5,
  imageSize: 64,
};

/** Blocks between the 4×4 bottleneck and the image: 3 at 64×64, 2 at 32×32. */
function blocks(c: Dcgan64Config): number {
  if (c.imageSize !== 32 && c.imageSize !== 64) {
    throw new Error(`Expected imageSize 32 or 64, but got ${c.imageSize}.`);
  }
  return Math.log2(c.imageSize) - 3;
}

/** G: z [b, nz] → image [b, S, S, nc] in [-1, 1] (S = imageSize; shapes below for 64, ngf 64). */
export function buildDcgan64Generator(c: Dcgan64Config): tf.Sequential {
  const g = tf.sequential({ name: 'generator' });
  const bn = (name: string) => batchNormalization({ momentum: c.bnMomentum, epsilon: c.bnEpsilon, name });
  const convT = (filters: number, strides: number, padding: 'same' | 'valid', name: string) =>
    tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides, padding, useBias: false, name });
  const n = blocks(c);
  // [b, 100] -> [b, 1, 1, 100]: the tutorial feeds z as a 1×1 image
  g.add(
    tf.layers.reshape({ targetShape: [1, 1, c.latentDim], inputShape: [c.latentDim], name: 'g_reshape' }),
  );
  // [b, 1, 1, 100] -> [b, 4, 4, 512] (at 32×32: [b, 4, 4, 256])
  g.add(convT(2 ** n * c.ngf, 1, 'valid', 'g_convT1'));
  g.add(bn('g_bn1')); // [b, 4, 4, 512]
  g.add(tf.layers.reLU({ name: 'g_relu1' })); // [b, 4, 4, 512]
  for (let i = 2; i <= n + 1; i++) {
    // i = 2: [b, 4, 4, 512] -> [b, 8, 8, 256]; 3: -> [b, 16, 16, 128]; 4: -> [b, 32, 32, 64]
    g.add(convT(2 ** (n + 1 - i) * c.ngf, 2, 'same', `g_convT${i}`));
    g.add(bn(`g_bn${i}`));
    g.add(tf.layers.reLU({ name: `g_relu${i}` }));
  }
  // [b, 32, 32, 64] -> [b, 64, 64, 3]
  g.add(convT(c.channels, 2, 'same', `g_convT${n + 2}`));
  g.add(tf.layers.activation({ activation: 'tanh', name: 'g_tanh' })); // [b, 64, 64, 3]
  return g;
}

/** D: image [b, S, S, nc] → logit [b, 1] (shapes below for 64, ndf 64). */
export function buildDcgan64Discriminator(c: Dcgan64Config): tf.Sequential {
  const d = tf.sequential({ name: 'discriminator' });
  const conv = (
    filters: number,
    strides: number,
    padding: 'same' | 'valid',
    name: string,
    inputShape?: number[],
  ) => tf.layers.conv2d({ filters, kernelSize: 4, strides, padding, useBias: false, name, inputShape });
  const bn = (name: string) => batchNormalization({ momentum: c.bnMomentum, epsilon: c.bnEpsilon, name });
  const n = blocks(c);
  // [b, 64, 64, 3] -> [b, 32, 32, 64]; no BatchNorm on D's input layer
  d.add(conv(c.ndf, 2, 'same', 'd_conv1', [c.imageSize, c.imageSize, c.channels]));
  d.add(tf.layers.leakyReLU({ alpha: c.leakySlope, name: 'd_lrelu1' })); // [b, 32, 32, 64]
  for (let i = 2; i <= n + 1; i++) {
    // i = 2: [b, 32, 32, 64] -> [b, 16, 16, 128]; 3: -> [b, 8, 8, 256]; 4: -> [b, 4, 4, 512]
    d.add(conv(2 ** (i - 1) * c.ndf, 2, 'same', `d_conv${i}`));
    d.add(bn(`d_bn${i}`));
    d.add(tf.layers.leakyReLU({ alpha: c.leakySlope, name: `d_lrelu${i}` }));
  }
  // [b, 4, 4, 512] -> [b, 1, 1, 1]; the tutorial's Sigmoid is folded into the loss (logits)
  d.add(conv(1, 1, 'valid', `d_conv${n + 2}`));
  // [b, 1, 1, 1] -> [b, 1] (logit)
  d.add(tf.layers.flatten({ name: 'd_flatten' }));
  return d;
}
