/**
 * `gan recipes`, `gan train --recipe` and `gan evaluate` end to end, in-process: the quick profile of
 * mnist-mlp-gan trains a few steps with its EMA, evaluate scores it beside the real and untrained rows,
 * and a recipe with a flag it fixes itself is refused with exit 2.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gan } from './capture';

describe('gan recipes / train --recipe / evaluate', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-recipes-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists the recipes with their budgets', async () => {
    const r = await gan('recipes', '--json');
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as Array<{ name: string; profiles: Record<string, { steps: number }> }>;
    assert.deepEqual(
      list.map((x) => x.name),
      ['mnist-mlp-gan', 'mnist-dcgan', 'faces-dcgan'],
    );
    assert.ok(list.every((x) => x.profiles.quick.steps < x.profiles.cpu.steps));
  });

  it('trains a recipe, then evaluates it against the real and untrained rows', async () => {
    const out = path.join(tmp, 'mlp');
    const t = await gan(
      'train',
      '--recipe',
      'mnist-mlp-gan',
      '--profile',
      'quick',
      '--max-steps',
      '6',
      '--out',
      out,
      '--backend',
      'cpu',
    );
    assert.equal(t.code, 0, t.err);
    assert.match(t.err, /recipe mnist-mlp-gan \(profile quick\)/);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    assert.equal(config.ema, 0.999);
    assert.equal(config.modelConfig.gBatchNorm, true);
    const e = await gan('evaluate', '--run', out, '--n', '100', '--json', '--backend', 'wasm');
    assert.equal(e.code, 0, e.err);
    const ev = JSON.parse(e.out);
    assert.equal(ev.ema, true);
    assert.deepEqual(
      ev.rows.map((r: { kind: string }) => r.kind),
      ['run', 'real', 'untrained'],
    );
    const [run, real] = ev.rows;
    assert.ok(real.confident > 0.9 && real.classesCovered === 10, JSON.stringify(real));
    assert.ok(run.classifierFid > real.classifierFid, 'six steps cannot match real digits');
  }).timeout(180000);

  it('refuses flags a recipe fixes, unknown recipes, and evaluate without a run (exit 2)', async () => {
    let r = await gan('train', '--recipe', 'mnist-dcgan', '--lr', '0.1', '--out', path.join(tmp, 'x'));
    assert.equal(r.code, 2);
    assert.match(r.err, /--recipe mnist-dcgan fixes --lr itself/);
    r = await gan('train', '--recipe', 'nope', '--out', path.join(tmp, 'y'));
    assert.equal(r.code, 2);
    assert.match(r.err, /Unknown recipe "nope"/);
    r = await gan('evaluate', '--run', path.join(tmp, 'missing'));
    assert.equal(r.code, 2);
    assert.match(r.err, /No run at/);
    assert.ok(!fs.existsSync(path.join(tmp, 'x')) && !fs.existsSync(path.join(tmp, 'y')));
  });
});
