#!/usr/bin/env node
// `npm run kernel:uninstall`: remove the tslab kernel registered by kernel:install.
const { loadDist } = require('./load');

try {
  loadDist('env/kernel').uninstallKernel();
} catch (e) {
  console.error(`kernel-setup: ${e.message}`);
  process.exit(1);
}
