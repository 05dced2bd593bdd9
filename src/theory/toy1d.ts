/**
 * A 1-D toy GAN for rebuilding Goodfellow et al. 2014, Figure 1: p_data is a Gaussian, z is uniform (or normal),
 * G and D are small MLPs. `Toy1dGan.snapshot()` returns what the figure draws: p_data (dotted), p_g
 * (solid, a kernel density estimate of G's samples), D (dashed) against D*, and the z → x mapping.
 */
import * as tf from '@tensorflow/tfjs';
import { probit } from 'simple-statistics';
import { Rng } from '../util/rng';
import {
  gaussianOnGrid,
  grid,
  optimalD,
  valueFunction,
  virtualTrainingCriterion,
  type Grid,
} from './minimax';

export interface Toy1dConfig {
  /** p_data = N(dataMean, dataStd²). */
  dataMean: number;
  dataStd: number;
  /**
   * p_z: 'uniform' is U(zLow, zHigh), as in Goodfellow et al. 2014's Figure 1; 'normal' is N(0, 1). A ReLU G
   * is piecewise linear, so from a bounded uniform z its p_g has bounded support and flat pieces: measured on
   * Figure 1's run (scripts/exp/toy.ts, seeds 1 and 2), no setting of lr, decay, k, width, batch or R1
   * ended below 0.01 of −log 4 (the best 0.011); from z ~ N(0, 1) with R1 it reached 0.003.
   */
  zDist: 'uniform' | 'normal';
  /** The range of the uniform z. */
  zLow: number;
  zHigh: number;
  hidden: number;
  batchSize: number;
  /** D updates per G update (Algorithm 1's k). */
  k: number;
  lr: number;
  /**
   * Half-life of an exponential learning-rate decay, in joint steps: both optimizers use
   * lr·2^(−step/lrHalfLife), floored at lrMin (0 = constant lr; tfjs Adam reads its lr at every step).
   * Measured on Figure 1's run (seed 1, 3,000 steps, wasm): it did not help: halving 5e-4 every 400 steps
   * ended at C(G) + log 4 = 0.056, every 700 steps at 0.27 (G's spread shrank to 0.24), against 0.03 at a
   * constant lr; starting at 2e-3 froze G at 0.25. Off by default.
   */
  lrHalfLife: number;
  /** Floor of the decayed learning rate. */
  lrMin: number;
  /**
   * Decay of an exponential moving average of G's weights, used for snapshots and moments (0 = off); it
   * changes what is measured, not the training trajectory. Averaging the iterates damps the circling of
   * simultaneous gradient play (Yazıcı et al. 2019, "The unusual effectiveness of averaging in GAN training").
   * Measured on Figure 1's run: 0.995 ends at C(G) + log 4 = 0.029 (0.999 at 0.038: it still remembers early
   * steps); not yet within 0.01 of −log 4, which is limited by G's spread (std ≈ 0.57 against 0.5).
   */
  gEmaDecay: number;
  /**
   * Weight γ of the R1 gradient penalty on D in joint training (Mescheder et al. 2018, "Which training
   * methods for GANs do actually converge?"): D's loss gains (γ/2)·E[(∂ logit/∂x)²] on real data. It
   * damps the circling of G and D near the equilibrium, where D is flat and the penalty vanishes, so the
   * optimum p_g = p_data is unchanged. 0 = off. D-only training (panel b) never uses it.
   */
  r1Gamma: number;
  beta1: number;
  /** Generator loss: 'nonsaturating' (−log D(G(z))) or 'minimax' (log(1 − D(G(z)))). */
  loss: 'nonsaturating' | 'minimax';
  seed: number;
  /** Plot range for x. */
  xMin: number;
  xMax: number;
}

/** Defaults chosen so that the toy reaches p_g ≈ p_data within a few thousand steps on a CPU (at 2e-3 it oscillates around C(G) ≈ −1.3). */
export const TOY1D_DEFAULTS: Readonly<Toy1dConfig> = {
  dataMean: 1,
  dataStd: 0.5,
  zDist: 'uniform',
  zLow: -1,
  zHigh: 1,
  hidden: 32,
  batchSize: 256,
  k: 1,
  lr: 5e-4,
  lrHalfLife: 0,
  lrMin: 0,
  gEmaDecay: 0.995,
  r1Gamma: 0,
  beta1: 0.5,
  loss: 'nonsaturating',
  seed: 1,
  xMin: -3,
  xMax: 4,
};

