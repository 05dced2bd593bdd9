import { strict as assert } from 'assert';
import { initBackend } from '../../src/backend';
import {
  criterionChart,
  densityChart,
  figure1,
  generatorGradientChart,
  optimalDiscriminator,
  pointwiseObjectiveChart,
} from '../../src/theory/figures';
import { rebuildFigure1, Toy1dGan } from '../../src/theory/toy1d';

describe('tutorial 01 figures', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('Figure 1: four panels, each with p_data, p_g, D, D* and the mapping, one legend', () => {
    const toy = new Toy1dGan({ seed: 2, batchSize: 32, hidden: 8 });
    const progress: number[] = [];
    const r = rebuildFigure1(toy, {
      warmupSteps: 0,
      dOnlySteps: 5,
      midSteps: 10,
      endSteps: 10,
      every: 5,
      onProgress: (s) => progress.push(s.step),
    });
    assert.equal(r.panels.length, 4);
    assert.deepEqual(progress, [0, 5, 10, 15, 20]);
    assert.equal(r.curve.length, 5);
    const fig = figure1(r.panels);
    assert.equal(fig.data.length, 4 * 5);
    assert.equal(fig.data.filter((t) => t.showlegend).length, 5);
    assert.deepEqual(
      fig.data.slice(0, 5).map((t) => t.name),
      ['p_data', 'p_g', 'D(x)', 'D*(x)', 'z → x = G(z)'],
    );
    assert.ok('xaxis4' in fig.layout && 'yaxis4' in fig.layout);
    assert.match(JSON.stringify(fig.layout.annotations), /\(b\) D alone, 5 steps.*\(d\) step 20/);
    const c = criterionChart(r.curve);
    assert.equal(c.data.length, 3);
    // Each panel's C(G) is −log 4 + 2·JSD(p_data ‖ p_g) of the densities it draws (JSD by an independent
    // Riemann sum here), and the chart plots the recorded curve.
    const dx = r.panels[0].xs[1] - r.panels[0].xs[0];
    for (const p of r.panels) {
      let js = 0;
      p.pData.forEach((a, i) => {
        const b = p.pG[i];
        const m = (a + b) / 2;
        if (a > 0) js += 0.5 * a * Math.log(a / m) * dx;
        if (b > 0) js += 0.5 * b * Math.log(b / m) * dx;
      });
      assert.ok(
        Math.abs(p.criterion - (-Math.log(4) + 2 * js)) < 2e-3,
        `${p.label}: ${p.criterion} vs JSD ${js}`,
      );
    }
    assert.deepEqual(
      c.data[0].y,
      r.curve.map((q) => q.criterion),
    );
    toy.dispose();
  });

  it('objective and gradient charts carry the right traces', () => {
    const p = pointwiseObjectiveChart([
      [1, 1],
      [0.3, 0.7],
    ]);
    assert.equal(p.data.length, 4);
    assert.deepEqual(p.data[1].x, [0.5]);
    const g = generatorGradientChart();
    assert.equal(g.data.length, 2);
    assert.match(String(g.data[0].name), /minimax/);
  });

  it('D*(x) = p_data / (p_data + p_g), ½ where both vanish', () => {
    const close = (a: unknown, b: number[]) =>
      (a as number[]).every((v, i) => Math.abs(v - b[i]) < 1e-12) && (a as number[]).length === b.length;
    assert.ok(close(optimalDiscriminator([0.2, 0.3, 0], [0.2, 0.1, 0]), [0.5, 0.75, 0.5]));
    const fig = densityChart({
      x: [0, 1, 2],
      pData: [0.2, 0.3, 0],
      pG: [0.2, 0.1, 0],
      d: [0.5, 0.6, 0.4],
      dStar: true,
    });
    assert.deepEqual(
      fig.data.map((t) => t.name),
      ['p_data', 'p_g', 'D(x)', 'D*(x)'],
    );
    assert.ok(close(fig.data[3].y, [0.5, 0.75, 0.5]));
    // Goodfellow et al. 2014, Fig. 1: data black dotted, p_g green solid, D blue dashed.
    assert.equal(fig.data[0].line?.dash, 'dot');
    assert.equal(fig.data[2].line?.dash, 'dash');
    assert.throws(
      () => densityChart({ x: [0, 1], pData: [1] }),
      /pData to have one value per x \(2\), but got 1/,
    );
    assert.throws(() => densityChart({ x: [0], pData: [1], dStar: true }), /Expected pG when dStar is true/);
  });
});
