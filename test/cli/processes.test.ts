/**
 * `gan` commands as real processes: Ctrl-C (SIGINT) during `gan train` stops after the current step
 * with a checkpoint written and exit code 0, and the run resumes from it; `gan train-classifier`
 * trains, reports held-out accuracy and writes weights that load.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { loadEmbeddedDigits } from '../../src/data/mnist';
import { encodeIdxImages, encodeIdxLabels, MNIST_FILES } from '../../src/data/idx';
import { loadClassifier } from '../../src/metrics/classifier';
import { loadCheckpoint } from '../../src/train/checkpoint';

const ROOT = path.join(__dirname, '..', '..');

interface Child {
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
  kill(sig: NodeJS.Signals): void;
  err(): string;
}

function gan(args: string[]): Child {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', path.join(__dirname, 'ganChild.ts'), ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GAN_BACKEND: '' },
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  return {
    done: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err }))),
    kill: (sig) => child.kill(sig),
    err: () => err,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gan commands as processes', function () {
  this.timeout(600_000);
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-proc-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('Ctrl-C during gan train: stops after the step, writes a checkpoint, exits 0; --resume continues', async () => {
    const out = path.join(tmp, 'run');
    const tiny = ['--ngf', '2', '--ndf', '2', '--latent-dim', '4', '--batch-size', '4', '--backend', 'cpu'];
    const args = ['train', '--model', 'dcgan-28', '--dataset', 'mnist', '--out', out, '--no-progress'];
    // No periodic checkpoints: the one found afterwards is the one Ctrl-C wrote.
    const child = gan([...args, ...tiny, '--max-steps', '100000']);
    const history = path.join(out, 'history.jsonl');
    const steps = () =>
      fs.existsSync(history) ? fs.readFileSync(history, 'utf8').trim().split('\n').length : 0;
    const t0 = Date.now();
    while (steps() < 3) {
      if (Date.now() - t0 > 180_000) {
        child.kill('SIGKILL');
        assert.fail(`no training steps in 180 s: ${child.err()}`);
      }
      await sleep(20);
    }
    assert.equal(fs.existsSync(path.join(out, 'latest.json')), false, 'no checkpoint before Ctrl-C');
    child.kill('SIGINT');
    // A clean stop takes one step and a checkpoint; a loop that never yields to the event loop never
    // sees the signal (the handler cannot run), so give up after 60 s rather than hang.
    const r = await Promise.race([
      child.done,
      sleep(60_000).then(() => {
        child.kill('SIGKILL');
        return assert.fail(
          'gan train ignored Ctrl-C for 60 s: the SIGINT handler never ran (does the training loop yield to the event loop?)',
        );
      }),
    ]);
    assert.equal(r.signal, null, `stopped cleanly, not by the signal: ${r.err}`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /interrupted — finishing this step and writing a checkpoint/);
    assert.match(r.out, /stopped: (\d+) steps/);
    const stopped = Number(/stopped: (\d+) steps/.exec(r.out)![1]);
    const ckpt = loadCheckpoint(out);
    assert.equal(ckpt.manifest.step, stopped, 'the checkpoint holds the last finished step');
    assert.equal(steps(), stopped, 'history has exactly the finished steps');
    const resumed = gan([
      'train',
      '--out',
      out,
      '--resume',
      '--max-steps',
      String(stopped + 2),
      '--backend',
      'cpu',
    ]);
    const r2 = await resumed.done;
    assert.equal(r2.code, 0, r2.err);
    assert.match(r2.out, new RegExp(`done: ${stopped + 2} steps \\(2 this run\\)`));
  });

  it('gan train-classifier trains on an IDX folder, reports held-out accuracy, writes loadable weights', async () => {
    const dir = path.join(tmp, 'idx');
    fs.mkdirSync(dir);
    const { pixels, labels } = loadEmbeddedDigits();
    const pick = (n: number, offset: number) =>
      Array.from({ length: n }, (_, i) => (offset + i * 37) % labels.length);
    for (const [split, idx] of [
      ['train', pick(600, 0)],
      ['test', pick(150, 11)],
    ] as const) {
      const px = new Uint8Array(idx.length * 784);
      idx.forEach((j, i) => px.set(pixels.subarray(j * 784, (j + 1) * 784), i * 784));
      fs.writeFileSync(path.join(dir, MNIST_FILES[split].images), encodeIdxImages(px, idx.length, 28, 28));
      fs.writeFileSync(path.join(dir, MNIST_FILES[split].labels), encodeIdxLabels(idx.map((j) => labels[j])));
    }
    const base = path.join(tmp, 'weights', 'lenet');
    const r = await gan(['train-classifier', '--epochs', '2', '--dir', dir, '--out', base]).done;
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /training on 600 digits/);
    assert.match(r.out, /epoch 2\/2: loss [\d.]+, train acc/);
    const acc = Number(/test accuracy on 150 held-out digits: ([\d.]+)%/.exec(r.out)?.[1]);
    assert.ok(acc > 50, `held-out accuracy ${acc}% (chance: 10%)`);
    const { manifest, model } = loadClassifier(base);
    assert.equal(manifest.epochs, 2);
    assert.ok(Math.abs(manifest.testAccuracy * 100 - acc) < 0.01);
    model.dispose();
    const bad = await gan(['train-classifier', '--epochs', '0', '--out', path.join(tmp, 'bad')]).done;
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Expected --epochs to be an integer ≥ 1, but got "0"/);
    assert.equal(fs.existsSync(path.join(tmp, 'bad.json')), false);
  });
});
