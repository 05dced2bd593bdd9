/**
 * Browser test (`npm run test:browser`): executed notebooks, converted to HTML by nbconvert, opened
 * in Debian's headless Chromium (playwright-core, executablePath). Each tutorial is checked against
 * its entry in the table of test/browser/tutorials.ts (which charts, by title, with how many traces,
 * each drawn with finite data; how many pictures), never against its own output; every image must
 * decode (naturalWidth > 0) and the console stay free of errors; keeps a screenshot under
 * test-artifacts/browser/. The fixture below (every output kind) is checked against its outputs.
 * Notebooks: test-artifacts/notebooks/*.ipynb (from the notebook smoke run), plus the fixture
 * test/fixtures/plot/plot-smoke.ipynb (every output kind src/plot makes), executed with the tslab
 * kernel; PLOT_BROWSER_FIXTURE=0 leaves the fixture out when executed notebooks exist.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext } from 'playwright-core';
import { launchTestBrowser, type TestBrowser } from './launch';
import { PLOTLY_MIME } from '../../src/plot/display';
import { notebookExpectations, type NotebookExpectations } from './expectations';
import { checkTutorialPage, READ_CHARTS_IN_PAGE, TUTORIALS, type PageChart } from './tutorials';

const ROOT = path.resolve(__dirname, '..', '..');
/** The smoke run's executed notebooks; GAN_BROWSER_NOTEBOOKS points elsewhere (e.g. a deliberately broken copy). */
const EXECUTED_DIR = process.env.GAN_BROWSER_NOTEBOOKS ?? path.join(ROOT, 'test-artifacts', 'notebooks');
const OUT_DIR = path.join(ROOT, 'test-artifacts', 'browser');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'plot', 'plot-smoke.ipynb');

function executedNotebooks(): string[] {
  if (!fs.existsSync(EXECUTED_DIR)) return [];
  return fs
    .readdirSync(EXECUTED_DIR)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(EXECUTED_DIR, f));
}

function jupyter(args: string[], cwd: string): void {
  const bin = process.env.JUPYTER ?? 'jupyter';
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 600_000 });
  if (r.error)
    throw new Error(
      `Could not run ${bin} ${args.join(' ')}: ${r.error.message}. Is Jupyter installed (apt-get install jupyter-nbconvert)?`,
    );
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .filter((l) => !/debugger|frozen modules|PYDEVD/i.test(l))
      .slice(-25)
      .join('\n');
    throw new Error(`${bin} ${args.join(' ')} exited with ${r.status}:\n${tail}`);
  }
}

/** Execute the fixture notebook in place of its folder (its relative imports need that cwd). */
function executeFixture(): string {
  const outDir = path.join(ROOT, 'test-artifacts', 'plot-smoke');
  fs.rmSync(outDir, { recursive: true, force: true }); // the fixture's saveFigure must write afresh
  fs.mkdirSync(outDir, { recursive: true });
  jupyter(
    [
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      '--ExecutePreprocessor.kernel_name=tslab',
      '--ExecutePreprocessor.timeout=300',
      '--output-dir',
      outDir,
      '--output',
      'plot-smoke.executed.ipynb',
      path.basename(FIXTURE),
    ],
    path.dirname(FIXTURE),
  );
  return path.join(outDir, 'plot-smoke.executed.ipynb');
}

/**
 * The fixture imports the compiled library (tslab cannot import .ts from outside the notebook's
 * folder), so dist/ must be at least as new as src/plot/. Build when it is not.
 */
