// The faces-dcgan CPU recipe trained with the direct conv weight gradient on more layers
// (conv2dBackpropFilterOptions.directMinPixels, default 1024): how fast, and what becomes of Figure 7 on the
// generator that trajectory gives (then scripts/exp/fig7rate.ts on its checkpoints).
// npx tsx scripts/exp/directfaces.ts OUT_DIR [directMinPixels = 1] [maxSteps = 4400]
import { conv2dBackpropFilterOptions } from '../../src/backend/wasm/conv2dBackpropFilter';
import { runTrain } from '../../src/cli/train';

const [out, minPixels = '1', maxSteps = '4400'] = process.argv.slice(2);
if (!out) throw new Error('Expected a run directory, e.g. runs/faces-direct.');
conv2dBackpropFilterOptions.directMinPixels = Number(minPixels);
runTrain({
  recipe: 'faces-dcgan',
  out,
  maxSteps: Number(maxSteps),
  checkpointEvery: 200,
  progress: false,
});
