/**
 * Static export for docs/figures and GitHub (which does not run plotly): charts are rendered by
 * plotly.js itself (Plotly.toImage → SVG + PNG) in Debian's headless Chromium, driven by
 * playwright-core with `executablePath` (never a browser download). One browser start serves
 * many figures: `exportFigures([...])` batches explicitly; `saveFigure` shares a warm browser that
 * closes after 30 s without work, so a notebook's figure cells share one start. Without Chromium it
 * says so once, writes no chart files and the interactive outputs stay as they are.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../util/paths';
import { isFigure, type Figure, type FigurePicture } from './figure';
import { CHROMIUM_ARGS, CHROMIUM_CANDIDATES, findChromium } from '../env/chromium';
import { plotlyBundlePath } from './display';
import { Animation } from './animation';
import { Picture } from './picture';

/** One Chromium finder for the project (src/env/chromium.ts); re-exported for the plot API. */
export { findChromium, CHROMIUM_ARGS as CHROMIUM_FLAGS } from '../env/chromium';

export const NO_CHROMIUM_MESSAGE =
  '[plot] No Chromium found (looked at $CHROMIUM_PATH and ' +
  CHROMIUM_CANDIDATES.join(', ') +
  '): charts stay interactive in the notebook but are not exported as PNG/SVG. Install it with `apt-get install chromium`.';

export interface ExportOptions {
  /** Size of the exported chart in CSS pixels (defaults: 800 × the figure's height or 420). */
  width?: number;
  height?: number;
  /** PNG pixel ratio (default 2, crisp on high-DPI screens and GitHub). */
  scale?: number;
}

