// Where `gan train` loses against `gan bench` on the MLP: the time of each epoch-end piece (render of the fixed
// samples, the CLI's PNG grid, the checkpoint) against the steps' own time. npx tsx scripts/exp/epochcost.ts [steps]
import { initBackend } from '../../src/backend';
import { loadDataset } from '../../src/data';
import { train } from '../../src/train/engine';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

async function main() {
  await initBackend();
  const dataset = await loadDataset('mnist');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'epochcost-'));
  let last = performance.now();
  const gaps = { step: { ms: 0, n: 0 }, epochEnd: { ms: 0, n: 0 }, checkpoint: { ms: 0, n: 0 } };
  /** Add the time since the previous callback to `g`. */
  const lap = (g: { ms: number; n: number }) => {
    const t = performance.now();
    g.ms += t - last;
    g.n++;
    last = t;
  };
  const mean = (g: { ms: number; n: number }) => (g.ms / g.n).toFixed(1);
  const r = await train({
    model: 'mlp-gan',
    dataset,
    outDir,
    batchSize: 64,
    maxSteps: Number(process.argv[2] ?? 1000),
    numEpochs: 1000,
    callbacks: {
      onStep: () => lap(gaps.step),
      onEpochEnd: () => lap(gaps.epochEnd),
      onCheckpoint: () => lap(gaps.checkpoint),
    },
  });
  console.log(
    `${r.steps} steps at ${r.imgPerSec.toFixed(0)} img/s: steps ${mean(gaps.step)} ms each; ` +
      `to the epoch-end callback (render) ${mean(gaps.epochEnd)} ms × ${gaps.epochEnd.n}; ` +
      `checkpoint ${mean(gaps.checkpoint)} ms × ${gaps.checkpoint.n}`,
  );
  fs.rmSync(outDir, { recursive: true, force: true });
}
main();