export interface Toy1dSnapshot {
  step: number;
  xs: number[];
  pData: number[];
  pG: number[];
  d: number[];
  dStar: number[];
  /** Pairs (z, G(z)) for the mapping lines, z evenly spaced. */
  mapping: Array<[number, number]>;
  /** V(D, G) by quadrature on the grid, with the current D and p_g the KDE. */
  value: number;
  /** C(G) = max_D V = −log 4 + 2·JSD(p_data ‖ p_g): how far G is from the optimum (−log 4). */
  criterion: number;
  /** How many samples of G the KDE of p_g (and so C(G)) was computed from. */
  samples: number;
  /** What happened before this snapshot, for a panel caption (default: the step). */
  label?: string;
}

interface Mlp {
  vars: tf.Variable[];
  apply(x: tf.Tensor2D, weights?: readonly tf.Tensor[]): tf.Tensor2D;
  /**
   * The output and d out / d x for a 1-D input x [n, 1], both [n, 1], in one pass: the slope is carried
   * forward layer by layer (forward mode), so it is an ordinary expression in the weights that a gradient
   * tape can differentiate (no double backprop).
   */
  applyWithSlope(x: tf.Tensor2D): { out: tf.Tensor2D; slope: tf.Tensor2D };
}

/** An MLP with ReLU (`alpha` 0) or LeakyReLU(`alpha`) between its layers. */
function mlp(sizes: number[], rng: Rng, alpha: number): Mlp {
  const act = (t: tf.Tensor): tf.Tensor => (alpha === 0 ? tf.relu(t) : tf.leakyRelu(t, alpha));
  const vars: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i];
    const w = Float32Array.from({ length: fanIn * sizes[i + 1] }, () => rng.normal() * Math.sqrt(2 / fanIn));
    vars.push(tf.variable(tf.tensor2d(w, [fanIn, sizes[i + 1]]), true));
    vars.push(tf.variable(tf.zeros([sizes[i + 1]]), true));
  }
  return {
    vars,
    apply: (x, weights = vars) => {
      let h: tf.Tensor = x;
      for (let i = 0; i < weights.length; i += 2) {
        h = tf.add(tf.matMul(h as tf.Tensor2D, weights[i] as tf.Tensor2D), weights[i + 1]);
        if (i + 2 < weights.length) h = act(h);
      }
      return h as tf.Tensor2D;
    },
    applyWithSlope: (x) => {
      let h: tf.Tensor = x;
      // tangent dh/dx, [n, width]; the first layer's is W1 for every row
      let t: tf.Tensor = tf.mul(tf.onesLike(x), vars[0]);
      for (let i = 0; i < vars.length; i += 2) {
        if (i > 0) t = tf.matMul(t as tf.Tensor2D, vars[i] as tf.Tensor2D);
        h = tf.add(tf.matMul(h as tf.Tensor2D, vars[i] as tf.Tensor2D), vars[i + 1]);
        if (i + 2 < vars.length) {
          // the activation's slope (tf.step: 1 above 0, else α) is piecewise constant: its gradient is 0
          t = tf.mul(t, tf.step(h, alpha));
          h = act(h);
        }
      }
      return { out: h as tf.Tensor2D, slope: t as tf.Tensor2D };
    },
  };
}

/** Gaussian kernel density estimate of samples on a grid (Silverman's bandwidth). */
export function kde(samples: ArrayLike<number>, g: Grid): Float64Array {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (samples[i] - mean) ** 2;
  const std = Math.sqrt(v / Math.max(1, n - 1));
  const h = Math.max(1.06 * std * Math.pow(n, -1 / 5), 1e-3);
  const out = new Float64Array(g.xs.length);
  const c = 1 / (n * h * Math.sqrt(2 * Math.PI));
  for (let j = 0; j < g.xs.length; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = (g.xs[j] - samples[i]) / h;
      s += Math.exp(-0.5 * z * z);
    }
    out[j] = s * c;
  }
  return out;
}

export class Toy1dGan {
  readonly config: Toy1dConfig;
  step = 0;
  private readonly rng: Rng;
  /** Samples for snapshots and moments: a separate stream, so measuring does not change training. */
  private readonly evalRng: Rng;
  private readonly g: Mlp;
  /** EMA of G's weights (gEmaDecay > 0), else null: what snapshots and moments sample from. */
  private readonly gEma: tf.Variable[] | null;
  private readonly d: Mlp;
  private readonly gOpt: tf.Optimizer;
  private readonly dOpt: tf.Optimizer;
  private readonly grid: Grid;

