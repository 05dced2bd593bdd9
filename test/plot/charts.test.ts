// Chart specs: the right traces, names, axis titles and reference lines; smoothing by hand;
// D* against its closed form (Goodfellow et al. 2014, Prop. 1).
import { strict as assert } from 'assert';
import {
  dOutputChart,
  emaSmooth,
  lossChart,
  metricBarChart,
  metricLineChart,
  valueSurface,
} from '../../src/plot/charts';
import { figure } from '../../src/plot/figure';

const history = [0, 1, 2, 3].map((step) => ({
  step,
  dLoss: 1.4 - step * 0.1,
  gLoss: 0.7 + step * 0.1,
  dReal: 0.6,
  dFake: 0.4,
}));

describe('plot/charts', () => {
  it('smooths with a debiased EMA (TensorBoard), by hand', () => {
    const s = emaSmooth([1, 2, 3], 0.5);
    assert.equal(s[0], 1); // 0.5 / (1 - 0.5)
    assert.ok(Math.abs(s[1] - 1.25 / 0.75) < 1e-12);
    assert.ok(Math.abs(s[2] - 2.125 / 0.875) < 1e-12);
    assert.deepEqual(emaSmooth([3, 4], 0), [3, 4]);
    assert.throws(() => emaSmooth([1], 1), /smoothing weight in \[0, 1\), but got 1/);
  });

  it('lossChart: raw + smoothed dLoss and gLoss over step', () => {
    const fig = lossChart(history);
    assert.deepEqual(
      fig.data.map((t) => t.name),
      ['dLoss (raw)', 'dLoss (EMA 0.9)', 'gLoss (raw)', 'gLoss (EMA 0.9)'],
    );
    assert.deepEqual(fig.data[0].x, [0, 1, 2, 3]);
    assert.deepEqual(
      fig.data[0].y,
      history.map((r) => r.dLoss),
    );
    assert.equal(fig.layout.xaxis?.title && (fig.layout.xaxis.title as { text: string }).text, 'step');
    assert.equal((fig.layout.yaxis?.title as { text: string }).text, 'loss');
    assert.equal(fig.layout.title?.text, 'Training losses');
    assert.deepEqual(
      lossChart(history, { smoothing: 0 }).data.map((t) => t.name),
      ['dLoss', 'gLoss'],
    );
  });

  it('dOutputChart: dReal, dFake and the D = ½ line on [0, 1]', () => {
    const fig = dOutputChart(history, { raw: false });
    assert.deepEqual(
      fig.data.map((t) => t.name),
      ['dReal (EMA 0.9)', 'dFake (EMA 0.9)'],
    );
    assert.deepEqual(fig.layout.yaxis?.range, [0, 1]);
    const shapes = fig.layout.shapes as { y0: number; y1: number }[];
    assert.equal(shapes.length, 1);
    assert.deepEqual([shapes[0].y0, shapes[0].y1], [0.5, 0.5]);
  });

  it('rejects empty or incomplete histories, naming the record', () => {
    assert.throws(
      () => lossChart([]),
      /non-empty array of step records \{ step, dLoss, gLoss \}, but got an empty array/,
    );
    assert.throws(
      () => dOutputChart([{ step: 7, dLoss: 1, gLoss: 1 }]),
      /record 0 \(step 7\) to have a numeric dReal/,
    );
  });

  it('valueSurface: surface (3-D scene titles) or contour, checking the grid', () => {
    const s = valueSurface({
      x: [0, 1, 2],
      y: [0, 1],
      z: [
        [0, 1, 2],
        [1, 2, 3],
      ],
      xTitle: 'D',
      yTitle: 'G',
      markers: [{ x: 0, y: 0, z: 0, name: 'saddle' }],
    });
    assert.deepEqual(
      s.data.map((t) => t.type),
      ['surface', 'scatter3d'],
    );
    const scene = s.layout.scene as {
      xaxis: { title: { text: string } };
      zaxis: { title: { text: string } };
    };
    assert.equal(scene.xaxis.title.text, 'D');
    assert.equal(scene.zaxis.title.text, 'V');
    const c = valueSurface({ kind: 'contour', x: [0, 1], y: [0], z: [[1, 2]] });
    assert.equal(c.data[0].type, 'contour');
    assert.throws(() => valueSurface({ x: [0, 1], y: [0], z: [[1]] }), /row 0 has 1/);
    assert.throws(() => valueSurface({ x: [0], y: [0, 1], z: [[1]] }), /one row per y \(2\), but got 1 rows/);
  });

  it('metric bar and line charts: one trace per series', () => {
    const bars = metricBarChart({
      x: ['cpu', 'wasm'],
      series: [
        { name: 'img/s', values: [100, 250] },
        { name: 'ms/step', values: [9, 4] },
      ],
      yTitle: 'img/s',
    });
    assert.deepEqual(
      bars.data.map((t) => [t.type, t.name]),
      [
        ['bar', 'img/s'],
        ['bar', 'ms/step'],
      ],
    );
    assert.equal(bars.layout.barmode, 'group');
    const lines = metricLineChart({
      x: [1, 2, 3],
      series: [{ name: 'a', values: new Float32Array([1, 2, 3]) }],
    });
    assert.ok(Array.isArray(lines.data[0].y), 'typed arrays become plain arrays');
    assert.throws(
      () => metricBarChart({ x: ['a'], series: [{ name: 's', values: [1, 2] }] }),
      /series "s" to have one value per x \(1\)/,
    );
  });

  it('figure(): string titles become { text } (plotly.js 3), typed arrays become arrays', () => {
    const fig = figure([{ x: new Float64Array([1, 2]), y: [3, 4] }], {
      title: 'T',
      xaxis: { title: 'x' },
      yaxis2: { title: 'y2' },
    });
    assert.equal(fig.layout.title?.text, 'T');
    assert.deepEqual(fig.layout.xaxis?.title, { text: 'x' });
    assert.deepEqual((fig.layout.yaxis2 as { title: unknown }).title, { text: 'y2' });
    assert.deepEqual(fig.data[0].x, [1, 2]);
    assert.equal(fig.kind, 'figure');
    assert.throws(() => figure({} as never), /array of plotly traces/);
  });
});
