/**
 * The asynchronous readers of the metrics and analysis helpers (what WebGPU in Node needs: it has no
 * synchronous read) agree with the synchronous ones on cpu, and give the same numbers on WebGPU
 * (SwiftShader, in a child process: the Vulkan loader is found through LD_LIBRARY_PATH at process start).
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { interpolate } from '../../src/analysis/latent';
import { meanPairwiseDistance, meanPairwiseDistanceAsync } from '../../src/analysis/diversity';
import { nearestNeighbours, nearestNeighboursAsync } from '../../src/analysis/nearest';
import {
  buildClassifier,
  extractFeatures,
  extractFeaturesAsync,
  predictClasses,
  predictClassesAsync,
} from '../../src/metrics/classifier';
import { parzenLogLikelihoods, parzenLogLikelihoodsAsync } from '../../src/metrics/parzen';

const ROOT = path.join(__dirname, '..', '..');
const CHROMIUM_LIB = process.env.GAN_SWIFTSHADER_DIR ?? '/usr/lib/chromium';

/** Every async reader on small seeded inputs; the same code runs here (cpu) and in the WebGPU child. */
export async function readersOnActiveBackend(): Promise<Record<string, number[]>> {
  const images = tf.randomUniform([7, 28, 28, 1], -1, 1, 'float32', 1) as tf.Tensor4D;
  const reference = tf.randomUniform([11, 28, 28, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
  const x = tf.randomUniform([5, 6], 0, 1, 'float32', 3) as tf.Tensor2D;
  const s = tf.randomUniform([9, 6], 0, 1, 'float32', 4) as tf.Tensor2D;
  const model = buildClassifier(1);
  const slerp = interpolate(tf.tensor1d([1, 2, 0]), tf.tensor1d([0, 1, 3]), 4, 'slerp');
  const nn = await nearestNeighboursAsync(images, reference, 4);
  const out = {
    nearestIndices: Array.from(nn.indices),
    nearestDistances: Array.from(nn.distances),
    pairwise: [await meanPairwiseDistanceAsync(images)],
    parzen: Array.from(await parzenLogLikelihoodsAsync(x, s, 0.2, 2)),
    classes: Array.from(await predictClassesAsync(model, images, 3)),
    features: Array.from(await extractFeaturesAsync(model, images, 3)).slice(0, 64),
    slerp: Array.from(await slerp.data()),
  };
  tf.dispose([images, reference, x, s, slerp]);
  model.dispose();
  return out;
}

function close(a: number[], b: number[], tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) =>
    assert.ok(Math.abs(v - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${v} vs ${b[i]}`),
  );
}

// The WebGPU child process requires this file for `readersOnActiveBackend` only, outside mocha.
const suite = typeof describe === 'function' ? describe : () => undefined;

suite('async readers of metrics and analysis (WebGPU has no synchronous read)', function () {
  this.timeout(420_000);

  after(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('agree with the synchronous readers on cpu', async () => {
    await initBackend({ force: 'cpu' });
    const images = tf.randomUniform([6, 28, 28, 1], -1, 1, 'float32', 5) as tf.Tensor4D;
    const ref = tf.randomUniform([9, 28, 28, 1], -1, 1, 'float32', 6) as tf.Tensor4D;
    const model = buildClassifier(2);
    assert.deepEqual(await nearestNeighboursAsync(images, ref, 4), nearestNeighbours(images, ref, 4));
    assert.equal(await meanPairwiseDistanceAsync(images), meanPairwiseDistance(images));
    const x = images.reshape([6, -1]) as tf.Tensor2D;
    const s = ref.reshape([9, -1]) as tf.Tensor2D;
    assert.deepEqual(await parzenLogLikelihoodsAsync(x, s, 0.5, 4), parzenLogLikelihoods(x, s, 0.5, 4));
    assert.deepEqual(await predictClassesAsync(model, images, 4), predictClasses(model, images, 4));
    assert.deepEqual(await extractFeaturesAsync(model, images, 4), extractFeatures(model, images, 4));
    tf.dispose([images, ref, x, s]);
    model.dispose();
  });

  it('give the cpu numbers on WebGPU (SwiftShader)', async function () {
    if (!fs.existsSync(path.join(CHROMIUM_LIB, 'vk_swiftshader_icd.json'))) {
      console.log(`      (skipped: no SwiftShader in ${CHROMIUM_LIB}; apt install chromium)`);
      this.skip();
    }
    await initBackend({ force: 'cpu' });
    const expected = await readersOnActiveBackend();
    const script =
      "const { initBackend } = require('./src/backend');" +
      "const { readersOnActiveBackend } = require('./test/backend/webgpuReads.test.ts');" +
      "initBackend({ force: 'webgpu' }).then(async (r) => {" +
      '  const out = await readersOnActiveBackend();' +
      "  process.stdout.write(JSON.stringify({ backend: r.backend, device: r.device, out }) + '\\n');" +
      '});';
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 360_000,
      env: {
        ...process.env,
        GAN_BACKEND: '',
        GAN_WEBGPU_ALLOW_SOFTWARE: '1',
        LD_LIBRARY_PATH: [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
        VK_ICD_FILENAMES: path.join(CHROMIUM_LIB, 'vk_swiftshader_icd.json'),
      },
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    assert.equal(j.backend, 'webgpu');
    assert.deepEqual(j.out.nearestIndices, expected.nearestIndices);
    assert.deepEqual(j.out.classes, expected.classes);
    for (const k of ['nearestDistances', 'pairwise', 'parzen', 'features'])
      close(j.out[k], expected[k], 1e-4, k);
    // acos and sin are approximations in WGSL: measured 2e-4 relative on SwiftShader.
    close(j.out.slerp, expected.slerp, 2e-3, 'slerp');
  });
});
