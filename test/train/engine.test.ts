/**
 * The engine: seeded first-epoch history, resume = uninterrupted run, checkpoint validation (a
 * checkpoint is untrusted input), NaN stop keeping the last good checkpoint, shape mismatch errors.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { disposeModels } from '../../src/models';
import { CheckpointError, latestCheckpointDir, loadCheckpoint } from '../../src/train/checkpoint';
import { NonFiniteLossError, train, TrainConfigError, type StepRecord } from '../../src/train/engine';
import { baseRunOptions, lossesOf, syntheticDataset, TINY } from './fixtures';

const ds = baseRunOptions().dataset;
const base = baseRunOptions;
const losses = lossesOf;

function readHistory(dir: string): StepRecord[] {
  return fs
    .readFileSync(path.join(dir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as StepRecord);
}

describe('training engine', () => {
  let tmp: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
  });
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-engine-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is seeded: same seed → identical first-epoch history; another seed differs; no leaks', async () => {
    const n0 = tf.memory().numTensors;
    const epochs: number[] = [];
    const a = await train({
      ...base(),
      numEpochs: 1,
      callbacks: {
        onEpochEnd: ({ samples }) => void epochs.push(samples.shape[0]),
        onEnd: ({ step, samples }) => void epochs.push(step, samples.shape[1]),
      },
    });
    disposeModels(a.models);
    assert.equal(tf.memory().numTensors, n0, 'train() leaked tensors');
    const b = await train({ ...base(), numEpochs: 1 });
    const c = await train({ ...base(), numEpochs: 1, seed: 12 });
    [b, c].forEach((r) => disposeModels(r.models));
    assert.equal(a.history.length, 5); // 40 examples / batch 8
    assert.deepEqual(losses(b.history), losses(a.history));
    assert.notDeepEqual(losses(c.history), losses(a.history));
    assert.deepEqual(epochs, [4, 5, 8]); // the epoch render (4 samples), then the end render at step 5
    assert.equal(a.stopped, 'done');
  });

  it('keeps numTensors identical after every one of 55 engine steps (data, checkpoints, renders included)', async () => {
    const counts: number[] = [];
    const r = await train({
      ...base(),
      numEpochs: 11,
      outDir: path.join(tmp, 'leak'),
      checkpointEvery: 7,
      callbacks: { onStep: () => void counts.push(tf.memory().numTensors), onEpochEnd: () => undefined },
    });
    disposeModels(r.models);
    assert.equal(counts.length, 55);
    assert.deepEqual(counts, new Array(55).fill(counts[0]));
  });

  it('resume continues exactly: kill after a mid-epoch checkpoint, resume → same history as uninterrupted', async () => {
    const full = await train({ ...base(), outDir: path.join(tmp, 'full') });
    disposeModels(full.models);
    assert.equal(full.history.length, 10);

    const dir = path.join(tmp, 'resumed');
    // First leg stops at step 7 (mid-epoch 1), checkpointing every 3 steps and at the end.
    const leg1 = await train({ ...base(), outDir: dir, maxSteps: 7, checkpointEvery: 3 });
    disposeModels(leg1.models);
    assert.equal(leg1.stopped, 'maxSteps');
    assert.equal(loadCheckpoint(dir).manifest.step, 7);
    // Simulate a kill after step 8 with the checkpoint still at 7: an extra history line and a torn one.
    fs.appendFileSync(
      path.join(dir, 'history.jsonl'),
      JSON.stringify({ step: 8, epoch: 1 }) + '\n{"step": 9, "ep',
    );
    const leg2 = await train({ ...base(), outDir: dir, resume: true });
    disposeModels(leg2.models);
    assert.equal(leg2.stepsThisRun, 3);
    assert.deepEqual(losses(leg2.history), losses(full.history));
    assert.deepEqual(losses(readHistory(dir)), losses(full.history));
    // Final checkpoints hold identical weights.
    const a = loadCheckpoint(path.join(tmp, 'full'));
    const b = loadCheckpoint(dir);
    assert.equal(b.manifest.step, 10);
    for (const [name, t] of a.tensors) assert.deepEqual(b.tensors.get(name)?.data, t.data, name);
  });

  it('refuses a resume with other settings, a second run into the same dir, and a missing run', async () => {
    const dir = path.join(tmp, 'run');
    const r = await train({ ...base(), outDir: dir, maxSteps: 2 });
    disposeModels(r.models);
    await assert.rejects(train({ ...base(), outDir: dir }), /already holds a run/);
    await assert.rejects(
      train({ ...base(), outDir: dir, resume: true, batchSize: 4 }),
      (e: Error) =>
        e instanceof TrainConfigError && /batchSize: checkpoint has 8, requested 4/.test(e.message),
    );
    await assert.rejects(
      train({ ...base(), outDir: dir, resume: true, modelConfig: { ...TINY['mlp-gan'], gHidden: [16] } }),
      /modelConfig.gHidden.0: checkpoint has 8, requested 16/,
    );
    await assert.rejects(
      train({ ...base(), outDir: path.join(tmp, 'none'), resume: true }),
      /Cannot resume: no run in/,
    );
    assert.equal(fs.existsSync(path.join(tmp, 'none')), false, 'a failed start wrote files');
  });

  it('validates checkpoint files: JSON, tensor table, byte lengths, SHA-256, pointer', async () => {
    const dir = path.join(tmp, 'run');
    const r = await train({ ...base(), outDir: dir, maxSteps: 2 });
    disposeModels(r.models);
    const ck = latestCheckpointDir(dir);
    const manifestFile = path.join(ck, 'manifest.json');
    const weightsFile = path.join(ck, 'weights.bin');
    const manifest = fs.readFileSync(manifestFile, 'utf8');
    const weights = fs.readFileSync(weightsFile);
    const expectBad = (re: RegExp) =>
      assert.throws(
        () => loadCheckpoint(dir),
        (e: Error) => e instanceof CheckpointError && re.test(e.message),
      );

    fs.writeFileSync(manifestFile, manifest.slice(0, 100));
    expectBad(/not valid JSON/);
    const m = JSON.parse(manifest);
    fs.writeFileSync(
      manifestFile,
      JSON.stringify({ ...m, tensors: [{ ...m.tensors[0], shape: [3, 3] }, ...m.tensors.slice(1)] }),
    );
    expectBad(/needs 36 bytes, byteLength says/);
    fs.writeFileSync(manifestFile, JSON.stringify({ ...m, step: -1 }));
    expectBad(/"step" to be a non-negative integer/);
    fs.writeFileSync(manifestFile, manifest);
    fs.writeFileSync(weightsFile, weights.subarray(0, weights.length - 4));
    expectBad(/expected \d+ bytes \(from manifest.json\), found/);
    const flipped = Buffer.from(weights);
    flipped[10] ^= 1;
    fs.writeFileSync(weightsFile, flipped);
    expectBad(/SHA-256 does not match/);
    fs.writeFileSync(weightsFile, weights);
    assert.equal(loadCheckpoint(dir).manifest.step, 2);
    fs.writeFileSync(
      path.join(dir, 'latest.json'),
      JSON.stringify({ format: 'gan-notebooks/checkpoint', checkpoint: '../../etc' }),
    );
    expectBad(/expected "checkpoint" to be an id/);
  });

  it('a NaN loss stops training with a clear message and keeps the last good checkpoint', async () => {
    const dir = path.join(tmp, 'nan');
    // Epoch 1's batches hold a NaN: D(x), and so dLoss, become NaN at step 6.
    const poisoned = syntheticDataset(40, [8, 8, 1], { poisonFromEpoch: 1 });
    let err: unknown;
    try {
      await train({ ...base(), dataset: poisoned, outDir: dir, checkpointEvery: 1 });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof NonFiniteLossError, String(err));
    assert.match(
      err.message,
      /Training diverged at step 6 \(epoch 1\): dLoss = NaN.*last good checkpoint \(step 5\)/,
    );
    const ckpt = loadCheckpoint(dir); // loads: every tensor finite
    assert.equal(ckpt.manifest.step, err.record.step - 1);
    assert.equal(readHistory(dir).length, ckpt.manifest.step);
  });

  it('refuses a model/dataset shape mismatch before writing anything', async () => {
    const dir = path.join(tmp, 'mismatch');
    await assert.rejects(
      train({ model: 'dcgan-64', modelConfig: TINY['dcgan-64'], dataset: ds, outDir: dir }),
      /dcgan-64 makes 64×64×3 images but dataset synthetic has 8×8×1 images/,
    );
    assert.equal(fs.existsSync(dir), false);
  });

  it('trains tiny dcgan-28 and dcgan-64 end to end with renders per epoch', async () => {
    for (const [model, shape] of [
      ['dcgan-28', [28, 28, 1]],
      ['dcgan-64', [64, 64, 3]],
    ] as const) {
      const renders: number[][] = [];
      const r = await train({
        model,
        modelConfig: TINY[model],
        dataset: syntheticDataset(4, [...shape]),
        batchSize: 2,
        numEpochs: 1,
        numFixed: 3,
        outDir: path.join(tmp, model),
        callbacks: { onEpochEnd: ({ samples }) => void renders.push(samples.shape) },
      });
      disposeModels(r.models);
      assert.equal(r.steps, 2);
      assert.deepEqual(renders, [[3, ...shape]]);
      assert.equal(loadCheckpoint(path.join(tmp, model)).manifest.step, 2);
    }
  });
});
