// The faces-dcgan CPU recipe trained with the backend's current kernels, a checkpoint every 200 steps up to
// maxSteps: how fast, and (scripts/exp/fig7rate.ts on its checkpoints) what becomes of Figure 7 on the generator
// that trajectory gives. Written when the direct conv kernels (conv.wat) changed the trajectory.
// npx tsx scripts/exp/directfaces.ts OUT_DIR [maxSteps = 4400]
import { runTrain } from '../../src/cli/train';

const [out, maxSteps = '4400'] = process.argv.slice(2);
if (!out) throw new Error('Expected a run directory, e.g. runs/faces-direct.');
runTrain({
  recipe: 'faces-dcgan',
  out,
  maxSteps: Number(maxSteps),
  checkpointEvery: 200,
  progress: false,
});
