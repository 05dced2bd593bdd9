#!/usr/bin/env node
// Execute the tutorial notebooks headless on the tslab kernel.
//   --check           quick smoke run: executed copies go to test-artifacts/notebooks/, fail on any cell error
//   --write           the main job: execute in place (outputs kept) at the chosen profile
//   --profile NAME    quick | default (default: $GAN_PROFILE or default)
//   NAME...           only notebooks whose file name contains NAME
const path = require('path');
const { Command } = require('commander');
const { loadDist } = require('../kernel-setup/load');

const program = new Command()
  .option('--check', 'execute into test-artifacts/notebooks and fail on errors')
  .option('--write', 'execute in place, keeping outputs')
  .option('--profile <name>', 'quick | default')
  .argument('[filters...]')
  .parse();
const opts = program.opts();
const { listNotebooks, runNotebook, assertKernelReady } = loadDist('env/notebooks');
const { profileName } = loadDist('profile');

const profile = profileName({ GAN_PROFILE: opts.profile ?? process.env.GAN_PROFILE });
const filters = program.args;
const notebooks = listNotebooks().filter(
  (f) => filters.length === 0 || filters.some((x) => path.basename(f).includes(x)),
);
try {
  assertKernelReady();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
if (notebooks.length === 0) {
  console.error(`No notebooks matched ${filters.join(', ')}`);
  process.exit(1);
}
const outputDir = opts.write ? undefined : path.join(__dirname, '..', 'test-artifacts', 'notebooks');
let failed = 0;
for (const nb of notebooks) {
  process.stdout.write(`▶ ${path.basename(nb)} (profile ${profile}) … `);
  // The smoke run keeps its figures out of docs/figures (those come from `npm run reproduce`).
  const env = opts.write ? {} : { GAN_FIGURES_DIR: path.join(__dirname, '..', 'test-artifacts', 'figures') };
  const r = runNotebook(nb, { profile, outputDir, env });
  console.log(r.ok ? `ok in ${r.seconds.toFixed(1)} s` : `FAILED after ${r.seconds.toFixed(1)} s`);
  if (!r.ok) {
    failed++;
    console.error(r.error);
  }
}
console.log(`notebooks: ${notebooks.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
