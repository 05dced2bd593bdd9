// Mime bundles (pure), the plotly.js once-per-session loader, sinks and in-place updates.
import { strict as assert } from 'assert';
import { animateGrids } from '../../src/plot/animation';
import { lossChart } from '../../src/plot/charts';
import {
  animationBundle,
  figureBundle,
  figureHtml,
  findKernelWriter,
  kernelSink,
  LiveDisplay,
  PLOTLY_MIME,
  pictureBundle,
  plotlyLoaderHtml,
  resetPlotlyLoader,
  setDisplaySink,
  show,
  takePlotlyLoader,
  toBundle,
  type DisplaySink,
  type MimeBundle,
} from '../../src/plot/display';
import { figure } from '../../src/plot/figure';
import { imageGrid } from '../../src/plot/imageGrid';
import { Animation, apngInfo } from '../../src/plot/animation';
import { decodePng } from '../../src/plot/pixels';
import { Picture } from '../../src/plot/picture';
import { encodeIndexedApng, halfSize, OUTPUT_ANIMATION_BUDGET } from '../../src/plot/outputImage';
import { headerBundle } from '../../src/notebook';
import type { BackendReport } from '../../src/backend';

/** A seeded photograph-like picture: smooth colour gradients plus noise (PNG compresses it badly). */
function photo(width: number, height: number, seed = 1): Picture {
  const data = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 24;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      data[o] = (x * 255) / width + rand();
      data[o + 1] = (y * 255) / height + rand();
      data[o + 2] = 128 + 60 * Math.sin((x + y) / 17) + rand();
      data[o + 3] = 255;
    }
  return new Picture({ width, height, data });
}

const fig = lossChart([
  { step: 0, dLoss: 1, gLoss: 2 },
  { step: 1, dLoss: 0.9, gLoss: 1.8 },
]);
const grid = imageGrid({ shape: [4, 4, 4, 1], dataSync: () => new Float32Array(64) }, { scale: 1 });

function recorder(): DisplaySink & { sent: { bundle: MimeBundle; id?: string; update?: boolean }[] } {
  const sent: { bundle: MimeBundle; id?: string; update?: boolean }[] = [];
  return { rich: true, sent, send: (bundle, id, update) => sent.push({ bundle, id, update }) };
}

