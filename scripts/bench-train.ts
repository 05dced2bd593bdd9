/**
 * `gan train` against `gan bench` for the same model and batch, interleaved in one process (loaded
 * machines make separate runs incomparable). Per round: bench (its timed steps), then train() on
 * MNIST for warm-up + timed steps, timing the loop between progress callbacks (data batch, step,
 * weight average, history, callbacks) and the step alone (the history's ms).
 * Usage: npx tsx scripts/bench-train.ts [--model mlp-gan] [--batch 64] [--steps 10] [--rounds 3]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../src/backend';
import { benchModel, parseBenchModel } from '../src/cli/bench';
import { loadDataset } from '../src/data';
import { disposeModels } from '../src/models';
import { train } from '../src/train/engine';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const model = parseBenchModel(arg('model', 'mlp-gan')).model;
const batch = Number(arg('batch', '64'));
const steps = Number(arg('steps', '10'));
const rounds = Number(arg('rounds', '3'));
const warmup = 2;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

(async () => {
  const report = await initBackend({});
  const dataset = await loadDataset('mnist');
  console.log(`${model}, batch ${batch}: ${report.backend} — ${report.device}; load ${load()}`);
  const bench: number[] = [];
  const loop: number[] = [];
  const stepOnly: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so a drift in the machine's load favours neither.
    if (r % 2 === 0) bench.push((await benchModel({ model, batch, steps, warmup })).msPerStep);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-bench-train-'));
    const stamps: number[] = [];
    const ms: number[] = [];
    const res = await train({
      model,
      dataset,
      batchSize: batch,
      maxSteps: warmup + steps,
      numEpochs: 100,
      seed: r,
      outDir,
      callbacks: {
        onStep: (rec) => {
          stamps.push(performance.now());
          ms.push(rec.ms);
        },
      },
    });
    disposeModels(res.models);
    fs.rmSync(outDir, { recursive: true, force: true });
    if (r % 2 === 1) bench.push((await benchModel({ model, batch, steps, warmup })).msPerStep);
    loop.push((stamps[stamps.length - 1] - stamps[warmup]) / (steps - 1));
    stepOnly.push(ms.slice(warmup + 1).reduce((a, b) => a + b, 0) / (steps - 1));
    console.log(
      `round ${r}: bench ${bench[r].toFixed(1)} ms/step, train loop ${loop[r].toFixed(1)}, train step ${stepOnly[r].toFixed(1)}`,
    );
  }
  const b = median(bench);
  console.log(
    `median: bench ${b.toFixed(1)} ms/step (${((batch * 1000) / b).toFixed(0)} img/s); train loop ${median(loop).toFixed(1)} ` +
      `(${((batch * 1000) / median(loop)).toFixed(0)} img/s, ${(median(loop) / b).toFixed(3)}× bench); ` +
      `train step alone ${median(stepOnly).toFixed(1)} (${(median(stepOnly) / b).toFixed(3)}×); load ${load()}`,
  );
})();
