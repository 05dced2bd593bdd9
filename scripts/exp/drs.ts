// Probe: discriminator rejection sampling (Azadi et al. 2019, here a plain top-fraction by D's logit):
// draw N samples from a run's (averaged) G, keep the share D scores most real, score them with the digit
// metrics. D is the run's last discriminator.
//   npx tsx scripts/exp/drs.ts runs/x [4000]
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { DigitMetrics } from '../../src/metrics/digits';
import { digitQuality } from '../../src/metrics/quality';
import { digitRow } from './score';
import { samplingGenerator } from '../../src/models';
import { loadGenerator } from '../../src/train/checkpointModels';
import { generateImages } from '../../src/analysis/generate';

async function main() {
  await initBackend();
  const run = process.argv[2];
  const n = Number(process.argv[3] ?? 4000);
  const { models, step } = loadGenerator(run);
  const metrics = await DigitMetrics.load();
  for (const [which, g] of [
    ['avg', samplingGenerator(models)],
    ['raw', models.generator],
  ] as const) {
    const imgs = generateImages(g, models.prior, n, 4242);
    const logits = (models.discriminator.predict(imgs, { batchSize: 500 }) as tf.Tensor).dataSync();
    const order = [...logits.keys()].sort((a, b) => logits[b] - logits[a]);
    for (const f of [1, 0.75, 0.5, 0.25]) {
      // a fixed-stride subset of 1000 of the kept ones (they are in D's order; stride keeps the spread)
      const kept = order.slice(0, Math.round(n * f)).sort((a, b) => a - b);
      const keep = kept
        .filter((_, i) => i % Math.max(1, Math.floor(kept.length / 1000)) === 0)
        .slice(0, 1000);
      const sel = tf.gather(imgs, keep) as tf.Tensor4D;
      const q = await digitQuality(metrics, sel);
      sel.dispose();
      console.log(
        JSON.stringify({
          run,
          step,
          which,
          keep: f,
          n: keep.length,
          ...digitRow(q),
        }),
      );
    }
    imgs.dispose();
  }
}
main();
