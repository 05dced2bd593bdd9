/**
 * The GAN value function in closed form and by quadrature (Goodfellow et al. 2014, §4):
 * V(D, G) = E_x~p_data[log D(x)] + E_x~p_g[log(1 − D(x))], the optimal discriminator
 * D*(x) = p_data / (p_data + p_g) (Prop. 1), and C(G) = max_D V = −log 4 + 2·JSD(p_data ‖ p_g) (Thm. 1).
 * Pure numbers, no tensors: tutorial 01 checks every identity numerically with these.
 */

/** A grid for 1-D quadrature: `n` points spanning [lo, hi]. */
export interface Grid {
  xs: Float64Array;
  dx: number;
}

export function grid(lo: number, hi: number, n: number): Grid {
  if (!(hi > lo) || !Number.isInteger(n) || n < 3) {
    throw new Error(`Expected lo < hi and an integer n ≥ 3, but got lo=${lo}, hi=${hi}, n=${n}.`);
  }
  const xs = new Float64Array(n);
  const dx = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) xs[i] = lo + i * dx;
  return { xs, dx };
}

/** Trapezoidal rule ∫ f dx over the grid. */
export function integrate(values: ArrayLike<number>, dx: number): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * (i === 0 || i === values.length - 1 ? 0.5 : 1);
  return s * dx;
}

export function gaussianPdf(x: number, mean: number, std: number): number {
  const z = (x - mean) / std;
  return Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI));
}

/** A 1-D Gaussian as a density on a grid. */
export function gaussianOnGrid(g: Grid, mean: number, std: number): Float64Array {
  return g.xs.map((x) => gaussianPdf(x, mean, std));
}

/** y ↦ a·log y + b·log(1 − y): the pointwise objective D maximises; its maximum is at a/(a+b). */
export function pointwiseObjective(a: number, b: number, y: number): number {
  return a * Math.log(y) + b * Math.log(1 - y);
}

/** argmax over y ∈ (0, 1) of a·log y + b·log(1 − y), found numerically (golden-section search). */
export function argmaxPointwise(a: number, b: number, tol = 1e-10): number {
  let lo = 1e-12;
  let hi = 1 - 1e-12;
  const phi = (Math.sqrt(5) - 1) / 2;
  while (hi - lo > tol) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (pointwiseObjective(a, b, m1) < pointwiseObjective(a, b, m2)) lo = m1;
    else hi = m2;
  }
  return (lo + hi) / 2;
}

/** D*(x) = p_data(x) / (p_data(x) + p_g(x)); ½ where both densities vanish. */
export function optimalD(pData: ArrayLike<number>, pG: ArrayLike<number>): Float64Array {
  const out = new Float64Array(pData.length);
  for (let i = 0; i < out.length; i++) {
    const s = pData[i] + pG[i];
    out[i] = s > 0 ? pData[i] / s : 0.5;
  }
  return out;
}

/** V(D, G) = ∫ p_data log D + p_g log(1 − D) dx, for a discriminator given on the grid. */
export function valueFunction(
  pData: ArrayLike<number>,
  pG: ArrayLike<number>,
  d: ArrayLike<number>,
  dx: number,
): number {
  const f = new Float64Array(pData.length);
  for (let i = 0; i < f.length; i++) {
    // Where one density underflows, D* rounds to exactly 0 or 1; clamping keeps those (vanishing) terms finite.
    const di = Math.min(Math.max(d[i], Number.MIN_VALUE), 1 - Number.EPSILON / 2);
    const a = pData[i] > 0 ? pData[i] * Math.log(di) : 0;
    const b = pG[i] > 0 ? pG[i] * Math.log(1 - di) : 0;
    f[i] = a + b;
  }
  return integrate(f, dx);
}

/** KL(p ‖ q) = ∫ p log(p/q) dx (terms with p = 0 contribute 0). */
export function kl(p: ArrayLike<number>, q: ArrayLike<number>, dx: number): number {
  const f = new Float64Array(p.length);
  for (let i = 0; i < f.length; i++) f[i] = p[i] > 0 ? p[i] * Math.log(p[i] / q[i]) : 0;
  return integrate(f, dx);
}

/** JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2; between 0 and log 2. */
export function jsd(p: ArrayLike<number>, q: ArrayLike<number>, dx: number): number {
  const m = new Float64Array(p.length);
  for (let i = 0; i < m.length; i++) m[i] = (p[i] + q[i]) / 2;
  return 0.5 * kl(p, m, dx) + 0.5 * kl(q, m, dx);
}

export interface VirtualTrainingCriterion {
  /** C(G) = V(D*, G) by quadrature. */
  cG: number;
  /** −log 4 + 2·JSD(p_data ‖ p_g). */
  viaJsd: number;
  jsd: number;
}

/** Theorem 1, both sides: C(G) computed directly and through the JSD. */
export function virtualTrainingCriterion(
  pData: ArrayLike<number>,
  pG: ArrayLike<number>,
  dx: number,
): VirtualTrainingCriterion {
  const d = optimalD(pData, pG);
  const j = jsd(pData, pG, dx);
  return { cG: valueFunction(pData, pG, d, dx), viaJsd: -Math.log(4) + 2 * j, jsd: j };
}

/**
 * Gradients of the two generator losses with respect to D's logit s, where D = σ(s):
 * minimax  log(1 − D):  d/ds = −D      (→ 0 as D → 0: vanishes exactly when G is bad and D is sure)
 * non-saturating −log D: d/ds = −(1 − D) (→ −1 as D → 0: strong signal early in training)
 * Both push D(G(z)) up; magnitudes are what differ. Returned as |gradient|.
 */
export function generatorGradientMagnitudes(dOfGz: number): { minimax: number; nonSaturating: number } {
  if (!(dOfGz > 0 && dOfGz < 1)) throw new Error(`Expected D(G(z)) in (0, 1), but got ${dOfGz}.`);
  return { minimax: dOfGz, nonSaturating: 1 - dOfGz };
}
