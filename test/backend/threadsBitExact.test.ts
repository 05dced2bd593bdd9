/**
 * The XNNPACK thread count does not change training results: seeded steps of the full-width models
 * on wasm with GAN_WASM_THREADS=1 (the stock single-thread build) and 2 (the threaded build with the
 * helper worker of pool.ts) give bit-identical weights and losses. So a thread count can be chosen for
 * speed alone without touching the tutorials' seeded trajectories. Child processes: the thread count
 * is fixed when the wasm backend starts.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';

function trainHash(
  threads: number,
  model: string,
  batch: number,
  steps: number,
): { threads: number; sha256: string } {
  const child = path.join(__dirname, 'threadsHashChild.ts');
  const out = execFileSync(
    process.execPath,
    ['--require', 'tsx/cjs', child, model, String(batch), String(steps)],
    {
      env: { ...process.env, GAN_WASM_THREADS: String(threads) },
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop() as string);
}

describe('wasm thread count and bit-exactness', function () {
  this.timeout(300_000);
  for (const [model, batch, steps] of [
    ['mlp-gan', 64, 3],
    ['dcgan-28', 8, 2],
    // its first layer's weight gradient runs in conv.wat, its tiles split between the two threads
    ['dcgan-64', 2, 1],
  ] as Array<[string, number, number]>) {
    it(`${model}: ${steps} steps of batch ${batch} give the same weights with 1 and 2 threads`, () => {
      const one = trainHash(1, model, batch, steps);
      const two = trainHash(2, model, batch, steps);
      assert.equal(one.threads, 1);
      assert.equal(two.sha256, one.sha256, `threads ${two.threads} vs 1`);
    });
  }
});
