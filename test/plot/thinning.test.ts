/** Long runs stay small in a notebook: history charts draw ≤ ~1,000 points a line, animations ≤ 16 frames. */
import { strict as assert } from 'assert';
import { lossChart, MAX_CHART_POINTS, type StepRecord } from '../../src/plot/charts';
import { liveTrainingView } from '../../src/plot/liveView';

const rec = (step: number): StepRecord => ({
  step,
  epoch: 0,
  dLoss: 1 + Math.sin(step),
  gLoss: 2,
  dReal: 0.5,
  dFake: 0.5,
  imgPerSec: 1,
  ms: 1,
});

describe('plot size limits', () => {
  it('thins a 6,000-step history to ≤ 1,001 points per line, keeping the last step', () => {
    const h = Array.from({ length: 6000 }, (_, i) => rec(i + 1));
    const fig = lossChart(h);
    for (const t of fig.data) {
      const x = t.x as number[];
      assert.ok(x.length <= MAX_CHART_POINTS + 1, `${t.name}: ${x.length} points`);
      assert.equal(x[x.length - 1], 6000);
    }
    assert.match(String(fig.data[0].name), /every 6th step/);
  });

  it('animates at most maxFrames evenly spaced grids, the first and last included', async () => {
    const view = liveTrainingView({ every: 1000 });
    for (let i = 0; i < 40; i++) {
      await view.onSamples({ shape: [1, 2, 2, 1], dataSync: () => new Float32Array(4).fill(i / 40) }, i);
    }
    assert.equal(view.animation({ maxFrames: 5 }).frames.length, 5);
    assert.equal(view.animation().frames.length, 16);
    assert.equal(view.animation({ maxFrames: 100 }).frames.length, 40);
    view.close();
  });
});