  constructor(config: Partial<Toy1dConfig> = {}) {
    this.config = { ...TOY1D_DEFAULTS, ...config };
    const c = this.config;
    if (
      !(c.dataStd > 0) ||
      !(c.zHigh > c.zLow) ||
      (c.zDist !== 'uniform' && c.zDist !== 'normal') ||
      c.batchSize < 2 ||
      c.k < 1 ||
      !(c.lr > 0) ||
      !(c.lrHalfLife >= 0) ||
      !(c.lrMin >= 0 && c.lrMin <= c.lr) ||
      !(c.gEmaDecay >= 0 && c.gEmaDecay < 1) ||
      !(c.r1Gamma >= 0)
    ) {
      throw new Error(
        'Invalid toy config: expected dataStd > 0, zHigh > zLow, zDist "uniform" or "normal", batchSize ≥ 2, k ≥ 1, lr > 0, ' +
          `lrHalfLife ≥ 0, 0 ≤ lrMin ≤ lr, 0 ≤ gEmaDecay < 1, r1Gamma ≥ 0; got ${JSON.stringify(c)}.`,
      );
    }
    this.rng = new Rng(c.seed);
    this.evalRng = new Rng(c.seed + 0x9e3779b9);
    this.g = mlp([1, c.hidden, c.hidden, 1], this.rng, 0);
    this.d = mlp([1, c.hidden, c.hidden, 1], this.rng, 0.2);
    this.gEma = c.gEmaDecay > 0 ? this.g.vars.map((v) => tf.variable(v.clone(), false)) : null;
    this.gOpt = tf.train.adam(c.lr, c.beta1);
    this.dOpt = tf.train.adam(c.lr, c.beta1);
    this.grid = grid(c.xMin, c.xMax, 281);
  }

  /** The learning rate at the current step: lr·2^(−step/lrHalfLife), floored at lrMin. */
  learningRate(): number {
    const c = this.config;
    if (c.lrHalfLife === 0) return c.lr;
    return Math.max(c.lrMin, c.lr * Math.pow(2, -this.step / c.lrHalfLife));
  }

  private setLearningRate(lr: number): void {
    // tfjs declares Adam's learningRate protected, but reads it afresh on every applyGradients.
    for (const opt of [this.gOpt, this.dOpt]) (opt as unknown as { learningRate: number }).learningRate = lr;
  }

  private sampleZ(n: number, rng = this.rng): tf.Tensor2D {
    const c = this.config;
    return tf.tensor2d(
      Float32Array.from({ length: n }, () =>
        c.zDist === 'normal' ? rng.normal() : c.zLow + (c.zHigh - c.zLow) * rng.next(),
      ),
      [n, 1],
    );
  }

  private sampleData(n: number): tf.Tensor2D {
    const c = this.config;
    return tf.tensor2d(
      Float32Array.from({ length: n }, () => c.dataMean + c.dataStd * this.rng.normal()),
      [n, 1],
    );
  }