describe('plot/display', () => {
  afterEach(() => {
    setDisplaySink(undefined);
    resetPlotlyLoader();
  });

  it('a figure bundle carries plotly JSON, HTML and text', () => {
    const b = figureBundle(fig);
    assert.deepEqual(Object.keys(b.data), [PLOTLY_MIME, 'text/html', 'text/plain']);
    const spec = b.data[PLOTLY_MIME] as { data: unknown[]; layout: { title: { text: string } } };
    assert.equal(spec.data.length, 4);
    assert.equal(spec.layout.title.text, 'Training losses');
    assert.match(b.data['text/plain'] as string, /Figure "Training losses": 4 traces/);
    assert.doesNotMatch(b.data['text/html'] as string, /if \(!window.Plotly\)/);
  });

  it('inlines the installed plotly.js once per session, guarded by window.Plotly', () => {
    const loader = plotlyLoaderHtml();
    assert.ok(loader.length > 1_000_000, 'the whole minified bundle is inlined (no CDN)');
    assert.ok(/^<script type="text\/javascript">\/\* plotly\.js \d+\.\d+\.\d+/.test(loader), 'loader header');
    assert.ok(loader.includes('if (!window.Plotly) {'), 'defines Plotly only if absent');
    assert.ok(!/<script[^>]*\ssrc=/.test(loader), 'the loader must not fetch a script (no CDN)');
    assert.equal(takePlotlyLoader(), true);
    assert.equal(takePlotlyLoader(), false);
    resetPlotlyLoader();
    assert.equal(takePlotlyLoader(), true);
  });

  it('show(): the first figure of a session carries plotly.js, later ones do not', () => {
    const rec = recorder();
    setDisplaySink(rec);
    show(fig, fig, grid);
    assert.equal(rec.sent.length, 3);
    assert.match(rec.sent[0].bundle.data['text/html'] as string, /if \(!window\.Plotly\)/);
    assert.doesNotMatch(rec.sent[1].bundle.data['text/html'] as string, /if \(!window\.Plotly\)/);
    assert.deepEqual(Object.keys(rec.sent[2].bundle.data), ['image/png', 'text/plain']);
    assert.equal(rec.sent[0].id, undefined);
  });

  it('escapes </script> in figure data so the HTML cannot break out', () => {
    const html = figureHtml(figure([{ y: [1], name: '</script><b>x' }], { title: '</script>' }), {
      id: 'p1',
    });
    assert.equal((html.match(/<\/script>/g) ?? []).length, 1);
    assert.match(html, /\\u003c\/script>/);
    assert.match(html, /<div id="p1" class="gan-plot"/);
  });

  it('pictures are image/png, animations image/png holding an APNG', () => {
    const b = pictureBundle(grid);
    assert.deepEqual(
      Array.from(Buffer.from(b.data['image/png'] as string, 'base64').subarray(1, 4)),
      [0x50, 0x4e, 0x47],
    );
    assert.deepEqual(b.metadata['image/png'], { width: grid.width, height: grid.height });
    const anim = animateGrids([grid, grid, grid]);
    const a = toBundle(anim);
    assert.deepEqual(Object.keys(a.data), ['image/png', 'text/plain']);
    assert.equal(apngInfo(Buffer.from(a.data['image/png'] as string, 'base64')).frames, 3);
    assert.throws(
      () => toBundle({ foo: 1 } as never),
      /Expected a Figure .* but got an object with keys \[foo\]/,
    );
  });

  it('a figure with a rendered picture carries it as image/png (GitHub and untrusted notebooks show it)', () => {
    const png = grid.png;
    const b = figureBundle({ ...fig, picture: { png, width: 800, height: 380 } });
    assert.deepEqual(Object.keys(b.data), [PLOTLY_MIME, 'text/html', 'image/png', 'text/plain']);
    assert.equal(b.data['image/png'], png.toString('base64'));
    assert.deepEqual(b.metadata['image/png'], { width: 800, height: 380 });
    const spec = b.data[PLOTLY_MIME] as Record<string, unknown>;
    assert.deepEqual(
      Object.keys(spec),
      ['data', 'layout', 'config'],
      'the picture stays out of the plotly JSON',
    );
    assert.match(b.data['text/html'] as string, /Interactive chart: run this cell/, 'no-script text');
  });

  it('photographs travel as JPEG when far smaller; small or flat pictures stay PNG', async () => {
    const pic = photo(320, 240);
    const b = pictureBundle(pic);
    assert.deepEqual(Object.keys(b.data), ['image/jpeg', 'text/plain']);
    const jpeg = Buffer.from(b.data['image/jpeg'] as string, 'base64');
    assert.deepEqual(Array.from(jpeg.subarray(0, 3)), [0xff, 0xd8, 0xff]);
    assert.ok(jpeg.length * 2 <= pic.png.length, `JPEG ${jpeg.length} B vs PNG ${pic.png.length} B`);
    assert.deepEqual(b.metadata['image/jpeg'], { width: 320, height: 240 });
    assert.deepEqual(Object.keys(pictureBundle(grid).data), ['image/png', 'text/plain']);
  });

  it('large animations travel as a palette APNG that decodes to the first frame within quantization', async () => {
    const frames = [1, 2, 3].map((seed) => photo(300, 220, seed).rgba.data);
    const anim = new Animation(300, 220, frames, [500, 500, 500]);
    const indexed = encodeIndexedApng(anim);
    const info = apngInfo(indexed);
    assert.equal(info.frames, 3);
    assert.equal(info.frameControls, 3);
    assert.ok(indexed.length * 2 <= anim.apng.length, `${indexed.length} B vs ${anim.apng.length} B`);
    assert.equal(indexed[8 + 8 + 9], 3, 'IHDR colour type 3 (palette)');
    const first = await decodePng(indexed);
    let err = 0;
    for (let i = 0; i < first.data.length; i += 4) err += Math.abs(first.data[i] - frames[0][i]);
    assert.ok(err / (first.data.length / 4) < 12, `mean red error ${err / (first.data.length / 4)}`);
    const b = toBundle(anim);
    assert.equal(Buffer.from(b.data['image/png'] as string, 'base64').length, indexed.length);
  });

  it('an animation over the output budget is shown from half-resolution frames at its full size', () => {
    // Grey noise: the worst case for compression (early GAN samples come close); grey keeps the
    // palette search short.
    let s = 7;
    const frames = [1, 2, 3, 4, 5, 6].map(() => {
      const f = new Uint8ClampedArray(600 * 480 * 4);
      for (let i = 0; i < f.length; i += 4) {
        s = (s * 1664525 + 1013904223) >>> 0;
        f.fill(s >>> 24, i, i + 3);
        f[i + 3] = 255;
      }
      return f;
    });
    const anim = new Animation(
      600,
      480,
      frames,
      frames.map(() => 300),
    );
    assert.ok(
      encodeIndexedApng(anim).length > OUTPUT_ANIMATION_BUDGET,
      'the full-size palette APNG is over budget',
    );
    const b = animationBundle(anim);
    const bytes = Buffer.from(b.data['image/png'] as string, 'base64');
    const info = apngInfo(bytes);
    assert.deepEqual([info.width, info.height, info.frames], [300, 240, 6]);
    assert.ok(bytes.length <= OUTPUT_ANIMATION_BUDGET, `${bytes.length} B`);
    assert.deepEqual(b.metadata['image/png'], { width: 600, height: 480 }, 'shown at full size');
    const half = halfSize(anim);
    assert.equal(
      half.frames[0][0],
      (frames[0][0] + frames[0][4] + frames[0][600 * 4] + frames[0][600 * 4 + 4] + 2) >> 2,
    );
  });

  it('the notebook header is a table in HTML too (classic Notebook shows no untrusted Markdown)', () => {
    const backend = {
      backend: 'wasm',
      provider: 'wasm',
      device: 'CPU <2 cores>',
      skipped: { webgpu: 'no | Vulkan' },
      tfjsVersion: '4.22.0',
    } as unknown as BackendReport;
    const b = headerBundle('00-environment', 'quick', backend, 'MNIST');
    assert.deepEqual(Object.keys(b.data), ['text/html', 'text/markdown', 'text/plain']);
    const html = b.data['text/html'];
    assert.match(html, /^<table class="gan-header">/);
    assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 6);
    assert.match(html, /<code>quick<\/code>/);
    assert.match(html, /CPU &lt;2 cores&gt;/);
    assert.match(b.data['text/markdown'], /\| faster backends skipped \| webgpu: no \\\| Vulkan \|/);
  });

  it('LiveDisplay sends once, then updates the same display_id in place', () => {
    const rec = recorder();
    const live = new LiveDisplay(rec);
    live.update(grid);
    live.update(grid);
    live.update(grid);
    assert.deepEqual(
      rec.sent.map((s) => [s.id, s.update]),
      [
        [live.id, false],
        [live.id, true],
        [live.id, true],
      ],
    );
  });

  it('finds the kernel writer in the module cache and sends transient display ids', () => {
    const calls: unknown[][] = [];
    const cache = {
      '/x/node_modules/tslab/dist/jupyter.js': {
        exports: { lastWriteDisplayData: (...a: unknown[]) => calls.push(a) },
      },
      '/x/node_modules/other/dist/jupyter.js': { exports: { lastWriteDisplayData: () => undefined } },
    } as unknown as NodeJS.Dict<NodeModule>;
    const writer = findKernelWriter(cache);
    assert.ok(writer);
    assert.equal(
      findKernelWriter({ '/y/tslab/dist/jupyter.js': { exports: { lastWriteDisplayData: null } } } as never),
      undefined,
    );
    const sink = kernelSink(() => writer);
    sink.send(pictureBundle(grid), 'abc', true);
    const [content, update] = calls[0] as [{ data: object; transient: object }, boolean];
    assert.equal(update, true);
    assert.deepEqual(content.transient, { display_id: 'abc' });
    assert.deepEqual(Object.keys(content.data), ['image/png', 'text/plain']);
    assert.throws(
      () => kernelSink(() => undefined).send(pictureBundle(grid)),
      /Not inside a running tslab kernel/,
    );
  });

  it('outside a kernel, show() prints text summaries', () => {
    const lines: string[] = [];
    const orig = console.log;
    console.log = (l: string) => lines.push(l);
    try {
      show(fig);
    } finally {
      console.log = orig;
    }
    assert.ok(
      lines.some((l) => /Figure "Training losses": 4 traces/.test(l)),
      lines.join('\n'),
    );
  });
});
