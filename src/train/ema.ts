/**
 * An exponential moving average of the generator's weights, the network we sample from (Yazıcı et al.
 * 2019, "The Unusual Effectiveness of Averaging in GAN Training"; Karras et al. 2018 use it for every
 * figure). Training still updates G itself; after each step the copy moves a little towards it:
 *   ema ← d·ema + (1 − d)·w,   d = min(decay, (1 + t) / (10 + t))   (t = steps so far; the warm-up keeps the
 * early average from being dominated by the random init). BatchNorm's moving statistics are averaged too.
 */
import * as tf from '@tensorflow/tfjs';

export class WeightEma {
  private readonly pairs: Array<[tf.LayerVariable, tf.LayerVariable]>;

  /** `average` must have the same architecture as `source`; it starts as a copy of `source`. */
  constructor(
    readonly source: tf.LayersModel,
    readonly average: tf.LayersModel,
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) throw new Error(`Expected an EMA decay in (0, 1), but got ${decay}.`);
    const src = source.weights;
    const dst = average.weights;
    if (src.length !== dst.length || src.some((w, i) => w.shape.join() !== dst[i].shape.join())) {
      throw new Error('The EMA copy does not have the architecture of the generator it averages.');
    }
    this.pairs = src.map((w, i) => [w, dst[i]]);
    this.copy();
  }

  /** Set the average to the current weights. */
  copy(): void {
    tf.tidy(() => {
      for (const [w, a] of this.pairs) a.write(w.read().clone());
    });
  }

  /** The decay used after `step` steps (1-based). */
  decayAt(step: number): number {
    return Math.min(this.decay, (1 + step) / (10 + step));
  }

  /** Move the average towards the current weights, after training step `step` (1-based). */
  update(step: number): void {
    const d = this.decayAt(step);
    tf.tidy(() => {
      for (const [w, a] of this.pairs) {
        const cur = a.read();
        // a + (1 − d)(w − a) = d·a + (1 − d)·w, in two kernels
        a.write(tf.add(cur, tf.mul(tf.sub(w.read(), cur), 1 - d)));
      }
    });
  }
}
