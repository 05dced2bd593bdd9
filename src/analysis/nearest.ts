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

/** Per chunk of the reference set: each query's smallest squared distance and its index (on the device). */
function* chunkMinima(
  queries: tf.Tensor,
  reference: tf.Tensor,
  chunk: number,
): Generator<{ start: number; minVal: tf.Tensor; minIdx: tf.Tensor }, void, void> {
  const q = queries.shape[0];
  const d = queries.size / q;
  const n = reference.shape[0];
  if (reference.size / n !== d) {
    throw new Error(
      `Expected queries and reference examples of the same size, but got ${d} and ${reference.size / n} values each.`,
    );
  }
  const qFlat = tf.tidy(() => queries.reshape([q, d]));
  const qNorm = tf.tidy(() => tf.sum(tf.square(qFlat), 1, true));
  try {
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
      try {
        yield { start: s, minVal, minIdx };
      } finally {
        tf.dispose([minVal, minIdx]);
      }
    }
  } finally {
    tf.dispose([qFlat, qNorm]);
  }
}

function merge(
  best: Float32Array,
  indices: Int32Array,
  start: number,
  v: ArrayLike<number>,
  ix: ArrayLike<number>,
) {
  for (let i = 0; i < best.length; i++) {
    if (v[i] < best[i]) {
      best[i] = v[i];
      indices[i] = ix[i] + start;
    }
  }
}

/** Each query's nearest reference example (L2). Synchronous reads: cpu/wasm only (see nearestNeighboursAsync). */
export function nearestNeighbours(queries: tf.Tensor, reference: tf.Tensor, chunk = 2048): Neighbours {
  const q = queries.shape[0];
  const best = new Float32Array(q).fill(Infinity);
  const indices = new Int32Array(q);
  for (const c of chunkMinima(queries, reference, chunk)) {
    merge(best, indices, c.start, c.minVal.dataSync(), c.minIdx.dataSync());
  }
  return { indices, distances: best.map((v) => Math.sqrt(Math.max(v, 0))) };
}

/** `nearestNeighbours`, read with `await data()`: works on every backend, WebGPU included. */
export async function nearestNeighboursAsync(
  queries: tf.Tensor,
  reference: tf.Tensor,
  chunk = 2048,
): Promise<Neighbours> {
  const q = queries.shape[0];
  const best = new Float32Array(q).fill(Infinity);
  const indices = new Int32Array(q);
  for (const c of chunkMinima(queries, reference, chunk)) {
    const [v, ix] = await Promise.all([c.minVal.data(), c.minIdx.data()]);
    merge(best, indices, c.start, v, ix);
  }
  return { indices, distances: best.map((v) => Math.sqrt(Math.max(v, 0))) };
}
