import { strict as assert } from 'assert';
import { initBackend } from '../../src/backend';
import {
  criterionChart,
  figure1,
  generatorGradientChart,
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
    assert.ok(
      r.panels.every((p) => p.criterion >= -Math.log(4) - 1e-6),
      'C(G) ≥ −log 4',
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
});
