// The saturation experiment of tutorial 02 on its own: step-by-step D(G(z)) and ‖∇G‖ for both losses.
import { initBackend } from '../../src/backend';
import { loadMnist } from '../../src/data/mnist';
import { saturationExperiment } from '../../src/analysis/saturation';
import * as tf from '@tensorflow/tfjs';
(async () => {
  await initBackend();
  const ds = await loadMnist({ split: 'train' });
  const n0 = tf.memory().numTensors;
  const t0 = Date.now();
  const r = await saturationExperiment({ dataset: ds, preSteps: 300, steps: 300, seed: 7 });
  console.log('sec', (Date.now() - t0) / 1000, 'leak', tf.memory().numTensors - n0, r.start);
  for (const k of ['minimax', 'nonsaturating'] as const) {
    const h = r.runs[k];
    const at = (i: number) => `${h[i].dFake.toFixed(4)}/${h[i].gGradNorm!.toExponential(2)}`;
    console.log(k, [0, 10, 50, 100, 200, 299].map(at).join('  '));
  }
})();
