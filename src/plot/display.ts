/**
 * Showing figures and pictures in tslab. Mime bundles are built by pure functions; only the
 * final send touches the kernel. tslab's public `display.raw(type, data)` sends one mime type per
 * message, so a figure's bundle (`application/vnd.plotly.v1+json` for JupyterLab/VS Code,
 * `text/html` for any front end that runs scripts, and `image/png` when the figure carries a
 * rendered picture, for GitHub and untrusted notebooks) goes through the kernel's own display writer
 * (tslab/dist/jupyter, the function `display.raw` calls), found in the module cache. Outside a kernel
 * `show` prints text. `committedNotebook.ts` strips the script HTML from the committed copies.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { isFigure, type Figure } from './figure';
import { Animation } from './animation';
import { imageGrid } from './imageGrid';
import { Picture } from './picture';
import { animationOutputImage, pictureOutputImage } from './outputImage';
import type { TensorLike } from './pixels';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** The `data` and `metadata` of a Jupyter display_data message. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** Anything `show` takes; an image tensor [N, H, W, C] in [-1, 1] is shown as `imageGrid(t)`. */
export type Showable = Figure | Picture | Animation | MimeBundle | TensorLike;

/** Where bundles go: the kernel, a recorder in tests, or the console. */
export interface DisplaySink {
  /** `displayId` names a display that later `update: true` sends replace in place. */
  send(bundle: MimeBundle, displayId?: string, update?: boolean): void;
  /** True when bundles reach a notebook front end (the HTML renders there). */
  readonly rich: boolean;
}

// ---------------------------------------------------------------------------------------------
// plotly.js, inlined once per kernel session

const SESSION = Symbol.for('gan-notebooks.plot.session');
interface SessionState {
  plotlyInlined: boolean;
  sink?: DisplaySink;
  warnedText?: boolean;
}
function session(): SessionState {
  const g = globalThis as unknown as Record<symbol, SessionState>;
  if (!g[SESSION]) g[SESSION] = { plotlyInlined: false };
  return g[SESSION];
}

/** Path of the installed minified plotly.js bundle (no CDN: notebooks work offline). */
export function plotlyBundlePath(): string {
  return require.resolve('plotly.js-dist-min/plotly.min.js');
}

let plotlySource: string | undefined;
function readPlotly(): string {
  if (plotlySource === undefined) {
    const src = fs.readFileSync(plotlyBundlePath(), 'utf8');
    // A "</script" inside the bundle would end the inline script early.
    plotlySource = src.replace(/<\/script/gi, '<\\/script');
  }
  return plotlySource;
}

/** A `<script>` that defines window.Plotly from the installed bundle unless the page has it. */
export function plotlyLoaderHtml(): string {
  const pkg = require.resolve('plotly.js-dist-min/package.json');
  const { version } = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string };
  return (
    `<script type="text/javascript">/* plotly.js ${version}, inlined once per kernel session by gan-notebooks */\n` +
    `if (!window.Plotly) {\n${readPlotly()}\n}\n</script>\n`
  );
}

/**
 * Whether the next figure must carry plotly.js: true once per kernel session. Call
 * `resetPlotlyLoader()` to embed it again (e.g. after clearing the cell that carried it).
 */
export function takePlotlyLoader(): boolean {
  const s = session();
  if (s.plotlyInlined) return false;
  s.plotlyInlined = true;
  return true;
}

export function resetPlotlyLoader(): void {
  session().plotlyInlined = false;
}

// ---------------------------------------------------------------------------------------------
// Pure bundle builders

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface FigureHtmlOptions {
  /** Prepend the plotly.js loader script (≈ 4.8 MB). */
  includePlotly?: boolean;
  /** Element id of the plot div (default: random). */
  id?: string;
}