  /** k discriminator updates and one generator update (Algorithm 1); returns V on the last D batch. */
  trainStep(): { dLoss: number; gLoss: number; value: number } {
    const c = this.config;
    this.setLearningRate(this.learningRate());
    let dLoss = 0;
    let value = 0;
    for (let i = 0; i < c.k; i++) {
      const x = this.sampleData(c.batchSize);
      const z = this.sampleZ(c.batchSize);
      const cost = this.dOpt.minimize(
        () =>
          tf.tidy(() => {
            // With R1 the real batch's forward pass also carries D's slope (one pass for both).
            const withSlope = c.r1Gamma > 0 ? this.d.applyWithSlope(x) : null;
            const real = withSlope ? withSlope.out : this.d.apply(x);
            const fake = this.d.apply(this.g.apply(z));
            // −V: BCE with label 1 for real and 0 for fake, from logits (log σ(s) = −softplus(−s)).
            const lossReal = tf.mean(tf.softplus(tf.neg(real)));
            const lossFake = tf.mean(tf.softplus(fake));
            const loss = tf.add(lossReal, lossFake) as tf.Scalar;
            if (!withSlope) return loss;
            // R1 (Mescheder et al. 2018, eq. 9): (γ/2)·E_x~p_data[(∂D/∂x)²] on the real batch
            const r1 = tf.mul(c.r1Gamma / 2, tf.mean(tf.square(withSlope.slope)));
            return tf.add(loss, r1) as tf.Scalar;
          }),
        true,
        this.d.vars,
      );
      dLoss = cost ? cost.dataSync()[0] : NaN;
      value = -dLoss;
      cost?.dispose();
      x.dispose();
      z.dispose();
    }
    const z = this.sampleZ(c.batchSize);
    const gCost = this.gOpt.minimize(
      () =>
        tf.tidy(() => {
          const s = this.d.apply(this.g.apply(z));
          // non-saturating: −log D = softplus(−s); minimax: log(1 − D) = −softplus(s).
          return (
            c.loss === 'nonsaturating' ? tf.mean(tf.softplus(tf.neg(s))) : tf.neg(tf.mean(tf.softplus(s)))
          ) as tf.Scalar;
        }),
      true,
      this.g.vars,
    );
    const gLoss = gCost ? gCost.dataSync()[0] : NaN;
    gCost?.dispose();
    z.dispose();
    const ema = this.gEma;
    if (ema) {
      const b = c.gEmaDecay;
      // assign keeps the variable; tidy disposes the new value's tensor handle and the intermediates.
      tf.tidy(() => ema.forEach((e, i) => e.assign(tf.add(tf.mul(e, b), tf.mul(this.g.vars[i], 1 - b)))));
    }
    this.step++;
    return { dLoss, gLoss, value };
  }

  /** Train only D for `steps` updates with G fixed (Figure 1 (b): D converges towards D*). */
  trainDiscriminatorOnly(steps: number): void {
    this.setLearningRate(this.learningRate());
    for (let i = 0; i < steps; i++) {
      const x = this.sampleData(this.config.batchSize);
      const z = this.sampleZ(this.config.batchSize);
      this.dOpt.minimize(
        () =>
          tf.tidy(
            () =>
              tf.add(
                tf.mean(tf.softplus(tf.neg(this.d.apply(x)))),
                tf.mean(tf.softplus(this.d.apply(this.g.apply(z)))),
              ) as tf.Scalar,
          ),
        false,
        this.d.vars,
      );
      x.dispose();
      z.dispose();
    }
  }

  /** G(z) for n fresh z from the evaluation stream, with the averaged weights when gEmaDecay > 0. */
  private sampleG(n: number): tf.Tensor2D {
    return this.g.apply(this.sampleZ(n, this.evalRng), this.gEma ?? this.g.vars);
  }

  /** Everything Figure 1 draws, at the current step. */
  snapshot(samples = 4000, mappingLines = 24): Toy1dSnapshot {
    const c = this.config;
    const g = this.grid;
    const xs = Array.from(g.xs);
    const gz = tf.tidy(() => this.sampleG(samples).dataSync());
    const pG = kde(gz, g);
    const pData = gaussianOnGrid(g, c.dataMean, c.dataStd);
    const d = tf.tidy(() =>
      tf.sigmoid(this.d.apply(tf.tensor2d(Float32Array.from(g.xs), [g.xs.length, 1]))).dataSync(),
    );
    // Lines at equal steps of probability, as the paper's evenly spaced z on a uniform p_z: where they
    // crowd on the x line, p_g is dense.
    const zLine = Array.from({ length: mappingLines }, (_, i) =>
      c.zDist === 'normal'
        ? probit((i + 0.5) / mappingLines)
        : c.zLow + ((c.zHigh - c.zLow) * i) / (mappingLines - 1),
    );
    const mapped = tf.tidy(() =>
      this.g.apply(tf.tensor2d(zLine, [mappingLines, 1]), this.gEma ?? this.g.vars).dataSync(),
    );
    const dClamped = Float64Array.from(d, (v) => Math.min(Math.max(v, 1e-7), 1 - 1e-7));
    return {
      step: this.step,
      xs,
      pData: Array.from(pData),
      pG: Array.from(pG),
      d: Array.from(d),
      dStar: Array.from(optimalD(pData, pG)),
      mapping: zLine.map((z, i) => [z, mapped[i]]),
      value: valueFunction(pData, pG, dClamped, g.dx),
      criterion: virtualTrainingCriterion(pData, pG, g.dx).viaJsd,
      samples,
    };
  }

  /** D's logit at each x (D(x) = σ(logit)). */
  discriminatorLogit(xs: number[]): number[] {
    return Array.from(tf.tidy(() => this.d.apply(tf.tensor2d(xs, [xs.length, 1])).dataSync()));
  }

