/**
 * A/B of the fused wasm Adam against the tfjs op chain, interleaved in one process (loaded machines
 * make separate runs incomparable): Adam alone on each model's real weights, then whole training steps.
 * Usage: npx tsx scripts/bench-adam-ab.ts [--rounds 4] [--steps 3] [--models mlp-gan-mnist,dcgan-28,dcgan-64] [--adam-only]
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { benchModel, parseBenchModel } from '../src/cli/bench';
import { buildModels, disposeModels } from '../src/models';
import { Adam, adamOptions } from '../src/train/adam';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const rounds = Number(arg('rounds', '4'));
const steps = Number(arg('steps', '3'));
const models = arg('models', 'mlp-gan-mnist,dcgan-28,dcgan-64').split(',');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** CPU ms (all threads) per Adam update of all of G's and D's weights. */
function adamOnly(model: string, fused: boolean, reps: number): number {
  const m = buildModels(parseBenchModel(model).model, { seed: 0 });
  const vars = [m.generator, m.discriminator].flatMap((n) =>
    n.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const grads = vars.map((v) => tf.randomNormal(v.shape, 0, 1e-3));
  const opt = new Adam(vars, {});
  adamOptions.fused = fused;
  opt.apply(grads); // warm-up
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) opt.apply(grads);
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000 / reps;
  adamOptions.fused = true;
  opt.dispose();
  tf.dispose(grads);
  disposeModels(m);
  return ms;
}

(async () => {
  const report = await initBackend({});
  console.log(
    `${report.backend} — ${report.device}; load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  for (const model of models) {
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [true, false] : [false, true];
      for (const fused of order) (fused ? a : b).push(adamOnly(model, fused, 5));
    }
    console.log(
      `${model}: Adam alone (G + D weights), CPU time: fused ${median(a).toFixed(1)} ms, chain ${median(b).toFixed(1)} ms, ` +
        `chain/fused ${(median(b) / median(a)).toFixed(2)}×`,
    );
  }
  if (process.argv.includes('--adam-only')) return;
  for (const model of models) {
    const a: number[] = [];
    const b: number[] = [];
    const ca: number[] = [];
    const cb: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [true, false] : [false, true];
      for (const fused of order) {
        adamOptions.fused = fused;
        const c0 = process.cpuUsage();
        const res = await benchModel({ model, batch: 64, steps, warmup: 1 });
        const c = process.cpuUsage(c0);
        (fused ? a : b).push(res.msPerStep);
        (fused ? ca : cb).push((c.user + c.system) / 1000 / (steps + 1));
      }
      adamOptions.fused = true;
    }
    console.log(
      `${model}: step fused ${median(a).toFixed(1)} ms, chain ${median(b).toFixed(1)} ms, ` +
        `chain/fused ${(median(b) / median(a)).toFixed(3)}×; CPU ms/step (all threads, incl. build and warm-up) ` +
        `fused ${median(ca).toFixed(0)}, chain ${median(cb).toFixed(0)}, ${(median(cb) / median(ca)).toFixed(3)}× (rounds: fused ${a.map((x) => x.toFixed(0))}, chain ${b.map((x) => x.toFixed(0))})`,
    );
  }
  console.log(
    `load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
})();
