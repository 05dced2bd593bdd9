/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with its whole state explicit — first/second moments and the
 * step count t — so a checkpoint restores it bit for bit. (tf.train.adam rebuilds β^t with pow() on
 * load, which differs from its running product in the last bits, so a resumed run would drift.)
 * Update: m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; θ ← θ − lr·√(1 − β2^t)/(1 − β1^t) · m / (√v + ε̂).
 * On the wasm backend (with its training kernels) each variable is updated in one fused pass on the
 * heap (src/backend/wasm/adam.ts), bit for bit the op chain below; other backends run the chain.
 */
import * as tf from '@tensorflow/tfjs';
import { adamScalars, adamUpdateWasm, fusedAdamBackend, onHeap } from '../backend/wasm/adam';

export interface AdamConfig {
  /** Radford et al. 2015, §4: 0.0002 ("0.001 was too high"). */
  lr: number;
  /** Radford et al. 2015, §4: 0.5 ("0.9 resulted in training oscillation and instability"). */
  beta1: number;
  /** Kingma & Ba 2015 default 0.999 (also Radford et al.). */
  beta2: number;
  /** Kingma & Ba 2015 default 1e-8. */
  epsilon: number;
}

export const ADAM_DEFAULTS: Readonly<AdamConfig> = { lr: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };

/** `fused: false` forces the tfjs op chain on wasm too (for before/after measurements and tests). */
export const adamOptions = { fused: true };

export class Adam {
  readonly config: AdamConfig;
  /** Number of updates applied so far (t in the paper). */
  step = 0;
  private m: tf.Variable[];
  private v: tf.Variable[];

  constructor(
    readonly variables: tf.Variable[],
    config: Partial<AdamConfig> = {},
  ) {
    this.config = { ...ADAM_DEFAULTS, ...config };
    const { lr, beta1, beta2, epsilon } = this.config;
    if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new Error(
        `Expected lr > 0, 0 ≤ beta1, beta2 < 1 and epsilon > 0, but got ${JSON.stringify(this.config)}.`,
      );
    }
    // tidy frees the zerosLike temporaries; the variables themselves survive it.
    this.m = tf.tidy(() => variables.map((x) => tf.variable(tf.zerosLike(x), false)));
    this.v = tf.tidy(() => variables.map((x) => tf.variable(tf.zerosLike(x), false)));
  }

  /** Apply one update from gradients given in the same order as `variables`. */
  apply(grads: tf.Tensor[]): void {
    if (grads.length !== this.variables.length) {
      throw new Error(`Expected ${this.variables.length} gradients, but got ${grads.length}.`);
    }
    this.step += 1;
    const { lr, beta1, beta2, epsilon } = this.config;
    // Bias corrections in float64 on the host: exactly reproducible from t alone.
    const lrT = (lr * Math.sqrt(1 - Math.pow(beta2, this.step))) / (1 - Math.pow(beta1, this.step));
    const epsHat = epsilon * Math.sqrt(1 - Math.pow(beta2, this.step));
    const wasm = adamOptions.fused ? fusedAdamBackend() : null;
    if (wasm && onHeap(wasm, [...this.variables, ...this.m, ...this.v, ...grads])) {
      const s = adamScalars(beta1, beta2, lrT, epsHat);
      grads.forEach((g, i) => adamUpdateWasm(wasm, this.variables[i], this.m[i], this.v[i], g, s));
      return;
    }
    tf.tidy(() => {
      grads.forEach((g, i) => {
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        this.variables[i].assign(
          tf.sub(this.variables[i], tf.div(tf.mul(m, lrT), tf.add(tf.sqrt(v), epsHat))),
        );
      });
    });
  }

  /** Moments, in variable order: [m0, v0, m1, v1, …]. */
  stateTensors(): tf.Tensor[] {
    const out: tf.Tensor[] = [];
    this.m.forEach((m, i) => out.push(m, this.v[i]));
    return out;
  }

  /** Restore t and the moments (shapes checked); the inverse of `step` + `stateTensors()`. */
  setState(step: number, moments: tf.Tensor[]): void {
    if (!Number.isInteger(step) || step < 0)
      throw new Error(`Expected an optimizer step ≥ 0, but got ${step}.`);
    if (moments.length !== 2 * this.variables.length) {
      throw new Error(
        `Expected ${2 * this.variables.length} Adam moment tensors, but got ${moments.length}.`,
      );
    }
    moments.forEach((t, j) => {
      const target = j % 2 === 0 ? this.m[j >> 1] : this.v[j >> 1];
      if (!tf.util.arraysEqual(t.shape, target.shape)) {
        throw new Error(`Adam moment ${j}: expected shape [${target.shape}], but got [${t.shape}].`);
      }
      target.assign(t);
    });
    this.step = step;
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
