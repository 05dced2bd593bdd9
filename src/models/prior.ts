/**
 * The distribution z is drawn from (`sampleNoise` in src/train/step.ts draws it).
 *
 * `modes = 0`: z ~ N(0, I), as Radford et al. 2015 and most GANs since.
 * `modes = K > 0`: a mixture of K Gaussians with separated, fixed means,
 *   z = ε + scale·e_c,   ε ~ N(0, I),   c uniform in {0, …, K − 1},   e_c the c-th unit vector.
 * Why: G is a continuous function, so it maps a connected latent space onto a connected set of images;
 * with one Gaussian some samples must fall between the modes of the data, e.g. blends of two digits
 * (Khayatkhoei et al. 2018, "Disconnected Manifold Learning for Generative Adversarial Networks").
 * Separated latent modes let G keep such regions out of its samples. DeLiGAN (Gurumurthy et al. 2017)
 * learns the means and spreads of such a mixture; here they are fixed, so nothing else changes. G is
 * told nothing about c (no labels, no extra loss): which mode draws which digit is G's own choice.
 */
export interface LatentPrior {
  /** Size of z. */
  dim: number;
  /** Number of mixture components K (0: one standard Gaussian). */
  modes: number;
  /** Distance of each component's mean from the origin, along its own axis. */
  scale: number;
}

/** What samplers accept: a prior, or a bare size for N(0, I). */
export type Latent = number | LatentPrior;

/** The prior of a model config; configs without `latentModes` draw from N(0, I). */
export function latentPrior(config: {
  latentDim: number;
  latentModes?: number;
  latentModeScale?: number;
}): LatentPrior {
  return { dim: config.latentDim, modes: config.latentModes ?? 0, scale: config.latentModeScale ?? 0 };
}

/** `latent` as a prior (a bare size is N(0, I)). */
export function asPrior(latent: Latent): LatentPrior {
  return typeof latent === 'number' ? { dim: latent, modes: 0, scale: 0 } : latent;
}
