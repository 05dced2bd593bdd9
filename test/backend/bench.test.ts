/**
 * `gan bench`: the JSON line's fields, the model-name mapping to the peer script's names, and
 * usage errors (exit code 2). Runs one MLP step of batch 4 on wasm so it stays fast.
 */
import { strict as assert } from 'assert';
import { BENCH_MODELS, parseBenchModel } from '../../src/cli/bench';
import { main, UsageError } from '../../src/cli/main';

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(String(s)) > 0) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'gan', ...args]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}

describe('gan bench', function () {
  this.timeout(60_000);

  it('maps the peer script’s model names to the library’s', () => {
    assert.deepEqual(Object.keys(BENCH_MODELS), ['mlp-gan-mnist', 'dcgan-28', 'dcgan-64']);
    assert.equal(parseBenchModel('mlp-gan').bench, 'mlp-gan-mnist');
    assert.equal(parseBenchModel('dcgan-64').model, 'dcgan-64');
    assert.throws(
      () => parseBenchModel('resnet'),
      (e: unknown) => e instanceof UsageError && /mlp-gan-mnist/.test(e.message),
    );
  });

  it('prints one JSON line with the img/s of a run', async () => {
    const r = await runCli([
      'bench',
      '--model',
      'mlp-gan-mnist',
      '--backend',
      'wasm',
      '--batch',
      '4',
      '--steps',
      '1',
      '--warmup',
      '0',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 1);
    const j = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(j), [
      'model',
      'backend',
      'device',
      'batch',
      'steps',
      'imgPerSec',
      'msPerStep',
      'peakRssMb',
    ]);
    assert.equal(j.model, 'mlp-gan-mnist');
    assert.equal(j.backend, 'wasm');
    assert.equal(j.batch, 4);
    assert.ok(j.imgPerSec > 0 && j.msPerStep > 0);
    assert.ok(j.peakRssMb > 50 && j.peakRssMb < 64 * 1024, `peak RSS ${j.peakRssMb} MiB`);
    assert.ok(
      Math.abs(j.imgPerSec - (4 / j.msPerStep) * 1000) / j.imgPerSec < 0.01,
      'imgPerSec = batch / msPerStep',
    );
  });

  it('rejects bad input with exit code 2 and says what was expected', async () => {
    for (const args of [
      ['bench', '--model', 'nope'],
      ['bench', '--batch', '0'],
      ['bench', '--steps', 'x'],
      ['bench', '--warmup', '-1'],
      ['bench', '--backend', 'tpu'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /Expected|Unknown/);
    }
  });
});
