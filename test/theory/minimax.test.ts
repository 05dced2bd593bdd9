import { strict as assert } from 'assert';
import {
  argmaxPointwise,
  gaussianOnGrid,
  generatorGradientMagnitudes,
  grid,
  integrate,
  jsd,
  optimalD,
  valueFunction,
  virtualTrainingCriterion,
} from '../../src/theory/minimax';

describe('minimax theory (Goodfellow et al. 2014)', () => {
  const g = grid(-12, 12, 4001);

  it('y ↦ a log y + b log(1−y) peaks at a/(a+b)', () => {
    for (const [a, b] of [
      [1, 1],
      [0.3, 0.7],
      [2.5, 0.1],
    ]) {
      assert.ok(Math.abs(argmaxPointwise(a, b) - a / (a + b)) < 1e-7);
    }
  });

  it('quadrature integrates a Gaussian to 1', () => {
    assert.ok(Math.abs(integrate(gaussianOnGrid(g, 0.5, 1.3), g.dx) - 1) < 1e-9);
  });

  it('C(G) = −log 4 + 2·JSD for pairs of Gaussians, and D* beats any other D', () => {
    for (const [m1, s1, m2, s2] of [
      [0, 1, 0, 1],
      [0, 1, 1, 1],
      [0, 1, 3, 0.5],
      [-2, 0.7, 2, 2],
    ]) {
      const p = gaussianOnGrid(g, m1, s1);
      const q = gaussianOnGrid(g, m2, s2);
      const r = virtualTrainingCriterion(p, q, g.dx);
      assert.ok(Math.abs(r.cG - r.viaJsd) < 1e-6, `C(G) ${r.cG} vs ${r.viaJsd}`);
      assert.ok(r.jsd >= -1e-12 && r.jsd <= Math.log(2) + 1e-9);
      const worse = optimalD(p, q).map((d) => Math.min(Math.max(d * 0.8 + 0.15, 1e-9), 1 - 1e-9));
      assert.ok(valueFunction(p, q, worse, g.dx) < r.cG);
    }
  });

  it('at p_g = p_data: D* = ½ everywhere and V = −log 4', () => {
    const p = gaussianOnGrid(g, 1, 0.5);
    assert.ok(optimalD(p, p).every((d) => d === 0.5));
    const r = virtualTrainingCriterion(p, p, g.dx);
    assert.ok(Math.abs(r.cG + Math.log(4)) < 1e-9);
    assert.ok(Math.abs(jsd(p, p, g.dx)) < 1e-12);
  });

  it('the minimax generator gradient vanishes as D(G(z)) → 0; the non-saturating one does not', () => {
    const early = generatorGradientMagnitudes(1e-3);
    assert.ok(early.minimax < 0.01 && early.nonSaturating > 0.99);
    const late = generatorGradientMagnitudes(0.5);
    assert.equal(late.minimax, late.nonSaturating);
    assert.throws(() => generatorGradientMagnitudes(1), /in \(0, 1\)/);
  });
});
