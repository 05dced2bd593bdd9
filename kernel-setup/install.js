#!/usr/bin/env node
// `npm run kernel:install`: find or install Jupyter, then register this project's tslab kernel.
const { loadDist } = require('./load');

try {
  loadDist('env/kernel').installKernel();
} catch (e) {
  console.error(`kernel-setup: ${e.message}`);
  process.exit(1);
}
