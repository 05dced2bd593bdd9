#!/usr/bin/env node
// Execute the tutorial notebooks headless on the tslab kernel.
//   --check           quick smoke run: executed copies go to test-artifacts/notebooks/, fail on any cell error
//   --write           the main job: execute in place (outputs kept) at the chosen profile, then turn
//                     each into its committed copy: charts as plotly JSON + a PNG, no script HTML and
//                     no inlined plotly.js (src/plot/committedNotebook.ts), so GitHub shows every chart
//   --output-dir DIR  with --write: write the committed copies to DIR instead of in place
//   --committed-only  no execution: turn the notebooks as they are into their committed copies
//   --profile NAME    quick | default (default: $GAN_PROFILE or default)
//   NAME...           only notebooks whose file name contains NAME
const fs = require('fs');
const path = require('path');
const { Command } = require('commander');
const { loadDist } = require('../kernel-setup/load');

const program = new Command()
  .option('--check', 'execute into test-artifacts/notebooks and fail on errors')
  .option('--write', 'execute in place, keeping outputs, and write the committed copy')
  .option('--output-dir <dir>', 'with --write: write the committed copies here instead of in place')
  .option('--committed-only', 'no execution: rewrite the notebooks as they are as committed copies')
  .option('--profile <name>', 'quick | default')
  .argument('[filters...]')
  .parse();
const opts = program.opts();
if (opts.outputDir && !opts.write && !opts.committedOnly) {
  console.error(
    '--output-dir goes with --write or --committed-only (--check copies go to test-artifacts/notebooks).',
  );
  process.exit(2);
}
const { listNotebooks, runNotebook, assertKernelReady } = loadDist('env/notebooks');
const { profileName } = loadDist('profile');
const { readEnv } = loadDist('env/variables');
const { committedNotebook, notebookText, closeFigureExporter } = loadDist('plot/index');

const profile = profileName({ GAN_PROFILE: opts.profile ?? readEnv('GAN_PROFILE') });
const filters = program.args;
const notebooks = listNotebooks().filter(
  (f) => filters.length === 0 || filters.some((x) => path.basename(f).includes(x)),
);
try {
  // Also re-points a "tslab" kernel left registered for another or a deleted checkout (and says so).
  assertKernelReady();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
if (notebooks.length === 0) {
  console.error(`No notebooks matched ${filters.join(', ')}`);
  process.exit(1);
}

const MB = (n) => `${(n / 1e6).toFixed(2)} MB`;

/** Rewrite an executed notebook as its committed copy; returns its size in bytes. */
async function writeCommitted(executed, target) {
  const before = fs.statSync(executed).size;
  const { notebook, stats } = await committedNotebook(JSON.parse(fs.readFileSync(executed, 'utf8')));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, notebookText(notebook));
  const after = fs.statSync(target).size;
  console.log(
    `  committed copy ${path.relative(process.cwd(), target)}: ${MB(before)} → ${MB(after)} ` +
      `(${stats.charts} charts, ${stats.rendered} pictures rendered here)`,
  );
  return after;
}

async function main() {
  const root = path.join(__dirname, '..');
  if (opts.committedOnly) {
    let total = 0;
    for (const nb of notebooks) {
      const target = opts.outputDir ? path.resolve(opts.outputDir, path.basename(nb)) : nb;
      total += await writeCommitted(nb, target);
    }
    console.log(`committed notebooks: ${MB(total)} in all`);
    await closeFigureExporter();
    return;
  }
  const outputDir = opts.write
    ? opts.outputDir && path.join(root, 'test-artifacts', 'write-executed')
    : path.join(root, 'test-artifacts', 'notebooks');
  let failed = 0;
  let total = 0;
  for (const nb of notebooks) {
    process.stdout.write(`▶ ${path.basename(nb)} (profile ${profile}) … `);
    // The smoke run keeps its figures out of docs/figures (those come from `npm run reproduce`).
    // So does a --write to another folder (a trial of the committed copies).
    const inPlace = opts.write && !opts.outputDir;
    const env = inPlace ? {} : { GAN_FIGURES_DIR: path.join(root, 'test-artifacts', 'figures') };
    const r = runNotebook(nb, { profile, outputDir, env });
    console.log(r.ok ? `ok in ${r.seconds.toFixed(1)} s` : `FAILED after ${r.seconds.toFixed(1)} s`);
    if (!r.ok) {
      failed++;
      console.error(r.error);
      continue;
    }
    if (opts.write) {
      const executed = outputDir ? path.join(outputDir, path.basename(nb)) : nb;
      const target = opts.outputDir ? path.resolve(opts.outputDir, path.basename(nb)) : nb;
      total += await writeCommitted(executed, target);
    }
  }
  if (opts.write) console.log(`committed notebooks: ${MB(total)} in all`);
  console.log(`notebooks: ${notebooks.length - failed} passed, ${failed} failed`);
  await closeFigureExporter();
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
