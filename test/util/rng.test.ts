import { strict as assert } from 'assert';
import { Rng } from '../../src/util/rng';

describe('Rng', () => {
  it('is deterministic per seed and resumable from its state', () => {
    const a = new Rng(42);
    const first = [a.next(), a.next(), a.next()];
    const again = new Rng(42);
    assert.deepEqual([again.next(), again.next(), again.next()], first);
    const b = new Rng(42);
    b.next();
    const state = b.getState();
    const rest = [b.next(), b.next()];
    const resumed = new Rng(0).setState(state);
    assert.deepEqual([resumed.next(), resumed.next()], rest);
    assert.deepEqual(rest, first.slice(1));
    assert.notEqual(new Rng(43).next(), first[0]);
  });

  it('draws uniform [0,1) and standard normal values with the right moments', () => {
    const r = new Rng(7);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      assert.ok(u >= 0 && u < 1);
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    assert.ok(Math.abs(sum / n) < 0.03, `mean ${sum / n}`);
    assert.ok(Math.abs(sq / n - 1) < 0.05, `variance ${sq / n}`);
  });

  it('permutes every index exactly once', () => {
    const p = new Rng(1).permutation(1000);
    assert.deepEqual(
      Array.from(p).sort((x, y) => x - y),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.notDeepEqual(Array.from(p.slice(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a non-finite seed', () => {
    assert.throws(() => new Rng(NaN), /finite numeric seed/);
  });
});
