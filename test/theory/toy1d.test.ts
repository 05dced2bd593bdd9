import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { kde, Toy1dGan } from '../../src/theory/toy1d';
import { grid, integrate, virtualTrainingCriterion } from '../../src/theory/minimax';

describe('1-D toy GAN (Figure 1)', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('KDE integrates to ~1', () => {
    const g = grid(-5, 5, 501);
    const samples = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 1.5);
    assert.ok(Math.abs(integrate(kde(samples, g), g.dx) - 1) < 0.01);
  });

  /**
   * What "p_g ≈ p_data" means for the toy (p_data = N(1, 0.5²)): G's samples have p_data's mean and spread,
   * and the JSD criterion C(G) = −log 4 + 2·JSD(p_data ‖ p_g) is near its minimum −log 4. Returns the
   * failed conditions (empty when G matches p_data).
   */
  function farFromData(toy: Toy1dGan): string[] {
    const m = toy.generatorMoments();
    const c = toy.snapshot(2000).criterion;
    const problems: string[] = [];
    if (!(Math.abs(m.mean - 1) < 0.15)) problems.push(`mean ${m.mean.toFixed(3)} not within 0.15 of 1`);
    if (!(Math.abs(m.std - 0.5) < 0.15)) problems.push(`std ${m.std.toFixed(3)} not within 0.15 of 0.5`);
    // 2·JSD < 0.12 (a point mass, or p_g shifted by one std, gives 2·JSD > 0.2; the fresh G gives ≈ 0.65).
    if (!(c + Math.log(4) < 0.12)) problems.push(`C(G) + log 4 = ${(c + Math.log(4)).toFixed(4)} ≥ 0.12`);
    return problems;
  }

  it('moves p_g onto p_data (mean, spread, JSD criterion near −log 4), without leaking tensors', () => {
    const toy = new Toy1dGan({ seed: 3, batchSize: 64, hidden: 16 });
    // The untrained G fails the same conditions: the check can fail.
    assert.ok(farFromData(toy).length >= 2, `untrained G: ${farFromData(toy).join('; ')}`);
    toy.trainStep();
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 400; i++) toy.trainStep();
    assert.equal(tf.memory().numTensors, n0, 'no tensor leaks across steps');
    assert.deepEqual(farFromData(toy), []);
    const snap = toy.snapshot(2000);
    assert.equal(snap.xs.length, snap.pG.length);
    assert.equal(snap.mapping.length, 24);
    // D* = p_data / (p_data + p_g) is ≈ ½ wherever the data lives once p_g ≈ p_data.
    const inData = snap.xs.map((x, i) => i).filter((i) => Math.abs(snap.xs[i] - 1) < 0.5);
    for (const i of inData)
      assert.ok(Math.abs(snap.dStar[i] - 0.5) < 0.15, `D*(${snap.xs[i]}) = ${snap.dStar[i]}`);
    toy.dispose();
  });

  it('a generator collapsed onto one point fails the criterion even at the data mean', () => {
    const g = grid(-3, 4, 701);
    const pData = Array.from(
      g.xs,
      (x) => Math.exp(-((x - 1) ** 2) / (2 * 0.25)) / Math.sqrt(2 * Math.PI * 0.25),
    );
    const collapsed = kde(
      Array.from({ length: 500 }, (_, i) => 1 + (i % 2 ? 1e-3 : -1e-3)),
      g,
    );
    const c = virtualTrainingCriterion(pData, collapsed, g.dx).viaJsd;
    assert.ok(c + Math.log(4) > 0.5, `C(G) + log 4 = ${c + Math.log(4)}`);
  });

  it('is seeded: same seed, same trajectory', () => {
    const run = () => {
      const t = new Toy1dGan({ seed: 11, batchSize: 32 });
      const h = Array.from({ length: 5 }, () => t.trainStep().dLoss);
      t.dispose();
      return h;
    };
    assert.deepEqual(run(), run());
  });
});

describe('1-D toy GAN: normal z and the R1 penalty', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it("D's slope matches central finite differences of its logit", () => {
    const toy = new Toy1dGan({ seed: 5, hidden: 8 });
    // x away from D's kinks, where the one-sided slopes agree
    const xs = [-1.3, 0.2, 0.9, 2.4];
    const slope = toy.discriminatorSlope(xs);
    const e = 1e-3;
    const up = toy.discriminatorLogit(xs.map((x) => x + e));
    const down = toy.discriminatorLogit(xs.map((x) => x - e));
    xs.forEach((x, i) => {
      const fd = (up[i] - down[i]) / (2 * e);
      assert.ok(Math.abs(fd - slope[i]) < 1e-2 * Math.max(1, Math.abs(fd)), `x=${x}: ${slope[i]} vs ${fd}`);
    });
    toy.dispose();
  });

  it('draws the mapping lines at equal steps of probability when z is normal', () => {
    const toy = new Toy1dGan({ seed: 5, zDist: 'normal', hidden: 8 });
    const z = toy.snapshot(100).mapping.map(([zz]) => zz);
    assert.equal(z.length, 24);
    // symmetric quantiles of N(0, 1): the first is Φ⁻¹(0.5/24) ≈ −2.037, the middle pair straddles 0
    assert.ok(Math.abs(z[0] + 2.0368) < 5e-3, `first line at ${z[0]}`); // simple-statistics probit: ~1e-3 rel.
    z.forEach((v, i) => assert.ok(Math.abs(v + z[23 - i]) < 1e-9));
    assert.throws(() => new Toy1dGan({ zDist: 'cauchy' as 'normal' }), /zDist/);
    toy.dispose();
  });

  it('R1 changes the joint updates, not the D-only ones, and leaks no tensors', () => {
    const run = (r1Gamma: number) => {
      const toy = new Toy1dGan({ seed: 6, batchSize: 32, hidden: 8, r1Gamma });
      toy.trainDiscriminatorOnly(3);
      const dOnly = toy.snapshot(50).d;
      toy.trainStep();
      const n0 = tf.memory().numTensors;
      const losses = Array.from({ length: 5 }, () => toy.trainStep().dLoss);
      assert.equal(tf.memory().numTensors, n0, `tensors leaked with r1Gamma ${r1Gamma}`);
      toy.dispose();
      return { dOnly, losses };
    };
    const off = run(0);
    const on = run(1);
    assert.deepEqual(on.dOnly, off.dOnly);
    assert.notDeepEqual(on.losses, off.losses);
    assert.throws(() => new Toy1dGan({ r1Gamma: -1 }), /r1Gamma ≥ 0/);
  });
});
