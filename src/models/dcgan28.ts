/**
 * DCGAN for 28×28 MNIST, following the architecture guidelines of Radford et al. 2015, §3.1
 * (strided convolutions, BatchNorm in G and D except D's input layer, ReLU in G with tanh out,
 * LeakyReLU(0.2) in D). G: z → dense 7·7·4ngf (→ 3×3 conv with `gConv7`) → 14×14×2ngf → 28×28×1;
 * D: 28 → 14 → 7 (→ 3×3 conv with `dConv7`) → logit.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './batchNorm';

export interface Dcgan28Config {
  /** Size of z (Radford et al. 2015, §4: 100). */
  latentDim: number;
  /** G width: the dense layer outputs 7·7·(4·ngf) and the first convT 2·ngf maps. Default 64 → 256, 128. */
  ngf: number;
  /** D width: ndf, then 2·ndf maps. Default 64 → 64, 128. */
  ndf: number;
  /** Negative slope of LeakyReLU in D (Radford et al. 2015, §3: 0.2). */
  leakySlope: number;
  /** BatchNorm momentum in tfjs terms (PyTorch momentum 0.1 ≙ 0.9 here). */
  bnMomentum: number;
  /** BatchNorm ε (PyTorch default 1e-5). */
  bnEpsilon: number;
  /**
   * One more G layer at 7×7 before the first transposed convolution: 3×3 convolution, 4·ngf maps,
   * BatchNorm, ReLU (TensorFlow's DCGAN tutorial has a stride-1 layer there too). Off by default.
   */
  gConv7: boolean;
  /**
   * One more D layer at 7×7 after the second strided convolution: 3×3 convolution, 2·ndf maps, BatchNorm,
   * LeakyReLU; D's mirror of `gConv7` (a wider receptive field before the logit). Off by default.
   */
  dConv7: boolean;
  /**
   * z from a mixture of this many Gaussians with separated means instead of one (src/models/prior.ts);
   * 0 (the default) keeps z ~ N(0, I). At most latentDim.
   */
  latentModes: number;
  /** Distance of each mode's mean from the origin, when latentModes > 0. */
  latentModeScale: number;
}

export const DCGAN28_DEFAULTS: Readonly<Dcgan28Config> = {
  latentDim: 100,
  ngf: 64,
  ndf: 64,
  leakySlope: 0.2,
  bnMomentum: 0.9,
  bnEpsilon: 1e-5,
  gConv7: false,
  dConv7: false,
  latentModes: 0,
  latentModeScale: 5,
};

export const DCGAN28_IMAGE_SHAPE: readonly [number, number, number] = [28, 28, 1];

/** G: z [b, latentDim] → image [b, 28, 28, 1] in [-1, 1]. */
export function buildDcgan28Generator(c: Dcgan28Config): tf.Sequential {
  const bn = (name: string) => batchNormalization({ momentum: c.bnMomentum, epsilon: c.bnEpsilon, name });
  const g = tf.sequential({ name: 'generator' });
  // [b, 100] -> [b, 7·7·256]; no bias: BatchNorm's β replaces it
  g.add(
    tf.layers.dense({ units: 7 * 7 * 4 * c.ngf, useBias: false, inputShape: [c.latentDim], name: 'g_dense' }),
  );
  // [b, 12544] -> [b, 12544]
  g.add(bn('g_bn0'));
  // [b, 12544] -> [b, 12544]
  g.add(tf.layers.reLU({ name: 'g_relu0' }));
  // [b, 12544] -> [b, 7, 7, 256]
  g.add(tf.layers.reshape({ targetShape: [7, 7, 4 * c.ngf], name: 'g_reshape' }));
  if (c.gConv7) {
    // [b, 7, 7, 256] -> [b, 7, 7, 256]
    g.add(
      tf.layers.conv2d({
        filters: 4 * c.ngf,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        name: 'g_conv7',
      }),
    );
    g.add(bn('g_bn7'));
    g.add(tf.layers.reLU({ name: 'g_relu7' }));
  }
  // [b, 7, 7, 256] -> [b, 14, 14, 128]
  g.add(
    tf.layers.conv2dTranspose({
      filters: 2 * c.ngf,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      useBias: false,
      name: 'g_convT1',
    }),
  );
  // [b, 14, 14, 128] -> [b, 14, 14, 128]
  g.add(bn('g_bn1'));
  // [b, 14, 14, 128] -> [b, 14, 14, 128]
  g.add(tf.layers.reLU({ name: 'g_relu1' }));
  // [b, 14, 14, 128] -> [b, 28, 28, 1]
  g.add(
    tf.layers.conv2dTranspose({
      filters: 1,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'tanh',
      name: 'g_convT2',
    }),
  );
  return g;
}

/** D: image [b, 28, 28, 1] → logit [b, 1]. */
export function buildDcgan28Discriminator(c: Dcgan28Config): tf.Sequential {
  const d = tf.sequential({ name: 'discriminator' });
  // [b, 28, 28, 1] -> [b, 14, 14, 64]; no BatchNorm on D's input layer (Radford et al. 2015, §3)
  d.add(
    tf.layers.conv2d({
      filters: c.ndf,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      inputShape: [...DCGAN28_IMAGE_SHAPE],
      name: 'd_conv1',
    }),
  );
  // [b, 14, 14, 64] -> [b, 14, 14, 64]
  d.add(tf.layers.leakyReLU({ alpha: c.leakySlope, name: 'd_lrelu1' }));
  /** conv (no bias: BatchNorm's β replaces it) → BatchNorm → LeakyReLU, 2·ndf maps, layers named by `id`. */
  const block = (id: string, kernelSize: number, strides: number) => {
    d.add(
      tf.layers.conv2d({
        filters: 2 * c.ndf,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        name: `d_conv${id}`,
      }),
    );
    d.add(batchNormalization({ momentum: c.bnMomentum, epsilon: c.bnEpsilon, name: `d_bn${id}` }));
    d.add(tf.layers.leakyReLU({ alpha: c.leakySlope, name: `d_lrelu${id}` }));
  };
  // [b, 14, 14, 64] -> [b, 7, 7, 128]
  block('2', 4, 2);
  // [b, 7, 7, 128] -> [b, 7, 7, 128]
  if (c.dConv7) block('7', 3, 1);
  // [b, 7, 7, 128] -> [b, 6272]
  d.add(tf.layers.flatten({ name: 'd_flatten' }));
  // [b, 6272] -> [b, 1] (logit)
  d.add(tf.layers.dense({ units: 1, name: 'd_logit' }));
  return d;
}
