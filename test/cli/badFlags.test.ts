/**
 * Every `gan` command answers a bad flag value the same way: exit code 2 and one line on stderr,
 * `gan: <what was expected> … "<what came>"`, no stack trace, nothing on stdout, and nothing loaded or
 * written first. One row per command and kind of flag (integer, number, choice).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gan } from './capture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-bad-flags-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const out = (name: string) => path.join(tmp, name);

/** [command line, the bad value, what the message must also say] */
const CASES: Array<[string[], string, RegExp]> = [
  [['bench', '--batch', '0'], '0', /Expected --batch to be an integer ≥ 1/],
  [['bench', '--warmup', '-1'], '-1', /Expected --warmup to be an integer ≥ 0/],
  [['bench', '--model', 'resnet'], 'resnet', /Expected one of: mlp-gan-mnist, dcgan-28, dcgan-64/],
  [['bench', '--backend', 'tpu'], 'tpu', /Expected one of: tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu/],
  [['check-backend', '--backend', 'nope'], 'nope', /Expected one of: tfjs-node-gpu/],
  [
    ['data', 'standin', '--out', out('s'), '--count', 'many'],
    'many',
    /Expected --count to be an integer in 1…/,
  ],
  [['data', 'standin', '--out', out('s'), '--seed', '-1'], '-1', /Expected --seed to be an integer in 0…/],
  [
    ['data', 'prepare', '--dataset', 'celeba', '--size', '48'],
    '48',
    /Expected --size to be one of 32, 64, 128/,
  ],
  [['data', 'inspect', '--dataset', 'cifar10'], 'cifar10', /Expected one of: mnist, celeba/],
  [['data', 'inspect', '--dataset', 'mnist', '--split', 'valid'], 'valid', /Expected --split for mnist/],
  [['evaluate', '--run', tmp, '--n', '1'], '1', /Expected --n to be an integer in 2…10000/],
  [['evaluate', '--run', tmp, '--backend', 'tpu'], 'tpu', /Expected one of: tfjs-node-gpu/],
  [['sample', '--run', tmp, '--out', out('g.png'), '--n', '0'], '0', /Expected --n to be an integer/],
  [['sample', '--run', tmp, '--out', out('g.png'), '--seed', 'x'], 'x', /Expected --seed to be an integer/],
  [
    ['train', '--model', 'mlp-gan', '--dataset', 'mnist', '--out', out('t1'), '--batch-size', '0'],
    '0',
    /Expected --batch-size to be an integer/,
  ],
  [
    ['train', '--model', 'mlp-gan', '--dataset', 'mnist', '--out', out('t2'), '--lr', 'fast'],
    'fast',
    /Expected --lr to be a number/,
  ],
  [['train', '--model', 'vae', '--dataset', 'mnist', '--out', out('t3')], 'vae', /Expected one of: /],
  [
    ['train', '--model', 'mlp-gan', '--dataset', 'mnist', '--out', out('t4'), '--loss', 'hinge'],
    'hinge',
    /Expected .*minimax.*nonsaturating/,
  ],
  [['train', '--recipe', 'mnist-dcgan', '--out', out('t5'), '--profile', 'huge'], 'huge', /Expected .*quick/],
  [['train-classifier', '--epochs', '0', '--out', out('c')], '0', /Expected --epochs to be an integer ≥ 1/],
  [
    ['train-face-features', '--max-train', 'x', '--out', out('f')],
    'x',
    /Expected --max-train to be an integer ≥ 1/,
  ],
];

describe('a bad flag value: one message style and exit code 2, for every command', function () {
  this.timeout(120_000);
  for (const [args, bad, what] of CASES) {
    it(`gan ${args.map((a) => (a.startsWith(tmp) ? path.basename(a) : a)).join(' ')}`, async () => {
      const r = await gan(...args);
      assert.equal(r.code, 2, `exit code (stderr: ${r.err})`);
      assert.equal(r.out, '', 'nothing on stdout');
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line on stderr, got:\n${r.err}`);
      assert.match(lines[0], /^gan: /);
      assert.match(lines[0], /Expected/);
      assert.ok(lines[0].includes(`"${bad}"`), `the message quotes the bad value "${bad}": ${lines[0]}`);
      assert.match(lines[0], what);
      assert.doesNotMatch(lines[0], /\n\s+at |Error:/);
    });
  }

  it('wrote nothing for any of them', () => {
    assert.deepEqual(fs.readdirSync(tmp), []);
  });
});