/**
 * HTML that draws `fig` with window.Plotly. It waits (up to 15 s) for plotly.js and for the div to
 * be in the document, so neither the order in which a front end runs output scripts nor when it
 * attaches the output matters.
 */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  const id = options.id ?? `gan-plot-${randomBytes(6).toString('hex')}`;
  const height = typeof fig.layout.height === 'number' ? fig.layout.height : 380;
  const spec = { data: fig.data, layout: fig.layout, config: fig.config };
  // The text inside the div is what a page that runs no scripts shows (an untrusted notebook).
  const draw =
    `<div id="${id}" class="gan-plot" style="width:100%;min-width:320px;height:${height}px;">` +
    `${NO_SCRIPT_TEXT}</div>\n` +
    `<script type="text/javascript">\n(function () {\n` +
    `  var id = ${scriptJson(id)};\n` +
    `  var fig = ${scriptJson(spec)};\n` +
    `  var script = document.currentScript;\n` +
    `  var tries = 0;\n` +
    `  function find() {\n` +
    `    var el = document.getElementById(id);\n` +
    `    var prev = script && script.previousElementSibling;\n` +
    `    return el || (prev && prev.id === id ? prev : null);\n` +
    `  }\n` +
    `  function draw() {\n` +
    `    var el = find();\n` +
    `    if (el && window.Plotly && document.body.contains(el)) {\n` +
    `      el.textContent = '';\n` +
    `      window.Plotly.newPlot(el, fig.data, fig.layout, fig.config);\n` +
    `      return;\n` +
    `    }\n` +
    `    if (++tries < 150) { setTimeout(draw, 100); return; }\n` +
    `    if (el && !window.Plotly) {\n` +
    `      el.style.height = 'auto';\n` +
    `      el.textContent = 'plotly.js is not loaded in this page. Re-run the first cell that shows a chart ' +\n` +
    `        '(it carries plotly.js once per kernel session), or call resetPlotlyLoader() and show the chart again.';\n` +
    `    }\n` +
    `  }\n` +
    `  draw();\n` +
    `})();\n</script>`;
  return (options.includePlotly ? plotlyLoaderHtml() : '') + draw;
}

/** Shown inside a chart's HTML where scripts do not run. */
export const NO_SCRIPT_TEXT =
  'Interactive chart: run this cell (or trust the notebook) to draw it; the committed notebook shows it as a picture.';

/** One-line text form of a figure (what plain-text front ends and the CLI show). */
export function figureText(fig: Figure): string {
  const title = fig.layout.title?.text ?? '';
  const names = fig.data.map((t) => t.name ?? t.type ?? 'trace').join(', ');
  return `Figure${title ? ` "${title}"` : ''}: ${fig.data.length} trace${fig.data.length === 1 ? '' : 's'} (${names})`;
}

/**
 * The bundle of a figure: plotly JSON + HTML (+ plotly.js when `includePlotly`) + its rendered
 * picture as image/png when it carries one (`renderFigure`) + text.
 */
export function figureBundle(fig: Figure, options: FigureHtmlOptions = {}): MimeBundle {
  const data: Record<string, unknown> = {
    [PLOTLY_MIME]: { data: fig.data, layout: fig.layout, config: fig.config },
    'text/html': figureHtml(fig, options),
  };
  const metadata: Record<string, unknown> = {};
  if (fig.picture) {
    data['image/png'] = fig.picture.png.toString('base64');
    metadata['image/png'] = { width: fig.picture.width, height: fig.picture.height };
  }
  data['text/plain'] = figureText(fig);
  return { data, metadata };
}

/** A picture's bundle: PNG, or JPEG for photographs where that is far smaller (outputImage.ts). */
export function pictureBundle(pic: Picture): MimeBundle {
  const { mime, bytes } = pictureOutputImage(pic);
  return {
    data: { [mime]: bytes.toString('base64'), 'text/plain': pic.toString() },
    metadata: { [mime]: { width: pic.width, height: pic.height } },
  };
}

/**
 * An animation travels as image/png holding an APNG: nbconvert's HTML and GitHub drop image/gif
 * outputs, while every renderer shows image/png and browsers play APNG.
 */
export function animationBundle(anim: Animation): MimeBundle {
  const { bytes } = animationOutputImage(anim);
  return {
    data: { 'image/png': bytes.toString('base64'), 'text/plain': `${anim.toString()} (APNG)` },
    metadata: { 'image/png': { width: anim.width, height: anim.height } },
  };
}

function isTensorLike(x: unknown): x is TensorLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as TensorLike).shape) &&
    typeof (x as TensorLike).dataSync === 'function'
  );
}

