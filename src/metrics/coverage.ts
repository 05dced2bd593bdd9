/**
 * Mode coverage from a classifier's predictions on generated digits: the class histogram, how many
 * classes appear, and KL(histogram ‖ uniform) — 0 when every class is equally frequent, log K when
 * the generator collapsed onto a single class.
 */
export interface Coverage {
  counts: number[];
  /** Classes predicted for at least `minShare` of the samples. */
  classesCovered: number;
  /** KL(p̂ ‖ U) in nats. */
  klToUniform: number;
}

export function modeCoverage(predictions: ArrayLike<number>, numClasses = 10, minShare = 0.01): Coverage {
  if (predictions.length === 0) throw new Error('Expected at least one prediction, but got none.');
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < predictions.length; i++) {
    const c = predictions[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new Error(`Expected class indices in [0, ${numClasses}), but got ${c} at position ${i}.`);
    }
    counts[c]++;
  }
  const n = predictions.length;
  let kl = 0;
  for (const k of counts) if (k > 0) kl += (k / n) * Math.log((k / n) * numClasses);
  return { counts, classesCovered: counts.filter((k) => k / n >= minShare).length, klToUniform: kl };
}