  /** ∂ logit/∂x of D at each x (what the R1 penalty squares on real data). */
  discriminatorSlope(xs: number[]): number[] {
    return Array.from(tf.tidy(() => this.d.applyWithSlope(tf.tensor2d(xs, [xs.length, 1])).slope.dataSync()));
  }

  /**
   * The estimator's floor: C(G) + log 4 when the KDE is built from `samples` draws of p_data itself,
   * i.e. what snapshot(samples) would report for a perfect G (KDE smoothing and sampling noise only).
   * Uses its own seeded generator, so it does not change the toy's trajectory.
   */
  estimatorFloor(samples = 20000, seed = 12345): number {
    const c = this.config;
    const rng = new Rng(seed);
    const xs = Float64Array.from({ length: samples }, () => c.dataMean + c.dataStd * rng.normal());
    const pData = gaussianOnGrid(this.grid, c.dataMean, c.dataStd);
    return virtualTrainingCriterion(pData, kde(xs, this.grid), this.grid.dx).viaJsd + Math.log(4);
  }

  /** Mean and std of G's samples: the test that G moved onto p_data. */
  generatorMoments(samples = 4000): { mean: number; std: number } {
    const v = tf.tidy(() => this.sampleG(samples).dataSync());
    let m = 0;
    for (const x of v) m += x;
    m /= v.length;
    let s = 0;
    for (const x of v) s += (x - m) ** 2;
    return { mean: m, std: Math.sqrt(s / (v.length - 1)) };
  }

  dispose(): void {
    for (const v of [...this.g.vars, ...this.d.vars, ...(this.gEma ?? [])]) v.dispose();
    this.gOpt.dispose();
    this.dOpt.dispose();
  }
}

export interface Figure1Options {
  /** Joint steps before panel (a) (a rough start: p_g off p_data, D partly trained). */
  warmupSteps: number;
  /** D-only steps between (a) and (b): D converges towards D* with G fixed. */
  dOnlySteps: number;
  /** Joint steps between (b) and (c), and between (c) and (d). */
  midSteps: number;
  endSteps: number;
  /** Samples of G behind each panel's KDE and C(G) (default 20,000: estimator floor ≈ 3·10⁻⁴ nats). */
  panelSamples?: number;
  /** Called every `every` joint steps with the current state (for a live view). */
  every?: number;
  onProgress?: (snapshot: Toy1dSnapshot, curve: ReadonlyArray<CriterionPoint>) => void;
}

export interface CriterionPoint {
  step: number;
  /** C(G) = −log 4 + 2·JSD(p_data ‖ p_g), p_g by KDE. */
  criterion: number;
  /** V(D, G) with the current D (equals C(G) only when D = D*). */
  value: number;
}

export interface Figure1Result {
  /** Panels (a)–(d). */
  panels: Toy1dSnapshot[];
  /** C(G) every `every` joint steps (KDE of 1,500 samples each). */
  curve: CriterionPoint[];
  seconds: number;
}

/** Run the toy through the four moments of Figure 1 and collect the panels and the V curve. */
export function rebuildFigure1(toy: Toy1dGan, o: Figure1Options): Figure1Result {
  const t0 = Date.now();
  const curve: CriterionPoint[] = [];
  const every = o.every ?? 100;
  const record = (): void => {
    const snap = toy.snapshot(1500);
    curve.push({ step: toy.step, criterion: snap.criterion, value: snap.value });
    o.onProgress?.(snap, curve);
  };
  const joint = (n: number): void => {
    for (let i = 0; i < n; i++) {
      toy.trainStep();
      if (toy.step % every === 0) record();
    }
  };
  record();
  joint(o.warmupSteps);
  const n = o.panelSamples ?? 20000;
  const panels = [
    { ...toy.snapshot(n), label: o.warmupSteps > 0 ? `after ${o.warmupSteps} steps` : 'start' },
  ];
  toy.trainDiscriminatorOnly(o.dOnlySteps);
  panels.push({ ...toy.snapshot(n), label: `D alone, ${o.dOnlySteps} steps` });
  joint(o.midSteps);
  panels.push({ ...toy.snapshot(n), label: `step ${toy.step}` });
  joint(o.endSteps);
  panels.push({ ...toy.snapshot(n), label: `step ${toy.step}` });
  return { panels, curve, seconds: (Date.now() - t0) / 1000 };
}