export function isMimeBundle(x: unknown): x is MimeBundle {
  return typeof x === 'object' && x !== null && 'data' in x && 'metadata' in x && !('kind' in x);
}

/** The bundle for anything `show` accepts; figures take the session's plotly loader if due. */
export function toBundle(item: Showable, options: { includePlotly?: boolean } = {}): MimeBundle {
  if (isFigure(item))
    return figureBundle(item, { includePlotly: options.includePlotly ?? takePlotlyLoader() });
  if (item instanceof Picture) return pictureBundle(item);
  if (isTensorLike(item)) return pictureBundle(imageGrid(item));
  if (item instanceof Animation) return animationBundle(item);
  if (isMimeBundle(item)) return item;
  throw new Error(
    `Expected a Figure (from figure()/lossChart()…), a Picture (imageGrid()…), an Animation, an image tensor [N, H, W, C] or a mime bundle, but got ${describe(item)}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Sinks

type WriteDisplayData = (
  content: {
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
    transient: { display_id?: string };
  },
  update: boolean,
) => void;

/**
 * The running tslab kernel's display writer, or undefined outside a kernel. tslab sets
 * `lastWriteDisplayData` in dist/jupyter.js for each execute request; we look it up in the
 * module cache, so it is the kernel's own copy whichever tslab installation runs it.
 */
export function findKernelWriter(
  cache: NodeJS.Dict<NodeModule> = require.cache,
): WriteDisplayData | undefined {
  for (const [file, mod] of Object.entries(cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const write = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof write === 'function') return write as WriteDisplayData;
  }
  return undefined;
}

/** Sends to the tslab kernel (display_data / update_display_data with a display_id). */
export function kernelSink(writer: () => WriteDisplayData | undefined = findKernelWriter): DisplaySink {
  return {
    rich: true,
    send(bundle, displayId, update = false) {
      const write = writer();
      if (!write)
        throw new Error('Not inside a running tslab kernel: no display writer found (tslab/dist/jupyter).');
      write(
        {
          data: bundle.data,
          metadata: bundle.metadata,
          transient: displayId ? { display_id: displayId } : {},
        },
        update,
      );
    },
  };
}

/** Prints each bundle's text/plain (updates of a live display print as new lines). */
export function consoleSink(log: (line: string) => void = (l) => console.log(l)): DisplaySink {
  return {
    rich: false,
    send(bundle) {
      const text = bundle.data['text/plain'];
      log(typeof text === 'string' ? text : `[${Object.keys(bundle.data).join(', ')}]`);
    },
  };
}

/** Route all output to `sink` (tests, or a custom front end); `undefined` restores auto-detection. */
export function setDisplaySink(sink: DisplaySink | undefined): void {
  session().sink = sink;
}

/** The sink in use: the one set, else the kernel when inside tslab, else the console. */
export function currentSink(): DisplaySink {
  const s = session();
  if (s.sink) return s.sink;
  if (findKernelWriter()) return kernelSink();
  if (!s.warnedText) {
    s.warnedText = true;
    console.log('[plot] Not inside a tslab kernel: showing text summaries. saveFigure() still writes files.');
  }
  return consoleSink();
}

/** Display figures, pictures and animations in the notebook (one output each). */
export function show(...items: Showable[]): void {
  if (items.length === 0)
    throw new Error('Expected something to show (a Figure, Picture or Animation), but got nothing.');
  const sink = currentSink();
  for (const item of items) sink.send(toBundle(item, sink.rich ? {} : { includePlotly: false }));
}

/** One output that later calls replace in place (tslab's newDisplay / update_display_data). */
export class LiveDisplay {
  readonly id = randomBytes(8).toString('hex');
  private sent = false;

  constructor(private readonly sink: DisplaySink = currentSink()) {}

  /**
   * Replace the output's content (the first call creates it). A figure carries plotly.js on every
   * update until an ordinary `show` has put it in the page, since each update replaces the last.
   */
  update(item: Showable): void {
    const includePlotly = this.sink.rich && isFigure(item) && !session().plotlyInlined;
    this.sink.send(toBundle(item, { includePlotly }), this.id, this.sent);
    this.sent = true;
  }
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'object') return `an object with keys [${Object.keys(x).slice(0, 6).join(', ')}]`;
  return typeof x;
}
