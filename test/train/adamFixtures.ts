/** Shared by adamFused.test.ts and its single-thread child (adamFusedChild.ts). */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { Adam, adamOptions } from '../../src/train/adam';
import { Rng } from '../../src/util/rng';

/** The float32 bit patterns, so −0/+0 and NaN payloads count too. */
export function bits(t: tf.Tensor): Uint32Array {
  return new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer);
}

export function assertBitEqual(a: tf.Tensor[], b: tf.Tensor[], what: string): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    const xa = bits(x);
    const xb = bits(b[i]);
    let diff = 0;
    for (let j = 0; j < xa.length; j++) if (xa[j] !== xb[j]) diff++;
    assert.equal(diff, 0, `${what}, tensor ${i} [${x.shape}]: ${diff} of ${xa.length} elements differ`);
  });
}

/** Values spanning many binades, with exact zeros and a few subnormal-sized ones. */
export function awkward(rng: Rng, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    out[i] =
      r < 0.05 ? 0 : r < 0.08 ? 1e-39 * rng.normal() : scale * rng.normal() * Math.exp(8 * rng.normal());
  }
  return out;
}

/** Run `steps` Adam updates from the same start with the fused path on or off; returns weights and moments. */
export function runAdam(
  fused: boolean,
  shapes: number[][],
  steps: number,
  shareBuffers: boolean,
): tf.Tensor[] {
  adamOptions.fused = fused;
  try {
    const rng = new Rng(11);
    const vars = shapes.map((s) =>
      tf.tidy(() => tf.variable(tf.tensor(awkward(rng, tf.util.sizeFromShape(s), 0.1), s))),
    );
    const opt = new Adam(vars, { lr: 2e-4, beta1: 0.5, beta2: 0.999 });
    const held: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      // A clone shares the variable's buffer on wasm (Identity): the update must not write through it.
      const clones = shareBuffers ? vars.map((v) => v.clone()) : [];
      const before = clones.map((c) => c.dataSync().slice());
      const grads = shapes.map((s) =>
        tf.tensor(awkward(rng, tf.util.sizeFromShape(s), 10 ** ((t % 5) - 3)), s),
      );
      opt.apply(grads);
      clones.forEach((c, i) =>
        assert.deepEqual(c.dataSync(), before[i], 'a clone changed with its variable'),
      );
      tf.dispose([...grads, ...clones]);
    }
    for (const v of [...vars, ...opt.stateTensors()]) held.push(v.clone());
    opt.dispose();
    tf.dispose(vars);
    return held;
  } finally {
    adamOptions.fused = true;
  }
}
