/**
 * The WebGPU rung end to end on a software Vulkan device: Dawn (the `webgpu` package) on SwiftShader,
 * the Vulkan driver Debian's chromium package ships, so CI exercises the whole WebGPU code path without
 * a GPU: `gan check-backend` (kernels and a training step of each model against cpu), a few-step
 * `gan train` and `gan sample`, and the ladder refusing the software adapter when it chooses.
 * Child processes, because the Vulkan loader is found through LD_LIBRARY_PATH, read at process start.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { classifyWebGpuAdapter, softwareAdapterRefusal, softwareWebGpuDevice } from '../../src/backend';
import { backendNotes } from '../../src/cli/doctor';

const ROOT = path.join(__dirname, '..', '..');
/** Debian's chromium: libvk_swiftshader.so, its ICD manifest and a Vulkan loader. */
const CHROMIUM_LIB = process.env.GAN_SWIFTSHADER_DIR ?? '/usr/lib/chromium';
const ICD = path.join(CHROMIUM_LIB, 'vk_swiftshader_icd.json');

function swiftShaderMissing(): string | undefined {
  for (const f of [
    ICD,
    path.join(CHROMIUM_LIB, 'libvk_swiftshader.so'),
    path.join(CHROMIUM_LIB, 'libvulkan.so.1'),
  ]) {
    if (!fs.existsSync(f)) return `${f} is missing (apt install chromium)`;
  }
  try {
    require.resolve('webgpu/package.json');
    require.resolve('@tensorflow/tfjs-backend-webgpu');
  } catch {
    return 'the optional packages webgpu / @tensorflow/tfjs-backend-webgpu are not installed';
  }
  return undefined;
}

const SOFTWARE_ENV = {
  LD_LIBRARY_PATH: [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  VK_ICD_FILENAMES: ICD,
};

function gan(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'gan.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GAN_BACKEND: '', GAN_WEBGPU_ALLOW_SOFTWARE: '', ...SOFTWARE_ENV, ...env },
    timeout: 360_000,
  });
  const where = `gan ${args.join(' ')} → ${r.status}\n${r.stdout}\n${r.stderr}`;
  return { ...r, where };
}

describe('WebGPU adapters: GPU or software', () => {
  it('names the adapter and tells SwiftShader, llvmpipe and fallback adapters from a GPU', () => {
    const ss = classifyWebGpuAdapter({
      vendor: 'google',
      architecture: 'swiftshader',
      device: 'swiftshader-device-subzero-',
      description: 'SwiftShader driver 5.0.0',
      isFallbackAdapter: true,
    });
    assert.deepEqual(ss, { name: 'google swiftshader (SwiftShader driver 5.0.0)', software: 'SwiftShader' });
    assert.equal(
      softwareWebGpuDevice(ss).startsWith('software WebGPU (SwiftShader), for testing — not a GPU'),
      true,
    );
    assert.match(softwareAdapterRefusal(ss), /not a GPU.*GAN_WEBGPU_ALLOW_SOFTWARE=1/);
    assert.equal(
      classifyWebGpuAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }).software,
      'llvmpipe',
    );
    assert.equal(classifyWebGpuAdapter({ vendor: 'x' }, true).software, 'software');
    const gpu = classifyWebGpuAdapter({
      vendor: 'nvidia',
      architecture: 'hopper',
      description: 'NVIDIA H200',
    });
    assert.deepEqual(gpu, { name: 'nvidia hopper (NVIDIA H200)', software: undefined });
  });

  it('doctor explains a software adapter, refused or allowed', () => {
    const refused = backendNotes({
      provider: 'wasm',
      details: {},
      skipped: { webgpu: softwareAdapterRefusal({ name: 'google swiftshader', software: 'SwiftShader' }) },
    });
    assert.equal(refused.length, 1);
    assert.match(refused[0], /ladder skipped webgpu.*Vulkan driver.*GAN_WEBGPU_ALLOW_SOFTWARE=1/);
    const allowed = backendNotes({ provider: 'webgpu', details: { software: true }, skipped: {} });
    assert.match(allowed[0], /software adapter.*not a GPU/);
    assert.deepEqual(backendNotes({ provider: 'webgpu', details: { software: false }, skipped: {} }), []);
  });
});

describe('WebGPU on SwiftShader (software Vulkan): the whole code path without a GPU', function () {
  this.timeout(600_000);
  let tmp: string;

  before(function () {
    const missing = swiftShaderMissing();
    if (missing) {
      console.log(`      (skipped: ${missing})`);
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-webgpu-'));
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the ladder refuses the software adapter when it chooses, and doctor says why', () => {
    const r = gan(['doctor', '--json'], {});
    assert.equal(r.status, 0, r.where);
    const j = JSON.parse(r.stdout);
    assert.equal(j.backend, 'wasm');
    assert.match(j.skipped.webgpu, /only a software WebGPU adapter was found \(SwiftShader/);
    assert.ok(
      j.notes.some((n: string) => /GAN_WEBGPU_ALLOW_SOFTWARE=1/.test(n)),
      r.where,
    );
    // Forced without the testing switch: refused, loudly.
    const forced = gan(['check-backend', '--backend', 'webgpu', '--no-steps'], { GAN_BACKEND: 'webgpu' });
    assert.notEqual(forced.status, 0, forced.where);
    assert.match(forced.stderr, /software WebGPU adapter/);
  });

  it('gan check-backend --backend webgpu: kernels and a training step of each model within tolerance of cpu', () => {
    const t0 = Date.now();
    const r = gan(['check-backend', '--backend', 'webgpu', '--json'], {
      GAN_BACKEND: 'webgpu',
      GAN_WEBGPU_ALLOW_SOFTWARE: '1',
    });
    assert.equal(r.status, 0, r.where);
    const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    assert.equal(j.backend, 'webgpu');
    assert.match(j.device, /^software WebGPU \(SwiftShader\), for testing — not a GPU/);
    const names: string[] = j.cases.map((c: { name: string }) => c.name);
    for (const m of ['mlp-gan', 'dcgan-28', 'dcgan-64'])
      assert.ok(
        names.some((n) => n.startsWith(`training step ${m} `)),
        m,
      );
    for (const c of j.cases) assert.ok(c.ok, `${c.name}: relative error ${c.relError} > ${c.tolerance}`);
    const worst = Math.max(...j.cases.map((c: { relError: number }) => c.relError));
    console.log(
      `      ${j.cases.length} cases, largest relative error ${worst.toExponential(2)}, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  });

  it('gan train (a few steps) and gan sample on webgpu', () => {
    const run = path.join(tmp, 'run');
    const env = { GAN_BACKEND: 'webgpu', GAN_WEBGPU_ALLOW_SOFTWARE: '1' };
    const train = gan(
      [
        'train',
        ...['--model', 'dcgan-28', '--dataset', 'mnist', '--out', run, '--max-steps', '3'],
        ...['--batch-size', '8', '--ngf', '4', '--ndf', '4', '--latent-dim', '8', '--no-progress'],
      ],
      env,
    );
    assert.equal(train.status, 0, train.where);
    assert.match(train.stdout + train.stderr, /software WebGPU \(SwiftShader\)/);
    const history = fs
      .readFileSync(path.join(run, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(history.length, 3);
    for (const h of history)
      assert.ok(Number.isFinite(h.dLoss) && Number.isFinite(h.gLoss), JSON.stringify(h));
    const png = path.join(tmp, 'grid.png');
    const sample = gan(['sample', '--run', run, '--n', '16', '--out', png], env);
    assert.equal(sample.status, 0, sample.where);
    assert.deepEqual([...fs.readFileSync(png).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });
});
