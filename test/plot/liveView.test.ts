// The live view: one display updated in place, throttled to every N steps, with status and ETA.
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { gifInfo } from '../../src/plot/animation';
import type { DisplaySink, MimeBundle } from '../../src/plot/display';
import { imageGrid } from '../../src/plot/imageGrid';
import { fmtDuration, liveTrainingView } from '../../src/plot/liveView';
import type { TrainCallbacks } from '../../src/train/engine';

function recorder(): DisplaySink & { sent: { bundle: MimeBundle; id?: string; update?: boolean }[] } {
  const sent: { bundle: MimeBundle; id?: string; update?: boolean }[] = [];
  return { rich: true, sent, send: (bundle, id, update) => sent.push({ bundle, id, update }) };
}

const record = (step: number) => ({
  step,
  epoch: Math.floor(step / 50),
  dLoss: 1.2,
  gLoss: 0.8,
  dReal: 0.6,
  dFake: 0.4,
  imgPerSec: 640,
});

describe('plot/liveView', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('redraws every N steps into one display, without flooding', () => {
    const sink = recorder();
    let t = 0;
    const view = liveTrainingView({ every: 20, totalSteps: 100, sink, now: () => t });
    for (let step = 1; step <= 100; step++) {
      t = step * 100; // 0.1 s per step
      view.onStep(record(step));
    }
    assert.equal(sink.sent.length, 5); // steps 20, 40, 60, 80, 100
    assert.ok(
      sink.sent.every((s) => s.id === sink.sent[0].id),
      'one display id',
    );
    assert.deepEqual(
      sink.sent.map((s) => s.update),
      [false, true, true, true, true],
    );
    const status = sink.sent[0].bundle.data['text/plain'] as string;
    // Step 20 at t = 2 s, started at step 1 (t = 0.1 s): 19 steps in 1.9 s, 80 to go → 8 s.
    assert.match(status, /step 20\/100 .* epoch 0 .* 640 img\/s .* elapsed 0:02 .* ETA 0:08/);
    assert.match(sink.sent[4].bundle.data['text/plain'] as string, /step 100\/100 .* done/);
    assert.deepEqual(Object.keys(sink.sent[0].bundle.data), ['image/png', 'text/plain']);
    view.onStep(record(101));
    view.close();
    view.close();
    assert.equal(sink.sent.length, 6, 'close draws the undrawn step 101, once');
    const idle = liveTrainingView({ every: 1, sink: recorder() });
    idle.onStep(record(1));
    idle.close();
    assert.equal(idle.renders, 1, 'nothing new since the last draw: close does not redraw');
    assert.equal(view.history.length, 101);
  });

  it('shows new sample grids at once and animates them per epoch', async () => {
    const sink = recorder();
    const view = liveTrainingView({ every: 1000, sink });
    view.onStep(record(1));
    const fake = tf.zeros([4, 8, 8, 1]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    await view.onSamples(fake, 1);
    await view.onSamples(imageGrid(fake).png, 2); // PNG bytes work too
    assert.equal(tf.memory().numTensors, before);
    fake.dispose();
    assert.equal(sink.sent.length, 2);
    assert.equal(view.sampleFrames.length, 2);
    assert.deepEqual(view.sampleEpochs, [1, 2]);
    const snap = view.snapshot();
    assert.equal(snap.width, 980);
    assert.equal(gifInfo(view.animation().gif).frames, 2);
  });

  it('plugs into the engine callbacks (src/train/engine.ts TrainCallbacks)', async () => {
    const sink = recorder();
    const view = liveTrainingView({ every: 2, sink });
    const callbacks = view.callbacks;
    const _contract: TrainCallbacks = callbacks; // compile-time check: the engine accepts these callbacks
    callbacks.onStart({ totalSteps: 4 });
    // Shaped like the engine's StepRecord, TrainProgress and epoch info (extra fields included).
    for (let step = 1; step <= 4; step++) {
      const rec = { ...record(step), ms: 10 };
      const progress = {
        step,
        totalSteps: 4,
        epoch: 0,
        numEpochs: 1,
        stepsPerEpoch: 4,
        imgPerSec: 1234,
        etaSec: 61 * (4 - step),
      };
      callbacks.onStep(rec, progress);
    }
    const samples = tf.zeros([4, 8, 8, 1]) as tf.Tensor4D;
    const info = { epoch: 0, step: 4, samples };
    await callbacks.onEpochEnd(info);
    samples.dispose();
    const texts = sink.sent.map((s) => s.bundle.data['text/plain'] as string);
    assert.match(texts[0], /step 2\/4 .* 1234 img\/s .* ETA 2:02/);
    assert.match(texts[1], /step 4\/4 .* done/);
    assert.equal(view.sampleFrames.length, 1);
    assert.equal(sink.sent.length, 3);
  });

  it('rejects bad options and records', () => {
    assert.throws(
      () => liveTrainingView({ every: 0, sink: recorder() }),
      /every to be a positive integer, but got 0/,
    );
    assert.throws(
      () => liveTrainingView({ totalSteps: -5, sink: recorder() }),
      /totalSteps to be a positive integer/,
    );
    const view = liveTrainingView({ sink: recorder() });
    assert.throws(() => view.onStep({} as never), /Expected a step record/);
    assert.throws(() => view.animation(), /sample grids from onSamples\(\)/);
  });

  it('formats durations', () => {
    assert.equal(fmtDuration(5), '0:05');
    assert.equal(fmtDuration(125), '2:05');
    assert.equal(fmtDuration(3725), '1:02:05');
    assert.equal(fmtDuration(Infinity), '?');
  });
});