function ensureBuilt(): void {
  const srcDir = path.join(ROOT, 'src', 'plot');
  const newestSrc = Math.max(...fs.readdirSync(srcDir).map((f) => fs.statSync(path.join(srcDir, f)).mtimeMs));
  const built = path.join(ROOT, 'dist', 'src', 'plot', 'index.js');
  const fresh = (): boolean => fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSrc;
  if (fresh()) return;
  console.log('    dist/src/plot is older than src/plot: building (tsc -p tsconfig.json)…');
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // tsc emits even when some other file has type errors; only a missing/stale output stops us.
  if (!fresh())
    throw new Error(`Could not build dist/src/plot (tsc exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

function toHtml(ipynb: string): string {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const name = path.basename(ipynb, '.ipynb');
  jupyter(
    ['nbconvert', '--to', 'html', '--output-dir', OUT_DIR, '--output', name, ipynb],
    path.dirname(ipynb),
  );
  return path.join(OUT_DIR, `${name}.html`);
}

interface PageReport {
  charts: { id: string; mainSvg: number; traces: number; cartesianTraces: number; canvases: number }[];
  images: { src: string; naturalWidth: number; complete: boolean }[];
}

const useFixture = process.env.PLOT_BROWSER_FIXTURE !== '0' || executedNotebooks().length === 0;

describe('notebooks rendered in headless Chromium', function () {
  this.timeout(900_000);
  let context: BrowserContext;
  let browser: TestBrowser | undefined;
  const notebooks = executedNotebooks();

  before(async function () {
    browser = await launchTestBrowser(); // first: fail fast when there is no Chromium
    context = browser.context;
    if (useFixture) {
      ensureBuilt();
      notebooks.push(executeFixture());
    }
  });

  after(async function () {
    await browser?.close();
  });

  it('has executed notebooks to check', function () {
    assert.ok(
      notebooks.length > 0,
      `Expected executed notebooks in ${EXECUTED_DIR} or the fixture ${FIXTURE}.`,
    );
  });

  it('shows what the table says for each tutorial, every image decoded, no console errors', async function () {
    const failures: string[] = [];
    const names = notebooks.map((n) => path.basename(n, '.ipynb'));
    const missing = Object.keys(TUTORIALS).filter((t) => !names.includes(t));
    if (missing.length > 0 && notebooks.some((n) => n.startsWith(EXECUTED_DIR))) {
      const note = `tutorials not executed (run \`npm run test:notebooks\` first): ${missing.join(', ')}`;
      if (process.env.CI) failures.push(note);
      else console.log(`    note: ${note}`);
    }
    for (const ipynb of notebooks) {
      const name = path.basename(ipynb, '.ipynb');
      const tutorial = TUTORIALS[name];
      if (!tutorial && /^\d\d-/.test(name)) {
        failures.push(`${name}: a tutorial with no entry in the table of test/browser/tutorials.ts`);
        continue;
      }
      // The fixture (not a tutorial) is checked against its own outputs: it exists to exercise each kind.
      const expected: NotebookExpectations = tutorial
        ? { charts: [], images: tutorial.pictures }
        : notebookExpectations(JSON.parse(fs.readFileSync(ipynb, 'utf8')));
      const html = toHtml(ipynb);
      const page = await context.newPage();
      const errors: string[] = [];
      const external: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      // Offline by design: answer any network request with an empty body and note it; a chart that
      // needed the network would then fail the checks below.
      await page.route(/^https?:/, (route) => {
        external.push(route.request().url());
        return route.fulfill({ status: 200, body: '' });
      });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`file://${html}`, { waitUntil: 'load', timeout: 120_000 });
      const ids = expected.charts.map((c) => c.id);
      await page
        .waitForFunction(
          (ids: string[]) =>
            ids.every((id) => document.querySelector(`#${id} svg.main-svg`)) &&
            Array.from(document.querySelectorAll('.gan-plot')).every((d) => d.querySelector('svg.main-svg')),
          ids,
          { timeout: 60_000, polling: 250 },
        )
        .catch(() => undefined); // reported per chart below
      await page
        .waitForFunction(() => Array.from(document.images).every((i) => i.complete), undefined, {
          timeout: 30_000,
        })
        .catch(() => undefined);
      const report: PageReport = await page.evaluate((ids: string[]) => {
        const charts = ids.map((id) => {
          const el = document.getElementById(id) as (HTMLElement & { data?: unknown[] }) | null;
          return {
            id,
            mainSvg: el ? el.querySelectorAll('svg.main-svg').length : -1,
            traces: el && Array.isArray(el.data) ? el.data.length : -1,
            cartesianTraces: el ? el.querySelectorAll('.cartesianlayer .mlayer > g').length : -1,
            canvases: el
              ? Array.from(el.querySelectorAll('canvas')).filter((c) => c.width > 0 && c.height > 0).length
              : -1,
          };
        });
        const images = Array.from(document.querySelectorAll('.jp-OutputArea img, .output_area img')).map(
          (node) => {
            const img = node as HTMLImageElement;
            return { src: img.src.slice(0, 40), naturalWidth: img.naturalWidth, complete: img.complete };
          },
        );
        return { charts, images };
      }, ids);
      const pageCharts = (await page.evaluate(READ_CHARTS_IN_PAGE)) as PageChart[];
      fs.mkdirSync(OUT_DIR, { recursive: true });
      await page.addStyleTag({ content: '#MathJax_Message { display: none !important; }' });
      await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), fullPage: true });
      await page.close();

      if (tutorial)
        failures.push(...checkTutorialPage(name, tutorial, { charts: pageCharts, images: report.images }));
      for (const want of expected.charts) {
        const got = report.charts.find((c) => c.id === want.id);
        if (!got || got.mainSvg < 1) {
          failures.push(`${name}: chart ${want.id} (cell ${want.cell}) did not render (no svg.main-svg)`);
          continue;
        }
        if (got.traces !== want.traces)
          failures.push(
            `${name}: chart in cell ${want.cell} has ${got.traces} traces, expected ${want.traces}`,
          );
        if (got.cartesianTraces !== want.cartesianTraces) {
          failures.push(
            `${name}: chart in cell ${want.cell} drew ${got.cartesianTraces} 2-D traces, expected ${want.cartesianTraces}`,
          );
        }
        if (want.webgl && got.canvases < 1) {
          failures.push(`${name}: chart in cell ${want.cell} needs WebGL but drew no <canvas>`);
        }
        const drawn = pageCharts.find((c) => c.id === want.id)?.drawnTraces ?? 0;
        if (drawn < want.cartesianTraces)
          failures.push(
            `${name}: chart in cell ${want.cell} drew ${drawn} of ${want.cartesianTraces} 2-D traces with finite data`,
          );
      }
      if (!tutorial && report.images.length < expected.images) {
        failures.push(
          `${name}: found ${report.images.length} output images, expected at least ${expected.images}`,
        );
      }
      if (!tutorial)
        report.images.forEach((img, i) => {
          if (!(img.complete && img.naturalWidth > 0))
            failures.push(`${name}: image ${i} (${img.src}…) did not decode`);
        });
      failures.push(...errors.map((e) => `${name}: ${e}`));
      console.log(
        `    ${name}: ${pageCharts.filter((c) => c.drawnTraces > 0).length}/${tutorial ? tutorial.charts.length : expected.charts.length} charts drawn, ` +
          `${report.images.filter((i) => i.naturalWidth > 0).length}/${report.images.length} images, ${errors.length} console errors` +
          (external.length
            ? `, ${external.length} network requests answered empty (${[...new Set(external.map((u) => new URL(u).host))].join(', ')})`
            : '') +
          ` → ${path.relative(ROOT, path.join(OUT_DIR, `${name}.png`))}`,
      );
    }
    assert.deepEqual(failures, [], `Browser check failed:\n  ${failures.join('\n  ')}`);
  });

  it('fails a tutorial whose chart is removed or drawn empty (a check that can fail)', async function () {
    const source = notebooks.find((n) => path.basename(n) === '00-environment.ipynb');
    if (!source) this.skip(); // needs the smoke run's executed 00-environment
    const nb = JSON.parse(fs.readFileSync(source!, 'utf8')) as {
      cells: { outputs?: { data?: Record<string, unknown> }[] }[];
    };
    const chartOut = nb.cells.flatMap((c) => c.outputs ?? []).find((o) => o.data && PLOTLY_MIME in o.data);
    assert.ok(chartOut, '00-environment shows a chart');
    const dir = fs.mkdtempSync(path.join(OUT_DIR, 'broken-'));
    try {
      // Drawn empty: every y (and x) of the chart's data becomes NaN, in the JSON and in the script that draws it.
      const html = chartOut.data!['text/html'];
      const text = Array.isArray(html) ? html.join('') : String(html);
      const at = text.lastIndexOf('id="gan-plot-'); // after the inlined plotly.js: the chart's own script
      assert.ok(at >= 0, 'the chart output has its plot div');
      chartOut.data!['text/html'] =
        text.slice(0, at) + text.slice(at).replace(/"([xy])":\[[^\]]*\]/g, '"$1":[NaN,NaN,NaN,NaN]');
      const empty = path.join(dir, 'broken-00-environment.ipynb'); // its own HTML name: no clash
      fs.writeFileSync(empty, JSON.stringify(nb));
      const page = await context.newPage();
      await page.goto(`file://${toHtml(empty)}`, { waitUntil: 'load', timeout: 120_000 });
      await page.waitForTimeout(1000);
      const drawnEmpty = checkTutorialPage('00-environment', TUTORIALS['00-environment'], {
        charts: (await page.evaluate(READ_CHARTS_IN_PAGE)) as PageChart[],
        images: [{ src: 'x', naturalWidth: 1, complete: true }],
      });
      await page.close();
      assert.ok(
        drawnEmpty.some((f) => /drew 0 traces with finite data/.test(f)),
        drawnEmpty.join('\n'),
      );
      // Removed: the chart output is gone.
      for (const c of nb.cells) c.outputs = c.outputs?.filter((o) => o !== chartOut);
      fs.writeFileSync(empty, JSON.stringify(nb));
      const page2 = await context.newPage();
      await page2.goto(`file://${toHtml(empty)}`, { waitUntil: 'load', timeout: 120_000 });
      const removed = checkTutorialPage('00-environment', TUTORIALS['00-environment'], {
        charts: (await page2.evaluate(READ_CHARTS_IN_PAGE)) as PageChart[],
        images: [{ src: 'x', naturalWidth: 1, complete: true }],
      });
      await page2.close();
      assert.ok(
        removed.some((f) => /no chart titled/.test(f)),
        removed.join('\n'),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  if (!useFixture) return;
  it('finds every output kind in the executed fixture (a check that can fail)', function () {
    const fixture = notebooks.find((n) => n.endsWith('plot-smoke.executed.ipynb'));
    assert.ok(fixture, 'the fixture notebook was not executed');
    const exp = notebookExpectations(JSON.parse(fs.readFileSync(fixture, 'utf8')));
    assert.equal(exp.charts.length, 6, `expected 6 ${PLOTLY_MIME} outputs in the fixture`);
    assert.ok(exp.images >= 3, `expected ≥ 3 image outputs (grid, live view, animation), got ${exp.images}`);
    // saveFigure in the fixture wrote its files (relative to the project root; the folder was emptied first).
    for (const f of ['losses.png', 'losses.svg', 'grid.png']) {
      const file = path.join(ROOT, 'test-artifacts', 'plot-smoke', f);
      assert.ok(fs.existsSync(file), `${file} was not written by the fixture's saveFigure`);
    }
  });
});
