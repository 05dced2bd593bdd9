import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import {
  BackendError,
  diagnoseLoadError,
  initBackend,
  parseBackendName,
  vulkanLoaderMissing,
  type BackendName,
  type RungLoader,
} from '../src/backend';

const fail =
  (msg: string): RungLoader =>
  async () => {
    throw new Error(msg);
  };

describe('backend ladder', () => {
  after(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('picks wasm on this machine and says why the faster rungs were skipped', async () => {
    const r = await initBackend({ force: '' });
    // No GPU packages can be installed here (they download libtensorflow from outside the registry).
    assert.equal(r.backend, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(r.device, /WebAssembly/);
    for (const k of ['tfjs-node-gpu', 'webgpu', 'tfjs-node'] as BackendName[]) {
      assert.ok(r.skipped[k], `expected a reason for skipping ${k}`);
    }
    // npm drops the optional package when its libtensorflow download fails; where npm skips its install
    // script instead, the package is there without its native library. Both must be a clear skip.
    assert.match(r.skipped['tfjs-node-gpu'] ?? '', /^not installed$|native library is missing/);
  });

  it('walks down the ladder past simulated GPU failures, recording each reason', async () => {
    const r = await initBackend({
      force: '',
      loaders: {
        'tfjs-node-gpu': fail(
          diagnoseLoadError(
            'tfjs-node-gpu',
            new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'),
          ),
        ),
        webgpu: fail('webgpu: no GPU adapter found (is a Vulkan driver installed?)'),
        'tfjs-node': fail('not installed'),
        wasm: fail('simulated wasm failure'),
      },
    });
    assert.equal(r.provider, 'cpu');
    assert.equal(r.backend, 'cpu');
    assert.match(
      r.skipped['tfjs-node-gpu'] ?? '',
      /libcudart\.so\.11\.0 not found .*CUDA 11\.2 and cuDNN 8\.1/,
    );
    assert.match(r.skipped.webgpu ?? '', /no GPU adapter/);
    assert.equal(r.skipped.wasm, 'simulated wasm failure');
  });

  it('takes the first rung that works (a simulated GPU)', async () => {
    const r = await initBackend({
      force: '',
      loaders: { 'tfjs-node-gpu': async () => ({ device: 'Simulated GPU', gpu: true }) },
    });
    assert.equal(r.provider, 'tfjs-node-gpu');
    assert.equal(r.gpu, true);
    assert.deepEqual(r.skipped, {});
  });

  it('GAN_BACKEND forces one rung and fails loudly when it cannot load', async () => {
    const r = await initBackend({ force: 'cpu' });
    assert.equal(r.backend, 'cpu');
    assert.equal(r.forced, 'cpu');
    assert.match(r.skipped.wasm ?? '', /not tried/);
    await assert.rejects(
      initBackend({ force: 'tfjs-node-gpu' }),
      (e: Error) =>
        e instanceof BackendError &&
        /GAN_BACKEND=tfjs-node-gpu.*(not installed|native library is missing)/.test(e.message),
    );
  });

  it('reads GAN_BACKEND from the environment', async () => {
    const old = process.env.GAN_BACKEND;
    process.env.GAN_BACKEND = 'cpu';
    try {
      assert.equal((await initBackend()).backend, 'cpu');
    } finally {
      if (old === undefined) delete process.env.GAN_BACKEND;
      else process.env.GAN_BACKEND = old;
    }
  });

  it('rejects unknown names with the list of valid ones', () => {
    assert.throws(
      () => parseBackendName('nonsense'),
      /Unknown backend "nonsense".*tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu/,
    );
    assert.equal(parseBackendName('WASM'), 'wasm');
    assert.equal(parseBackendName('tensorflow'), 'tfjs-node-gpu');
  });
});

describe('diagnoseLoadError', () => {
  const d = (m: string) => diagnoseLoadError('tfjs-node-gpu', new Error(m));
  it('names the common tfjs-node-gpu failures and their fixes', () => {
    assert.equal(d("Cannot find module '@tensorflow/tfjs-node-gpu'\nRequire stack: …"), 'not installed');
    assert.match(d('libcudart.so.11.0: cannot open shared object file'), /CUDA 12 alone is not enough/);
    assert.match(d('libcudnn.so.8: cannot open shared object file'), /libcudnn\.so\.8 not found.*cuDNN 8\.1/);
    assert.match(d('CUDA driver version is insufficient for CUDA runtime version'), /driver too old/);
    assert.match(
      d("Cannot find module '/x/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'"),
      /native library is missing.*npm rebuild @tensorflow\/tfjs-node-gpu/,
    );
    assert.equal(d('something else\nstack'), 'something else');
  });
});

describe('vulkanLoaderMissing', () => {
  it('skips WebGPU with the fix when libvulkan.so.1 is absent on Linux', () => {
    assert.match(
      vulkanLoaderMissing('linux', () => 'libc.so.6 (libc6,x86-64) => /lib/libc.so.6') ?? '',
      /libvulkan1/,
    );
    assert.equal(
      vulkanLoaderMissing('linux', () => '\tlibvulkan.so.1 (libc6,x86-64) => /lib/libvulkan.so.1'),
      undefined,
    );
    assert.equal(
      vulkanLoaderMissing('darwin', () => ''),
      undefined,
    );
  });
});
