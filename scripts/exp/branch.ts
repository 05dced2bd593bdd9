// Branch a run from one of its checkpoints with a lever switched on for the rest of the budget, to compare
// levers at the plateau without re-training the common start. Example:
//   npx tsx scripts/exp/branch.ts '{"run":"/tmp/exp/base","steps":2500,"every":500,"lrEnd":0}'
// Levers: lrEnd (linear lr decay of both players to lrEnd × lr over the branch), dLrScale (D's lr ×),
// translate (p: per-sample shifts in [−p, p] of every image D sees, real and fake, DiffAugment-style),
// batch (batch size in the branch), dropout (rate after each of D's LeakyReLUs). Scores the EMA G (1,000 samples) and D's train/held-out gap.
import { initBackend } from '../../src/backend';
import { loadMnist } from '../../src/data/mnist';
import { buildGenerator, buildModels } from '../../src/models';
import { loadCheckpoint } from '../../src/train/checkpoint';
import { restoreTrainingState } from '../../src/train/checkpointModels';
import { createTrainStep } from '../../src/train/step';
import { WeightEma } from '../../src/train/ema';
import { DigitMetrics } from '../../src/metrics/digits';
import { digitQuality } from '../../src/metrics/quality';
import { generateImages } from '../../src/analysis/generate';
import { Rng } from '../../src/util/rng';
import { digitRow } from './score';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

async function main() {
  const o = JSON.parse(process.argv[2]);
  const b = await initBackend();
  const run: string = o.run;
  const cfg = JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8'));
  const ckpt = loadCheckpoint(run);
  const start: number = ckpt.manifest.step;
  const models = buildModels(cfg.model, { config: cfg.modelConfig, seed: cfg.seed });
  models.ema = buildGenerator(models.name, models.config);
  if (o.dropout) {
    // the same layers (and weights) with dropout after each of D's LeakyReLUs
    const d2 = tf.sequential({ name: 'discriminator' });
    for (const l of models.discriminator.layers) {
      d2.add(l);
      if (l.name.startsWith('d_lrelu')) d2.add(tf.layers.dropout({ rate: o.dropout }));
    }
    (models as { discriminator: tf.LayersModel }).discriminator = d2;
  }
  const ema = new WeightEma(models.generator, models.ema, cfg.ema);
  const step = createTrainStep(models, { ...cfg.step, seed: cfg.seed });
  restoreTrainingState(
    ckpt,
    { models, trainStep: step, noiseRng: step.noiseRng } as never,
    cfg.numFixed,
  ).dispose();
  const lr0 = step.dOptimizer.config.lr;
  const glr0 = step.gOptimizer.config.lr;
  const dScale: number = o.dLrScale ?? 1;
  const setLr = (f: number) => {
    (step.dOptimizer.config as { lr: number }).lr = lr0 * f * dScale;
    (step.gOptimizer.config as { lr: number }).lr = glr0 * f;
  };
  const augRng = new Rng(777);
  if (o.translate) {
    // Shifts by slicing a padded batch, not src/metrics/classifier.ts's randomShift: that one crops with
    // tf.image.cropAndResize, which tfjs cannot differentiate, and G's update needs a gradient through D's input.
    const p: number = o.translate;
    const D = models.discriminator;
    const apply = D.apply.bind(D);
    D.apply = ((x: tf.Tensor4D, kw: never) => {
      const [n, h, w] = x.shape;
      const padded = tf.pad(
        x,
        [
          [0, 0],
          [p, p],
          [p, p],
          [0, 0],
        ],
        -1,
      );
      const parts = [];
      for (let i = 0; i < n; i++) {
        const dy = p + augRng.int(2 * p + 1) - p;
        const dx = p + augRng.int(2 * p + 1) - p;
        parts.push(tf.slice(padded, [i, dy, dx, 0], [1, h, w, -1]));
      }
      return apply(tf.concat(parts), kw);
    }) as never;
  }
  const ds = await loadMnist({ split: 'train' });
  const te = await loadMnist({ split: 'test' });
  const metrics = await DigitMetrics.load();
  const batch: number = o.batch ?? cfg.batchSize;
  const steps: number = o.steps;
  const every: number = o.every ?? 500;
  console.log(JSON.stringify({ backend: b.backend, from: start, opts: o }));
  const t0 = Date.now();
  const dGap = () =>
    tf.tidy(() =>
      [ds.take(1024), te.take(1024)].map((x) => {
        const parts = [];
        for (let i = 0; i < 1024; i += 64)
          parts.push(models.discriminator.apply(x.slice(i, 64), { training: true }) as tf.Tensor);
        return +tf
          .mean(tf.sign(tf.concat(parts)))
          .dataSync()[0]
          .toFixed(3);
      }),
    );
  let t = 0;
  let epoch = Math.floor((start * cfg.batchSize) / ds.count);
  while (t < steps) {
    for (const x of ds.batches(batch, { seed: cfg.seed + 1000, epoch })) {
      if (t >= steps) {
        x.dispose();
        break;
      }
      if (o.lrEnd !== undefined) setLr(1 + ((o.lrEnd - 1) * t) / steps);
      else setLr(1);
      const r = await step(x);
      x.dispose();
      t++;
      ema.update(start + t);
      if (t % every === 0) {
        const q = await digitQuality(metrics, generateImages(models.ema, models.prior, 1000, 4242));
        const [gTrain, gTest] = dGap();
        console.log(
          JSON.stringify({
            step: start + t,
            wall: Math.round((Date.now() - t0) / 1000),
            ...digitRow(q),
            dTrain: gTrain,
            dTest: gTest,
            dReal: +r.dReal.toFixed(2),
            dFake: +r.dFake.toFixed(2),
          }),
        );
      }
    }
    epoch++;
  }
}
main();
