#!/usr/bin/env node
// Before tsc writes dist/: remove compiled files whose source is gone. tsc never deletes, and a stale
// dist/src/backend.js (from before src/backend.ts became src/backend/index.ts) would shadow the folder's
// index for `require('../dist/src/backend')`, so notebooks and the CLI would run old code.
//   node scripts/prune-dist.js [--dry-run]
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'dist');
const SUFFIXES = ['.d.ts.map', '.js.map', '.d.ts', '.js'];

/** Compiled files under `dir` (dist/…) whose `.ts` source under the project root no longer exists. */
function orphans(dir = OUT, root = ROOT, out = OUT) {
  if (!fs.existsSync(dir)) return [];
  const found = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      found.push(...orphans(p, root, out));
      continue;
    }
    const suffix = SUFFIXES.find((s) => e.name.endsWith(s));
    if (!suffix) continue;
    const source = path.join(root, path.relative(out, p)).slice(0, -suffix.length) + '.ts';
    if (!fs.existsSync(source)) found.push(p);
  }
  return found;
}

module.exports = { orphans };

if (require.main === module) {
  const dry = process.argv.includes('--dry-run');
  for (const f of orphans()) {
    console.log(
      `prune-dist: ${dry ? 'would remove' : 'removing'} ${path.relative(ROOT, f)} (its source is gone)`,
    );
    if (!dry) fs.rmSync(f, { force: true });
  }
}