/** A running headless Chromium with plotly.js loaded into one blank page. */
export class ChromiumSession {
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly userDataDir: string,
    readonly errors: string[],
  ) {}

  static async open(executablePath: string): Promise<ChromiumSession> {
    const { chromium } = await import('playwright-core');
    // A fresh profile per start: nothing leaks between runs, nothing is read from ~/.config.
    removeStaleProfiles();
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath,
        headless: true,
        args: [...CHROMIUM_ARGS],
        timeout: 60_000,
      });
      // Offline by design: plotly.js comes from node_modules; any network request is refused.
      await context.route(/^https?:/, (route) => route.abort());
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
      await page.addScriptTag({ path: plotlyBundlePath() });
      return new ChromiumSession(context, page, userDataDir, errors);
    } catch (err) {
      await context?.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
      throw new Error(
        `Could not start headless Chromium (${executablePath}): ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }

  /** Render one figure with plotly.js; returns the SVG text and PNG bytes. */
  async render(fig: Figure, options: ExportOptions = {}): Promise<{ svg: string; png: Buffer }> {
    const { width, height } = exportSize(fig, options);
    const scale = options.scale ?? 2;
    const before = this.errors.length;
    const out = await this.page.evaluate(
      async ({ data, layout, config, width, height, scale }) => {
        const P = (window as unknown as { Plotly: PlotlyStatic }).Plotly;
        const gd = document.createElement('div');
        document.body.appendChild(gd);
        try {
          await P.newPlot(
            gd,
            data,
            { ...layout, width, height },
            { ...config, staticPlot: true, responsive: false },
          );
          const svg = await P.toImage(gd, { format: 'svg', width, height });
          const png = await P.toImage(gd, { format: 'png', width, height, scale });
          return { svg, png };
        } finally {
          P.purge(gd);
          gd.remove();
        }
      },
      { data: fig.data, layout: fig.layout, config: fig.config, width, height, scale },
    );
    const fresh = this.errors.slice(before);
    if (fresh.length > 0) throw new Error(`plotly.js reported errors while rendering: ${fresh.join(' | ')}`);
    return { svg: decodeDataUrl(out.svg).toString('utf8'), png: decodeDataUrl(out.png) };
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

const PROFILE_PREFIX = 'gan-plot-chromium-';

/**
 * Remove profiles left by processes that were killed before closing their browser (Chromium
 * itself exits when its pipe closes; the temporary profile folder stays behind).
 */
export function removeStaleProfiles(dir = os.tmpdir()): number {
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    const m = new RegExp(`^${PROFILE_PREFIX}(\\d+)-`).exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface PlotlyStatic {
  newPlot(gd: HTMLElement, data: unknown, layout: unknown, config: unknown): Promise<unknown>;
  toImage(
    gd: HTMLElement,
    opts: { format: string; width: number; height: number; scale?: number },
  ): Promise<string>;
  purge(gd: HTMLElement): void;
}

/** `data:<mime>[;base64],<payload>` → bytes. */
export function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0)
    throw new Error(`Expected a data: URL, but got "${url.slice(0, 40)}…".`);
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return head.endsWith(';base64')
    ? Buffer.from(body, 'base64')
    : Buffer.from(decodeURIComponent(body), 'utf8');
}

export interface ExportItem {
  figure: Figure;
  /** Path without extension, relative to the project root, e.g. `docs/figures/02-dcgan-mnist/losses`; writes .png and .svg. */
  path: string;
  options?: ExportOptions;
}

export interface ExportResult {
  path: string;
  /** Files written (empty when skipped). */
  files: string[];
  /** Why nothing was written (no Chromium). */
  skipped?: string;
}

let warnedNoChromium = false;
function noChromium(): string {
  if (!warnedNoChromium) {
    warnedNoChromium = true;
    console.warn(NO_CHROMIUM_MESSAGE);
  }
  return 'no Chromium';
}

async function writeChart(session: ChromiumSession, item: ExportItem): Promise<string[]> {
  const { svg, png } = await session.render(item.figure, item.options);
  return writeRenderedFigure({ svg, png, ...exportSize(item.figure, item.options) }, item.path);
}

/** Export charts with ONE Chromium start; returns the files written per chart. */
export async function exportFigures(
  items: readonly ExportItem[],
  executablePath = findChromium(),
): Promise<ExportResult[]> {
  items.forEach((it, i) => {
    if (!isFigure(it.figure))
      throw new Error(
        `Expected item ${i} to hold a Figure (from figure()/lossChart()…), but got ${typeof it.figure}.`,
      );
  });
  if (items.length === 0) return [];
  if (!executablePath) {
    const reason = noChromium();
    return items.map((it) => ({ path: it.path, files: [], skipped: reason }));
  }
  const session = await ChromiumSession.open(executablePath);
  try {
    const results: ExportResult[] = [];
    for (const item of items) results.push({ path: item.path, files: await writeChart(session, item) });
    return results;
  } finally {
    await session.close();
  }
}

/**
 * Queues charts and renders them all with one Chromium start at `flush()`.
 *   const ex = new FigureExporter(); ex.add(lossChart(h), 'docs/figures/nb/losses'); await ex.flush();
 */
export class FigureExporter {
  private queue: ExportItem[] = [];

  add(fig: Figure, filePath: string, options?: ExportOptions): this {
    if (!isFigure(fig))
      throw new Error(`Expected a Figure (from figure()/lossChart()…), but got ${typeof fig}.`);
    this.queue.push({ figure: fig, path: filePath, options });
    return this;
  }

  get pending(): number {
    return this.queue.length;
  }

  async flush(): Promise<ExportResult[]> {
    const items = this.queue;
    this.queue = [];
    return exportFigures(items);
  }
}

// The shared warm browser behind saveFigure.
interface Warm {
  session?: Promise<ChromiumSession>;
  chain: Promise<unknown>;
  timer?: NodeJS.Timeout;
  starts: number;
}
const warm: Warm = { chain: Promise.resolve(), starts: 0 };

/** How long the shared browser stays open without work (ms); `GAN_FIGURE_IDLE_MS` overrides. */
export function idleMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.GAN_FIGURE_IDLE_MS);
  return Number.isFinite(v) && v >= 0 ? v : 30_000;
}

/** Number of Chromium starts made by saveFigure so far (one per notebook in the normal case). */
export function sharedBrowserStarts(): number {
  return warm.starts;
}

/** Close saveFigure's shared browser now (CLI scripts call this so the process can exit). */
export async function closeFigureExporter(): Promise<void> {
  await warm.chain.catch(() => undefined);
  if (warm.timer) clearTimeout(warm.timer);
  warm.timer = undefined;
  const s = warm.session;
  warm.session = undefined;
  if (s) await (await s.catch(() => undefined))?.close();
}

/** Run `work` on the shared warm browser (started on first use, closed after `idleMs()` idle). */
function withWarmSession<T>(executablePath: string, work: (s: ChromiumSession) => Promise<T>): Promise<T> {
  const job = warm.chain.then(async () => {
    if (warm.timer) clearTimeout(warm.timer);
    if (!warm.session) {
      warm.starts++;
      warm.session = ChromiumSession.open(executablePath);
    }
    let session: ChromiumSession;
    try {
      session = await warm.session;
    } catch (err) {
      warm.session = undefined;
      throw err;
    }
    try {
      return await work(session);
    } finally {
      warm.timer = setTimeout(() => void closeFigureExporter(), idleMs());
      warm.timer.unref();
    }
  });
  warm.chain = job.catch(() => undefined);
  return job;
}

/** A chart rendered once: SVG text, PNG bytes (at `scale`) and its CSS size. */
export interface RenderedFigure {
  svg: string;
  png: Buffer;
  width: number;
  height: number;
}

/** Size of a figure's export in CSS pixels: the options, else the layout, else 800 × 420. */
export function exportSize(fig: Figure, options: ExportOptions = {}): { width: number; height: number } {
  return {
    width: options.width ?? (typeof fig.layout.width === 'number' ? fig.layout.width : 800),
    height: options.height ?? (typeof fig.layout.height === 'number' ? fig.layout.height : 420),
  };
}

/**
 * Render a chart once (SVG + PNG) with the shared warm browser; undefined (one warning per
 * process) without Chromium. `withPicture` attaches the PNG to the figure for `show`.
 */
export async function renderFigure(
  fig: Figure,
  options: ExportOptions = {},
): Promise<RenderedFigure | undefined> {
  if (!isFigure(fig))
    throw new Error(`Expected a Figure (from figure()/lossChart()…), but got ${typeof fig}.`);
  const executablePath = findChromium();
  if (!executablePath) {
    noChromium();
    return undefined;
  }
  const rendered = await withWarmSession(executablePath, (s) => s.render(fig, options));
  return { ...rendered, ...exportSize(fig, options) };
}

/** The figure with its static picture attached (shown as image/png beside the interactive chart). */
export function withPicture(fig: Figure, rendered: RenderedFigure | undefined): Figure {
  if (!rendered) return fig;
  const picture: FigurePicture = { png: rendered.png, width: rendered.width, height: rendered.height };
  return { ...fig, picture };
}

/**
 * Write a rendered chart as `<base>.png` and `<base>.svg` (base relative to the project root);
 * returns the files as given.
 */
export function writeRenderedFigure(rendered: RenderedFigure, base: string): string[] {
  const stem = stripExt(base);
  const abs = outputPath(stem);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(`${abs}.svg`, rendered.svg);
  fs.writeFileSync(`${abs}.png`, rendered.png);
  return [`${stem}.png`, `${stem}.svg`];
}

/**
 * Save a chart (PNG + SVG via Chromium), a Picture (PNG) or an Animation (GIF) under `base`
 * (no extension; relative to the project root): `await saveFigure(lossChart(h), 'docs/figures/02-dcgan-mnist/losses')`.
 * Returns the files written, as given (none, with one warning per process, when a chart meets no Chromium).
 */
export async function saveFigure(
  item: Figure | Picture | Animation,
  base: string,
  options: ExportOptions = {},
): Promise<string[]> {
  if (typeof base !== 'string' || base.trim() === '') {
    throw new Error(
      `Expected a file path without extension (e.g. 'docs/figures/<notebook>/<name>'), but got ${JSON.stringify(base)}.`,
    );
  }
  const stem = stripExt(base);
  if (item instanceof Picture || item instanceof Animation) {
    const file = item instanceof Picture ? `${stem}.png` : `${stem}.gif`;
    fs.mkdirSync(path.dirname(outputPath(file)), { recursive: true });
    fs.writeFileSync(outputPath(file), item instanceof Picture ? item.png : item.gif);
    return [file];
  }
  if (!isFigure(item)) {
    throw new Error(`Expected a Figure, Picture or Animation to save, but got ${typeof item}.`);
  }
  const rendered = await renderFigure(item, options);
  return rendered ? writeRenderedFigure(rendered, stem) : [];
}

/**
 * Relative output paths are relative to the project root (the folder with package.json), not to
 * the working directory: notebooks run in notebooks/, and `docs/figures/...` means the repo's.
 */
export function outputPath(p: string, root: string = projectRoot()): string {
  return path.isAbsolute(p) ? p : path.join(root, p);
}

function stripExt(p: string): string {
  return p.replace(/\.(png|svg|gif)$/i, '');
}
