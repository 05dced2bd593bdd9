/**
 * src/notebook.ts: the header every tutorial shows first (profile, backend, device, dataset; the same
 * table as Markdown, HTML and text, escaped), and freshRunDir, which deletes folders — only runs.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BackendReport } from '../src/backend';
import { freshRunDir, headerBundle, headerHtml, headerMarkdown } from '../src/notebook';

const report = (skipped: BackendReport['skipped'] = {}): BackendReport =>
  ({
    backend: 'wasm',
    provider: 'wasm',
    device: 'CPU (WebAssembly SIMD) | 2 cores <fast>',
    gpu: false,
    skipped,
    tfjsVersion: '4.22.0',
  }) as BackendReport;

describe('notebook header', () => {
  it('states profile, backend, device, dataset and tfjs as a Markdown table, | escaped', () => {
    const md = headerMarkdown('02-gan-mnist', 'quick', report(), 'MNIST — embedded');
    const lines = md.split('\n');
    assert.equal(lines[0], '| 02-gan-mnist | |');
    assert.equal(lines[1], '|---|---|');
    assert.deepEqual(lines.slice(2), [
      '| profile | `quick` (CI smoke size: numbers are not meaningful) |',
      '| backend | `wasm` (wasm) |',
      '| device | CPU (WebAssembly SIMD) \\| 2 cores <fast> |',
      '| dataset | MNIST — embedded |',
      '| tfjs | 4.22.0 |',
    ]);
    // Every row has exactly two cells once escaped pipes are ignored.
    for (const l of lines) assert.equal(l.replace(/\\\|/g, '').split('|').length, 4, l);
  });

  it('says why faster backends were skipped, and no quick-profile warning at the default profile', () => {
    const md = headerMarkdown(
      'x',
      'default',
      report({ 'tfjs-node-gpu': 'not installed', webgpu: 'no adapter' }),
      'd',
    );
    assert.match(md, /\| faster backends skipped \| tfjs-node-gpu: not installed; webgpu: no adapter \|/);
    assert.doesNotMatch(md, /CI smoke size/);
    assert.match(md, /\| profile \| `default` \|/);
  });

  it('the HTML table escapes text and marks code; the bundle carries HTML, Markdown and text', () => {
    const html = headerHtml('n<1>', 'quick', report(), 'a & b');
    assert.match(html, /^<table class="gan-header">/);
    assert.match(html, /<th style="text-align:left">n&lt;1&gt;<\/th>/);
    assert.match(html, /<td style="text-align:left">CPU \(WebAssembly SIMD\) \| 2 cores &lt;fast&gt;<\/td>/);
    assert.match(html, /<td style="text-align:left">a &amp; b<\/td>/);
    assert.match(html, /<code>quick<\/code> \(CI smoke size/);
    assert.equal((html.match(/<tr>/g) ?? []).length, 6, 'header row + 5 rows');
    const b = headerBundle('n', 'quick', report(), 'd');
    assert.deepEqual(Object.keys(b.data).sort(), ['text/html', 'text/markdown', 'text/plain']);
    assert.equal(b.data['text/markdown'], headerMarkdown('n', 'quick', report(), 'd'));
    assert.equal(b.data['text/plain'], b.data['text/markdown']);
  });
});

describe('freshRunDir (deletes folders: only training runs)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-fresh-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('returns a missing folder without creating it', () => {
    const dir = path.join(tmp, 'new');
    assert.equal(freshRunDir(dir), dir);
    assert.equal(fs.existsSync(dir), false);
  });

  it('removes an earlier run (history, checkpoints, samples) and an empty folder', () => {
    const run = path.join(tmp, 'run');
    fs.mkdirSync(path.join(run, 'checkpoints', 'step-000000001-x'), { recursive: true });
    fs.mkdirSync(path.join(run, 'samples'));
    fs.writeFileSync(path.join(run, 'history.jsonl'), '{}\n');
    fs.writeFileSync(path.join(run, 'latest.json'), '{}');
    assert.equal(freshRunDir(run), run);
    assert.equal(fs.existsSync(run), false);
    const onlyCkpt = path.join(tmp, 'ckpt');
    fs.mkdirSync(path.join(onlyCkpt, 'checkpoints'), { recursive: true });
    freshRunDir(onlyCkpt);
    assert.equal(fs.existsSync(onlyCkpt), false, 'a run killed before its first history line');
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    freshRunDir(empty);
    assert.equal(fs.existsSync(empty), false);
  });

  it('refuses a folder that is not a run and leaves every file in place', () => {
    const dir = path.join(tmp, 'notes');
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'thesis.tex'), 'x');
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'y');
    assert.throws(
      () => freshRunDir(dir),
      /exists and does not look like a training run \(it holds src, thesis.tex\); not removing it/,
    );
    assert.deepEqual(fs.readdirSync(dir).sort(), ['src', 'thesis.tex']);
    assert.equal(fs.readFileSync(path.join(dir, 'src', 'a.ts'), 'utf8'), 'y');
  });

  it('refuses a run folder that also holds a file the run did not write, naming it', () => {
    const run = path.join(tmp, 'run');
    fs.mkdirSync(path.join(run, 'checkpoints'), { recursive: true });
    fs.writeFileSync(path.join(run, 'history.jsonl'), '');
    fs.writeFileSync(path.join(run, 'my-checkpoint-notes.txt'), 'mine');
    assert.throws(
      () => freshRunDir(run),
      /does not look like a training run \(it holds my-checkpoint-notes.txt\)/,
    );
    assert.equal(fs.readFileSync(path.join(run, 'my-checkpoint-notes.txt'), 'utf8'), 'mine');
    const named = path.join(tmp, 'named');
    fs.mkdirSync(named);
    fs.writeFileSync(path.join(named, 'old-checkpoint.bin'), 'x');
    assert.throws(() => freshRunDir(named), /does not look like a training run/);
  });

  it('removes a link inside a run, never what it points to', () => {
    const outside = path.join(tmp, 'precious');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'k');
    const run = path.join(tmp, 'run');
    fs.mkdirSync(run);
    fs.writeFileSync(path.join(run, 'history.jsonl'), '');
    fs.symlinkSync(outside, path.join(run, 'data'));
    freshRunDir(run);
    assert.equal(fs.existsSync(run), false);
    assert.equal(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8'), 'k');
  });
});
