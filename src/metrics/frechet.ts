/**
 * The Fréchet distance between two Gaussians fitted to feature sets (Heusel et al. 2017, "FID"):
 * d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^½). The matrix square root is done properly: with
 * A = Σ₁^½ (symmetric, by eigendecomposition), Tr (Σ₁Σ₂)^½ = Tr (A Σ₂ A)^½, a symmetric PSD matrix.
 */

/** Row-major n×d features → mean (d) and unbiased covariance (d×d), in float64. */
export function meanAndCovariance(
  features: ArrayLike<number>,
  n: number,
  d: number,
): { mean: Float64Array; cov: Float64Array } {
  if (features.length !== n * d)
    throw new Error(`Expected ${n}×${d} = ${n * d} feature values, but got ${features.length}.`);
  if (n < 2) throw new Error(`Expected at least 2 feature vectors for a covariance, but got ${n}.`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = features[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { mean, cov };
}

/**
 * Eigendecomposition of a symmetric d×d matrix by cyclic Jacobi rotations.
 * Returns eigenvalues and eigenvectors (columns of `vectors`, row-major d×d).
 */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  d: number,
  tol = 1e-12,
  maxSweeps = 100,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        total += a[p * d + q] ** 2;
        if (p !== q) off += a[p * d + q] ** 2;
      }
    }
    if (off <= tol * tol * Math.max(total, 1e-300)) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * d + p];
        const aqq = a[q * d + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}

/** Principal square root of a symmetric PSD matrix (tiny negative eigenvalues from rounding → 0). */
export function sqrtmPsd(matrix: ArrayLike<number>, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = Math.sqrt(Math.max(values[k], 0));
    if (s === 0) continue;
    for (let i = 0; i < d; i++) {
      const vik = vectors[i * d + k] * s;
      if (vik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += vik * vectors[j * d + k];
    }
  }
  return out;
}

function matmul(a: Float64Array, b: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  }
  return out;
}

/** Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂). */
export function frechetDistance(
  mu1: ArrayLike<number>,
  cov1: ArrayLike<number>,
  mu2: ArrayLike<number>,
  cov2: ArrayLike<number>,
): number {
  const d = mu1.length;
  if (mu2.length !== d || cov1.length !== d * d || cov2.length !== d * d) {
    throw new Error(
      `Expected means of length d and d×d covariances; got ${mu1.length}, ${mu2.length}, ${cov1.length}, ${cov2.length}.`,
    );
  }
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (mu1[i] - mu2[i]) ** 2;
  const a = sqrtmPsd(cov1, d);
  const m = matmul(matmul(a, cov2, d), a, d);
  // Symmetrise against rounding before the eigendecomposition.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const s = (m[i * d + j] + m[j * d + i]) / 2;
      m[i * d + j] = s;
      m[j * d + i] = s;
    }
  }
  const { values } = symmetricEigen(m, d);
  let trSqrt = 0;
  for (const v of values) trSqrt += Math.sqrt(Math.max(v, 0));
  let tr = 0;
  for (let i = 0; i < d; i++) tr += cov1[i * d + i] + cov2[i * d + i];
  return Math.max(meanTerm + tr - 2 * trSqrt, 0);
}

/** Fréchet distance between two row-major feature sets (n₁×d and n₂×d). */
export function frechetDistanceOfFeatures(
  f1: ArrayLike<number>,
  n1: number,
  f2: ArrayLike<number>,
  n2: number,
  d: number,
): number {
  const a = meanAndCovariance(f1, n1, d);
  const b = meanAndCovariance(f2, n2, d);
  return frechetDistance(a.mean, a.cov, b.mean, b.cov);
}
