import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { diversityRatio, meanPairwiseDistance } from '../../src/analysis/diversity';

describe('analysis: sample diversity (mode-collapse alarm)', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('matches the mean pairwise distance by hand and is 0 for a collapsed batch', () => {
    // Points 0, 3 and 4 on a line (as 1×1×1 images): distances 3, 4, 1 → mean 8/3.
    const x = tf.tensor4d([0, 3, 4], [3, 1, 1, 1]);
    assert.ok(Math.abs(meanPairwiseDistance(x) - 8 / 3) < 1e-5);
    const same = tf.ones([5, 2, 2, 3]);
    assert.equal(meanPairwiseDistance(same), 0);
    const r = diversityRatio(same, x);
    assert.equal(r.ratio, 0);
    assert.throws(() => meanPairwiseDistance(tf.ones([1, 2])), /at least 2/);
    tf.dispose([x, same]);
  });
});
