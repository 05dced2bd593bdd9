/**
 * Nearest training examples in pixel space (L2), for Goodfellow et al. 2014 Figure 2: each generated
 * sample beside its closest training image shows whether the generator memorised the training set.
 * ‖a − b‖² = ‖a‖² + ‖b‖² − 2·a·b, computed as one matrix product per chunk of the training set.
 */
import * as tf from '@tensorflow/tfjs';

export interface Neighbours {
  /** Index into the reference set of each query's nearest example. */
  indices: Int32Array;
  /** Its L2 distance. */
  distances: Float32Array;
}

export function nearestNeighbours(queries: tf.Tensor, reference: tf.Tensor, chunk = 2048): Neighbours {
  const q = queries.shape[0];
  const d = queries.size / q;
  const n = reference.shape[0];
  if (reference.size / n !== d) {
    throw new Error(
      `Expected queries and reference examples of the same size, but got ${d} and ${reference.size / n} values each.`,
    );
  }
  const best = new Float32Array(q).fill(Infinity);
  const indices = new Int32Array(q);
  const qFlat = tf.tidy(() => queries.reshape([q, d]));
  const qNorm = tf.tidy(() => tf.sum(tf.square(qFlat), 1, true));
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const [minVal, minIdx] = tf.tidy(() => {
      const r = reference.slice(s, m).reshape([m, d]);
      const d2 = tf.add(
        tf.sub(qNorm, tf.mul(2, tf.matMul(qFlat, r, false, true))),
        tf.sum(tf.square(r), 1).reshape([1, m]),
      );
      return [tf.min(d2, 1), tf.argMin(d2, 1)];
    });
    const v = minVal.dataSync();
    const ix = minIdx.dataSync();
    for (let i = 0; i < q; i++) {
      if (v[i] < best[i]) {
        best[i] = v[i];
        indices[i] = ix[i] + s;
      }
    }
    tf.dispose([minVal, minIdx]);
  }
  tf.dispose([qFlat, qNorm]);
  return { indices, distances: best.map((v) => Math.sqrt(Math.max(v, 0))) };
}
