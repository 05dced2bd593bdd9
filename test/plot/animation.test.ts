// GIF and APNG encodings of epoch grids: frame counts, delays, loop flags, first-frame pixels.
import { strict as assert } from 'assert';
import { animateGrids, apngInfo, gifInfo } from '../../src/plot/animation';
import { decodePng } from '../../src/plot/pixels';

const batch = (v: number, n = 4) => ({
  shape: [n, 6, 6, 1],
  dataSync: () => new Float32Array(n * 36).fill(v),
});

describe('plot/animation', () => {
  it('encodes one GIF frame per epoch with delays and an infinite loop', () => {
    const anim = animateGrids([batch(-1), batch(0), batch(1)], {
      delayMs: 200,
      holdLastMs: 800,
      grid: { scale: 1 },
    });
    const info = gifInfo(anim.gif);
    assert.equal(info.frames, 3);
    assert.deepEqual(info.delaysMs, [200, 200, 1000]);
    assert.equal(info.loopCount, 0);
    assert.deepEqual([info.width, info.height], [anim.width, anim.height]);
    assert.equal(gifInfo(animateGrids([batch(0)], { loop: false }).gif).loopCount, undefined);
  });

  it('encodes the same frames as APNG whose first frame decodes exactly', async () => {
    const anim = animateGrids([batch(0.5), batch(-0.5)], {
      captions: ['epoch 1', 'epoch 2'],
      grid: { scale: 2 },
    });
    const info = apngInfo(anim.apng);
    assert.equal(info.frames, 2);
    assert.equal(info.frameControls, 2);
    assert.equal(info.plays, 0);
    assert.deepEqual(info.delaysMs, [500, 2000]);
    const first = await decodePng(anim.apng);
    assert.deepEqual([first.width, first.height], [anim.width, anim.height]);
    assert.deepEqual(Array.from(first.data), Array.from(anim.frames[0]));
  });

  it('detects a corrupted APNG', () => {
    const bytes = Buffer.from(animateGrids([batch(0)]).apng);
    bytes[40] ^= 0xff;
    assert.throws(() => apngInfo(bytes), /bad CRC/);
  });

  it('rejects frames of different sizes and wrong caption counts', () => {
    assert.throws(
      () => animateGrids([batch(0, 4), batch(0, 9)]),
      /frame 1 is 104×104 \(use the same number of images/,
    );
    assert.throws(() => animateGrids([batch(0)], { captions: ['a', 'b'] }), /Expected 1 captions/);
    assert.throws(() => animateGrids([]), /at least one frame/);
  });
});
