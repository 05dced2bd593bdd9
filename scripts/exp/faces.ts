// Faces recipe exploration: dcgan-32 on the stand-in at 32×32 (data/celeba); sample grids under /tmp/exp/NAME and
// the diversity ratio every N steps. Example: npx tsx scripts/exp/faces.ts '{"name":"f1","steps":3000,"ema":0.999}'
import * as fs from 'fs';
import { initBackend } from '../../src/backend';
import { loadCeleba } from '../../src/data/celeba';
import { train } from '../../src/train';
import { samplingGenerator, type GanModels } from '../../src/models';
import { generateImages } from '../../src/analysis/generate';
import { diversityRatio } from '../../src/analysis/diversity';
import { imageGrid } from '../../src/plot/imageGrid';

let models: GanModels | undefined;

async function main() {
  const o = JSON.parse(process.argv[2]);
  const every = o.every ?? 500;
  await initBackend();
  const ds = await loadCeleba({ dir: 'data/celeba', size: o.size ?? 32 });
  const real = ds.take(500, 1000);
  const t0 = Date.now();
  fs.mkdirSync(`/tmp/exp/${o.name}`, { recursive: true });
  await train({
    model: o.model ?? 'dcgan-32',
    modelConfig: o.modelConfig ?? { ngf: 32, ndf: 32 },
    dataset: ds,
    numEpochs: 1000,
    maxSteps: o.steps,
    batchSize: o.batch ?? 64,
    seed: o.seed ?? 1,
    step: o.step,
    ema: o.ema,
    callbacks: {
      onStart: (info) => {
        models = info.models;
      },
      onStep: async (r) => {
        if (r.step % every === 0 && models) {
          const imgs = generateImages(samplingGenerator(models), models.prior, 500, 4242);
          const d = diversityRatio(imgs, real);
          fs.writeFileSync(
            `/tmp/exp/${o.name}/step${r.step}.png`,
            imageGrid(imgs.slice(0, 64), { nrow: 8 }).png,
          );
          imgs.dispose();
          console.log(
            JSON.stringify({
              step: r.step,
              wall: +((Date.now() - t0) / 1000).toFixed(0),
              div: +d.ratio.toFixed(3),
              dReal: +r.dReal.toFixed(2),
              dFake: +r.dFake.toFixed(2),
              ms: +r.ms.toFixed(0),
            }),
          );
        }
      },
    },
  });
}
main();
