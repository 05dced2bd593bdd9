import { strict as assert } from 'assert';
import {
  frechetDistance,
  frechetDistanceOfFeatures,
  meanAndCovariance,
  sqrtmPsd,
  symmetricEigen,
} from '../../src/metrics/frechet';
import { modeCoverage } from '../../src/metrics/coverage';
import { Rng } from '../../src/util/rng';

function gaussianFeatures(rng: Rng, n: number, d: number, shift: number[] = [], scale = 1): Float64Array {
  const f = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) f[i * d + j] = rng.normal() * scale + (shift[j] ?? 0);
  return f;
}

describe('Fréchet distance', () => {
  it('eigendecomposes a symmetric matrix (A v = λ v)', () => {
    const a = [4, 1, 2, 1, 3, 0, 2, 0, 5];
    const { values, vectors } = symmetricEigen(a, 3);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += a[i * 3 + j] * vectors[j * 3 + k];
        assert.ok(Math.abs(av - values[k] * vectors[i * 3 + k]) < 1e-9);
      }
    }
    assert.ok(Math.abs(values.reduce((s, v) => s + v, 0) - 12) < 1e-9, 'trace preserved');
  });

  it('sqrtm(S)² = S for a random PSD matrix', () => {
    const rng = new Rng(5);
    const d = 6;
    const { cov } = meanAndCovariance(gaussianFeatures(rng, 50, d), 50, d);
    const r = sqrtmPsd(cov, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += r[i * d + k] * r[k * d + j];
        assert.ok(Math.abs(s - cov[i * d + j]) < 1e-9);
      }
    }
  });

  it('is 0 for equal sets and ‖Δμ‖² for shifted copies', () => {
    const rng = new Rng(1);
    const d = 8;
    const f = gaussianFeatures(rng, 400, d);
    assert.ok(frechetDistanceOfFeatures(f, 400, f, 400, d) < 1e-8);
    const shift = [1, -2, 0.5, 0, 0, 3, 0, 0];
    const shifted = f.map((v, i) => v + shift[i % d]);
    const expected = shift.reduce((s, v) => s + v * v, 0);
    assert.ok(Math.abs(frechetDistanceOfFeatures(f, 400, shifted, 400, d) - expected) < 1e-8);
  });

  it('matches the closed form for diagonal covariances: Σ (σ₁ − σ₂)²', () => {
    const c1 = [4, 0, 0, 0, 1, 0, 0, 0, 9];
    const c2 = [1, 0, 0, 0, 1, 0, 0, 0, 4];
    // (2−1)² + (1−1)² + (3−2)² = 2
    assert.ok(Math.abs(frechetDistance([0, 0, 0], c1, [0, 0, 0], c2) - 2) < 1e-9);
  });

  it('rejects mismatched shapes', () => {
    assert.throws(() => meanAndCovariance([1, 2, 3], 2, 2), /Expected 2×2 = 4/);
    assert.throws(() => frechetDistance([0], [1], [0, 0], [1, 0, 0, 1]), /Expected means of length d/);
  });
});

describe('mode coverage', () => {
  it('uniform predictions: all classes, KL 0; collapse: one class, KL log K', () => {
    const uniform = Array.from({ length: 1000 }, (_, i) => i % 10);
    const u = modeCoverage(uniform);
    assert.equal(u.classesCovered, 10);
    assert.ok(Math.abs(u.klToUniform) < 1e-12);
    const collapsed = modeCoverage(new Array(500).fill(7));
    assert.equal(collapsed.classesCovered, 1);
    assert.ok(Math.abs(collapsed.klToUniform - Math.log(10)) < 1e-12);
    assert.throws(() => modeCoverage([1, 12]), /class indices in \[0, 10\)/);
  });
});
