// Recipe exploration (how the levers in src/train/recipes.ts were measured): train on the embedded MNIST
// with options from a JSON argument, score the EMA generator (and the last iterate, and extra EMA decays)
// every N steps with the digit metrics. Example:
//   npx tsx scripts/exp/mnist.ts '{"steps":3000,"every":500,"ema":0.999,"modelConfig":{"gBatchNorm":true}}'
import { initBackend } from '../../src/backend';
import { loadMnist } from '../../src/data/mnist';
import { train } from '../../src/train';
import { DigitMetrics } from '../../src/metrics/digits';
import { digitQuality } from '../../src/metrics/quality';
import { digitRow } from './score';
import { samplingGenerator, buildGenerator, type GanModels } from '../../src/models';
import { WeightEma } from '../../src/train/ema';
import { generateImages } from '../../src/analysis/generate';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/util/rng';
import { sampleNoise } from '../../src/train/step';

let models: GanModels | undefined;
let extra: Array<{ d: number | string; e: WeightEma }> = [];

async function main() {
  const o = JSON.parse(process.argv[2]);
  const every = o.every ?? 500;
  const b = await initBackend();
  const ds = await loadMnist({ split: 'train' });
  const metrics = await DigitMetrics.load();
  const t0 = Date.now();
  let trainMs = 0;
  let last = Date.now();
  console.log(JSON.stringify({ backend: b.backend, opts: o }));
  await train({
    model: o.model ?? 'mlp-gan',
    modelConfig: o.modelConfig,
    dataset: ds,
    numEpochs: 1000,
    maxSteps: o.steps,
    batchSize: o.batch ?? 64,
    seed: o.seed ?? 1,
    step: o.step,
    ema: o.ema,
    ...(o.out ? { outDir: o.out } : {}),
    callbacks: {
      onStart: (info) => {
        const m = info.models;
        models = m;
        // o.emas: extra decays, each a number (the engine's warm-up) or [decay, k] for the warm-up
        // min(decay, (1 + t) / (k + t)) — an average over about the last t / (k − 1) steps until the cap
        extra = ((o.emas ?? []) as Array<number | [number, number]>).map((x) => {
          const [d, k] = typeof x === 'number' ? [x, 10] : x;
          const e = new WeightEma(m.generator, buildGenerator(m.name, m.config), d);
          e.decayAt = (t: number) => Math.min(d, (1 + t) / (k + t));
          return { d: k === 10 ? d : `${d}k${k}`, e };
        });
      },
      onStep: async (r) => {
        trainMs += Date.now() - last;
        for (const x of extra) x.e.update(r.step);
        if (r.step % every === 0 && models) {
          const imgs = generateImages(samplingGenerator(models), models.prior, 1000, 4242);
          const q = await digitQuality(metrics, imgs);
          imgs.dispose();
          // o.bnTrain: also score the averaged G with BatchNorm on batch statistics (batches of 250)
          let bt: Record<string, number> = {};
          if (o.bnTrain) {
            const g = samplingGenerator(models);
            const rng = new Rng(4242);
            const parts = [0, 1, 2, 3].map(() =>
              tf.tidy(() => g.apply(sampleNoise(rng, 250, models!.prior), { training: true }) as tf.Tensor4D),
            );
            const im = tf.concat(parts) as tf.Tensor4D;
            tf.dispose(parts);
            const qb = await digitQuality(metrics, im);
            im.dispose();
            bt = { btConf: +qb.confident.toFixed(3), btFid: +qb.classifierFid.toFixed(1) };
          }
          const raw = models.ema ? generateImages(models.generator, models.prior, 1000, 4242) : undefined;
          const qr = raw ? await digitQuality(metrics, raw) : undefined;
          raw?.dispose();
          const ex: Record<string, number> = {};
          for (const x of extra) {
            const im = generateImages(x.e.average, models.prior, 1000, 4242);
            const qq = await digitQuality(metrics, im);
            im.dispose();
            ex[`conf${x.d}`] = +qq.confident.toFixed(3);
            ex[`cls${x.d}`] = qq.classesCovered;
            ex[`fid${x.d}`] = +qq.classifierFid.toFixed(1);
          }
          console.log(
            JSON.stringify({
              step: r.step,
              trainSec: +(trainMs / 1000).toFixed(0),
              wall: +((Date.now() - t0) / 1000).toFixed(0),
              ...digitRow(q),
              ...(qr
                ? {
                    rawConf: +qr.confident.toFixed(3),
                    rawCls: qr.classesCovered,
                    rawFid: +qr.classifierFid.toFixed(1),
                  }
                : {}),
              ...ex,
              ...bt,
              dReal: +r.dReal.toFixed(2),
              dFake: +r.dFake.toFixed(2),
            }),
          );
        }
        last = Date.now();
      },
    },
  });
}
main();
