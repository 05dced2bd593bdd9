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
  const gaps = { step: 0, steps: 0, epochEnd: 0, checkpoint: 0, epochs: 0, checkpoints: 0 };
  const r = await train({
    model: 'mlp-gan',
    dataset,
    outDir,
    batchSize: 64,
    maxSteps: Number(process.argv[2] ?? 1000),
    numEpochs: 1000,
    callbacks: {
      onStep: () => {
        const t = performance.now();
        gaps.step += t - last;
        gaps.steps++;
        last = t;
      },
      onEpochEnd: () => {
        const t = performance.now();
        gaps.epochEnd += t - last;
        gaps.epochs++;
        last = t;
      },
      onCheckpoint: () => {
        const t = performance.now();
        gaps.checkpoint += t - last;
        gaps.checkpoints++;
        last = t;
      },
    },
  });
  console.log(
    `${r.steps} steps at ${r.imgPerSec.toFixed(0)} img/s: steps ${(gaps.step / gaps.steps).toFixed(1)} ms each; ` +
      `to the epoch-end callback (render) ${(gaps.epochEnd / gaps.epochs).toFixed(1)} ms × ${gaps.epochs}; ` +
      `checkpoint ${(gaps.checkpoint / gaps.checkpoints).toFixed(1)} ms × ${gaps.checkpoints}`,
  );
  fs.rmSync(outDir, { recursive: true, force: true });
}
main();
