/**
 * GAN losses computed from D's logits ℓ (never from probabilities), so they stay finite for any ℓ.
 * Goodfellow et al. 2014, eq. 1: min_G max_D V = E[log D(x)] + E[log(1 − D(G(z)))], D = σ(ℓ).
 * Stable identities used throughout: −log σ(ℓ) = softplus(−ℓ), −log(1 − σ(ℓ)) = softplus(ℓ),
 * softplus(ℓ) = max(ℓ, 0) + log1p(exp(−|ℓ|)).
 */
import * as tf from '@tensorflow/tfjs';

export const GEN_LOSS_NAMES = ['minimax', 'nonsaturating'] as const;
export type GenLossName = (typeof GEN_LOSS_NAMES)[number];

export function parseGenLoss(raw: string): GenLossName {
  if ((GEN_LOSS_NAMES as readonly string[]).includes(raw)) return raw as GenLossName;
  throw new Error(`Unknown generator loss "${raw}". Expected one of: ${GEN_LOSS_NAMES.join(', ')}.`);
}

/** softplus(ℓ) = log(1 + e^ℓ) = max(ℓ, 0) + log1p(e^−|ℓ|): no overflow for large |ℓ|. */
export function stableSoftplus(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.relu(logits), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
}

/**
 * Mean binary cross-entropy of targets y against σ(ℓ):
 * BCE(ℓ, y) = −[y log σ(ℓ) + (1 − y) log(1 − σ(ℓ))] = softplus(ℓ) − y·ℓ.
 */
export function bceFromLogits(logits: tf.Tensor, target: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(stableSoftplus(logits), tf.mul(logits, target))) as tf.Scalar);
}

/**
 * Discriminator loss, the negated value function summed over the real and the fake batch
 * (as the PyTorch DCGAN tutorial's errD = errD_real + errD_fake):
 * L_D = BCE(ℓ_real, 1 − s) + BCE(ℓ_fake, 0) = mean softplus(−ℓ_real) + mean softplus(ℓ_fake) when s = 0.
 * `labelSmoothing` s is one-sided (Salimans et al. 2016, §3.4): only real targets become 1 − s.
 */
export function discriminatorLoss(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  labelSmoothing = 0,
): tf.Scalar {
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
    throw new Error(`Expected labelSmoothing in [0, 1), but got ${labelSmoothing}.`);
  }
  return tf.tidy(() => tf.add(bceFromLogits(realLogits, 1 - labelSmoothing), bceFromLogits(fakeLogits, 0)));
}

/**
 * Minimax (saturating) generator loss, Goodfellow et al. 2014, eq. 1 — G minimises
 * L_G = mean log(1 − D(G(z))) = −mean softplus(ℓ_fake). Its gradient vanishes when D rejects fakes
 * confidently (ℓ_fake ≪ 0), which is why the paper suggests the non-saturating form.
 */
export function generatorLossMinimax(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(stableSoftplus(fakeLogits))) as tf.Scalar);
}

/**
 * Non-saturating generator loss, Goodfellow et al. 2014, §3 — G maximises log D(G(z)) instead:
 * L_G = −mean log D(G(z)) = mean softplus(−ℓ_fake) = BCE(ℓ_fake, 1).
 */
export function generatorLossNonSaturating(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(stableSoftplus(tf.neg(fakeLogits))) as tf.Scalar);
}

export function generatorLoss(name: GenLossName, fakeLogits: tf.Tensor): tf.Scalar {
  return name === 'minimax' ? generatorLossMinimax(fakeLogits) : generatorLossNonSaturating(fakeLogits);
}
