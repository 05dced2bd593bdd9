/**
 * `gan recipes`, `gan train --recipe` and `gan evaluate` end to end, in-process: the quick profile of
 * mnist-mlp-gan trains a few steps with its EMA, evaluate scores it beside the real and untrained rows,
 * `evaluate --record` adds a finished recipe run to a results file (and refuses an unfinished one, or one
 * the recipe would not have trained), and a recipe with a flag it fixes itself is refused with exit 2.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gan } from './capture';

/** `gan train --recipe mnist-mlp-gan --profile quick --out OUT` with more flags. */
const trainQuickMlp = (out: string, ...flags: string[]) =>
  gan('train', '--recipe', 'mnist-mlp-gan', '--profile', 'quick', '--out', out, ...flags);

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
    const t = await trainQuickMlp(out, '--max-steps', '6', '--backend', 'cpu');
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

  it('records a finished recipe run, and refuses an unfinished or different one', async () => {
    const res = path.join(tmp, 'results.json');
    const evalArgs = ['--n', '200', '--record', res, '--backend', 'wasm'];
    // The 6-step run above stopped before the quick budget (40): refused before any evaluation.
    let r = await gan('evaluate', '--run', path.join(tmp, 'mlp'), ...evalArgs);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /has 6 steps; recipe mnist-mlp-gan \(profile quick\) trains 40\. Finish it with/);

    const out = path.join(tmp, 'full');
    const t = await trainQuickMlp(out, '--backend', 'wasm');
    assert.equal(t.code, 0, t.err);
    const made = JSON.parse(fs.readFileSync(path.join(out, 'recipe.json'), 'utf8'));
    assert.deepEqual([made.recipe, made.profile, made.backend], ['mnist-mlp-gan', 'quick', 'wasm']);
    r = await gan('evaluate', '--run', out, ...evalArgs);
    assert.equal(r.code, 0, r.err);
    const [entry] = JSON.parse(fs.readFileSync(res, 'utf8'));
    assert.equal(entry.source, 'gan train --recipe mnist-mlp-gan --profile quick');
    assert.equal(entry.steps, 40);
    assert.deepEqual([entry.backend, entry.device], [made.backend, made.device], 'where it trained');
    assert.ok(entry.trainSeconds > 0 && entry.imgPerSec > 0);
    assert.equal(entry.evaluation.rows[0].kind, 'run');
    const md = fs.readFileSync(path.join(tmp, 'results.md'), 'utf8');
    assert.match(md, /## mnist-mlp-gan — profile `quick`[^]*40 steps[^]*200 samples per row/);

    // recipe.json naming a recipe whose config the run does not have
    fs.writeFileSync(path.join(out, 'recipe.json'), JSON.stringify({ ...made, recipe: 'mnist-dcgan' }));
    r = await gan('evaluate', '--run', out, ...evalArgs);
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /was not trained as recipe mnist-dcgan \(profile quick\) is now:\n {2}model: run has "mlp-gan", recipe has "dcgan-28"/,
    );
    fs.writeFileSync(path.join(out, 'recipe.json'), '{"recipe": ');
    r = await gan('evaluate', '--run', out, ...evalArgs);
    assert.equal(r.code, 2);
    assert.match(r.err, /recipe\.json is not valid JSON/);
    fs.rmSync(path.join(out, 'recipe.json'));
    r = await gan('evaluate', '--run', out, ...evalArgs);
    assert.equal(r.code, 2);
    assert.match(r.err, /recipe\.json is missing: only runs trained by `gan train --recipe NAME`/);
  }).timeout(240000);

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
