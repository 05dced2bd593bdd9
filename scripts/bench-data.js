#!/usr/bin/env node
/**
 * `npm run bench:data`: CelebA preparation throughput (img/s, CelebA-format folder → 64 px uint8
 * cache) and batch iteration throughput from the cache (img/s, 128 × 64×64×3 tensors in [-1, 1]
 * on the active backend, disposed). Uses the stand-in unless --dir names a real CelebA folder.
 * Every figure comes with wall and CPU time, the backend, the machine and its load average.
 *
 *   node scripts/bench-data.js [--count 3000] [--repeats 3] [--epochs 3] [--dir DIR] [--json]
 */
require('tsx/cjs');
const fs = require('fs');
const os = require('os');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { initBackend, describeBackend } = require('../src/backend');
const { generateStandin } = require('../src/data/standin');
const { openCelebaSource } = require('../src/data/celebaSource');
const { prepareCache } = require('../src/data/celebaCache');
const { loadCeleba } = require('../src/data/celeba');
const { loadMnist } = require('../src/data/mnist');

function parseArgs(argv) {
  const out = { count: 3000, repeats: 3, epochs: 3, batchSize: 128, dir: undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a === '--dir') out.dir = argv[++i];
    else if (['--count', '--repeats', '--epochs', '--batch-size'].includes(a)) {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`Expected ${a} to be a positive integer, got ${argv[i]}.`);
      out[a === '--batch-size' ? 'batchSize' : a.slice(2)] = v;
    } else
      throw new Error(
        `Unknown option ${a}. Usage: node scripts/bench-data.js [--count N] [--repeats R] [--epochs E] [--dir DIR] [--json]`,
      );
  }
  return out;
}

/** Run fn, returning wall seconds and CPU seconds of this process (all threads). */
async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function iterate(ds, epochs, batchSize) {
  let n = 0;
  for (let e = 0; e < epochs; e++) {
    for (const b of ds.batches(batchSize, { seed: 1, epoch: e })) {
      n += b.shape[0];
      b.dispose();
    }
  }
  return n;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const backend = await initBackend();
  const machine = `${os.cpus()[0].model.trim()}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;
  const log = (s) => {
    if (!args.json) process.stdout.write(s + '\n');
  };
  log(`Backend: ${describeBackend(backend)}`);
  log(
    `Machine: ${machine}; load average at start ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );

  let dir = args.dir;
  let standin;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-bench-data-'));
  if (!dir) {
    dir = path.join(work, 'standin');
    const g = await timed(() => generateStandin({ out: dir, count: args.count, seed: 0 }));
    standin = { count: args.count, imgPerSec: args.count / g.wall };
    log(
      `Stand-in: ${args.count} faces (178×218 JPEG) in ${g.wall.toFixed(1)} s = ${standin.imgPerSec.toFixed(0)} img/s`,
    );
  }

  // Preparation: a fresh cache each repeat (so every image is decoded, cropped, resized, written).
  const prep = [];
  for (let r = 0; r < args.repeats; r++) {
    const cacheDir = path.join(work, `cache-${r}`);
    const source = await openCelebaSource(dir);
    const t = await timed(() => prepareCache(source, { size: 64, cacheDir }));
    await source.close();
    const n = source.entries.length;
    prep.push({ images: n, wall: t.wall, cpu: t.cpu, imgPerSec: n / t.wall, imgPerCpuSec: n / t.cpu });
    log(
      `Prepare #${r + 1}: ${n} images → 64×64 cache in ${t.wall.toFixed(2)} s = ${(n / t.wall).toFixed(0)} img/s ` +
        `(${(n / t.cpu).toFixed(0)} img per CPU-second, all threads)`,
    );
    if (r > 0) fs.rmSync(cacheDir, { recursive: true, force: true });
  }

  // Iteration from the cache of the first repeat.
  const ds = await loadCeleba({ dir, size: 64, cacheDir: path.join(work, 'cache-0') });
  iterate(ds, 1, args.batchSize); // warm-up: page cache, JIT, backend
  const iter = [];
  for (let r = 0; r < args.repeats; r++) {
    const t = await timed(() => iterate(ds, args.epochs, args.batchSize));
    iter.push({
      images: t.value,
      wall: t.wall,
      cpu: t.cpu,
      imgPerSec: t.value / t.wall,
      imgPerCpuSec: t.value / t.cpu,
    });
    log(
      `Iterate #${r + 1}: ${t.value} images in batches of ${args.batchSize} × 64×64×3 in ${t.wall.toFixed(2)} s = ` +
        `${(t.value / t.wall).toFixed(0)} img/s (${(t.value / t.cpu).toFixed(0)} img per CPU-second)`,
    );
  }
  const mnist = await loadMnist({ split: 'train' });
  iterate(mnist, 1, 128);
  const m = await timed(() => iterate(mnist, args.epochs, 128));
  log(`MNIST: ${m.value} digits in batches of 128 × 28×28×1 = ${(m.value / m.wall).toFixed(0)} img/s`);
  if (tf.memory().numTensors > 0) log(`warning: ${tf.memory().numTensors} tensors still allocated`);

  const summary = {
    backend: describeBackend(backend),
    machine,
    loadAverageAtEnd: os.loadavg(),
    source: standin ? `procedural stand-in (${args.count} images, not CelebA)` : path.resolve(dir),
    standin,
    prepare: { runs: prep, medianImgPerSec: median(prep.map((p) => p.imgPerSec)), target: 500 },
    iterate: {
      runs: iter,
      medianImgPerSec: median(iter.map((p) => p.imgPerSec)),
      batchSize: args.batchSize,
      target: 20000,
    },
    mnistIterateImgPerSec: m.value / m.wall,
  };
  log(
    `Median: prepare ${summary.prepare.medianImgPerSec.toFixed(0)} img/s (target ≥ 500), ` +
      `iterate ${summary.iterate.medianImgPerSec.toFixed(0)} img/s (target ≥ 20,000); ` +
      `load average at end ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} — other processes share these cores.`,
  );
  if (args.json) process.stdout.write(JSON.stringify(summary) + '\n');
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`bench-data: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
