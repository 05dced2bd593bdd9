/**
 * `gan train` and `gan sample` in-process: train, resume, sample a PNG; bad input exits with 2 and
 * writes nothing. Tiny dcgan-28 on the embedded MNIST, cpu backend.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gan } from '../cli/capture';

const TINY = ['--ngf', '2', '--ndf', '2', '--latent-dim', '4', '--batch-size', '4', '--backend', 'cpu'];

describe('gan train / gan sample', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('trains, resumes and samples a PNG grid', async () => {
    const out = path.join(tmp, 'run');
    let r = await gan(
      'train',
      '--model',
      'dcgan-28',
      '--dataset',
      'mnist',
      '--out',
      out,
      '--max-steps',
      '3',
      ...TINY,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /done: 3 steps \(3 this run\), [\d.]+ img\/s on cpu/);
    assert.match(r.err, /step 3\/3 epoch 1\/1 dLoss [\d.]+ gLoss/);
    r = await gan('train', '--out', out, '--resume', '--max-steps', '5', '--backend', 'cpu');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /done: 5 steps \(2 this run\)/);
    const lines = fs.readFileSync(path.join(out, 'history.jsonl'), 'utf8').trim().split('\n');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).step),
      [1, 2, 3, 4, 5],
    );
    for (const k of ['step', 'epoch', 'dLoss', 'gLoss', 'dReal', 'dFake'])
      assert.ok(k in JSON.parse(lines[4]), k);
    assert.deepEqual(fs.readdirSync(path.join(out, 'samples')).sort(), [
      'step-0000003.png',
      'step-0000005.png',
    ]);
    const png = path.join(tmp, 'grid.png');
    r = await gan('sample', '--run', out, '--n', '9', '--out', png, '--seed', '3', '--backend', 'cpu');
    assert.equal(r.code, 0, r.err);
    const bytes = fs.readFileSync(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Same seed → same grid.
    await gan('sample', '--run', out, '--n', '9', '--out', png + '2.png', '--seed', '3', '--backend', 'cpu');
    assert.ok(fs.readFileSync(png + '2.png').equals(bytes));
  });

  const bad: Array<[string, string[], RegExp]> = [
    [
      'dcgan-64 on MNIST',
      ['train', '--model', 'dcgan-64', '--dataset', 'mnist'],
      /dcgan-64 makes 64×64×3 images but dataset mnist has 28×28×1 images/,
    ],
    ['an unknown model', ['train', '--model', 'vae', '--dataset', 'mnist'], /Unknown model "vae"/],
    [
      'a bad number',
      ['train', '--model', 'dcgan-28', '--dataset', 'mnist', '--batch-size', 'x'],
      /--batch-size to be an integer/,
    ],
    [
      'an unknown loss',
      ['train', '--model', 'dcgan-28', '--dataset', 'mnist', '--loss', 'wgan'],
      /Unknown generator loss "wgan"/,
    ],
    [
      '--resume without a run',
      ['train', '--model', 'dcgan-28', '--dataset', 'mnist', '--resume'],
      /Cannot resume: no run/,
    ],
    ['an unknown flag', ['train', '--model', 'dcgan-28', '--frobnicate'], /unknown option/],
  ];
  for (const [what, args, re] of bad) {
    it(`exits 2 and writes nothing on ${what}`, async () => {
      const out = path.join(tmp, 'bad');
      const r = await gan(...args, '--out', out);
      assert.equal(r.code, 2);
      assert.match(r.err, re);
      assert.equal(fs.existsSync(out), false);
    });
  }

  it('sample: a missing run or a bad --n exits 2', async () => {
    const png = path.join(tmp, 'none.png');
    let r = await gan('sample', '--run', path.join(tmp, 'nope'), '--out', png);
    assert.equal(r.code, 2);
    assert.match(r.err, /No run at/);
    r = await gan('sample', '--run', tmp, '--out', png);
    assert.equal(r.code, 2);
    assert.match(r.err, /No checkpoint in/);
    // --n 0 against a run that does have a checkpoint: the bad value, not the missing checkpoint, is the error.
    const run = path.join(tmp, 'run');
    assert.ok(fs.existsSync(path.join(run, 'latest.json')), 'the run trained above has a checkpoint');
    r = await gan('sample', '--run', run, '--out', png, '--n', '0', '--backend', 'cpu');
    assert.equal(r.code, 2);
    assert.match(r.err, /Expected --n to be an integer in 1…\d+, but got "0"/);
    assert.equal(fs.existsSync(png), false);
  });
});
