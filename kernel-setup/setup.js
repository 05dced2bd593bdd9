#!/usr/bin/env node
// One-stop set-up used by `npm test` and `npm run reproduce`: Jupyter + the tslab kernel (patched tslab),
// the Jupyter kernel test suite, and Chromium.
//   --chromium=required   fail when no Chromium can be found or installed (the browser test needs it)
//   --chromium=optional   warn once and go on (figures then keep only their interactive outputs)
const { loadDist } = require('./load');

const required = !process.argv.includes('--chromium=optional');
try {
  loadDist('env/kernel').installKernel();
} catch (e) {
  console.error(`setup: ${e.message}`);
  process.exit(1);
}
// The Jupyter kernel test suite that `npm test` runs against the kernel (Debian's package when root).
try {
  console.log(`setup: jupyter_kernel_test with ${loadDist('env/kernel').ensureKernelTestSuite()}`);
} catch (e) {
  console.error(`setup: ${e.message}`);
  if (required) process.exit(1);
}
try {
  console.log(`setup: Chromium at ${loadDist('env/chromium').ensureChromium()}`);
} catch (e) {
  console.error(`setup: ${e.message}`);
  if (required) process.exit(1);
  console.error(
    'setup: going on without Chromium: charts keep their interactive outputs, no PNG/SVG export.',
  );
}
