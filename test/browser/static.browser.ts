/**
 * Browser test (`npm run test:browser`): the committed copy of an executed notebook, as GitHub and
 * an untrusted JupyterLab / classic Notebook show it — nbconvert's HTML opened in headless Chromium
 * with JavaScript switched off, so no plotly.js or output script runs. Every chart output must show
 * as a decoded image, the header as a table, and the copy must stay small (≤ 3 MB).
 * Notebooks: test-artifacts/notebooks/*.ipynb (the notebook smoke run), else 00-environment
 * executed here at the quick profile. Pages and screenshots go to test-artifacts/static/.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from '../../src/plot/export';
import { PLOTLY_MIME } from '../../src/plot/display';
import {
  committedNotebook,
  isChartOutput,
  notebookText,
  type NotebookJson,
} from '../../src/plot/committedNotebook';

const ROOT = path.resolve(__dirname, '..', '..');
const EXECUTED_DIR = path.join(ROOT, 'test-artifacts', 'notebooks');
const OUT_DIR = path.join(ROOT, 'test-artifacts', 'static');
/** The issue's budget for one committed notebook. */
const MAX_NOTEBOOK_BYTES = 3_000_000;

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000 });
  if (r.error) throw new Error(`Could not run ${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .filter((l) => !/debugger|frozen modules|PYDEVD/i.test(l))
      .slice(-25)
      .join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}:\n${tail}`);
  }
}

function executedNotebooks(): string[] {
  const list = () =>
    fs.existsSync(EXECUTED_DIR)
      ? fs
          .readdirSync(EXECUTED_DIR)
          .filter((f) => f.endsWith('.ipynb'))
          .sort()
          .map((f) => path.join(EXECUTED_DIR, f))
      : [];
  if (list().length === 0) {
    console.log('    no executed notebooks in test-artifacts/notebooks: executing 00-environment (quick)…');
    run(process.execPath, ['scripts/run-notebooks.js', '--profile', 'quick', '--check', '00'], ROOT);
  }
  return list();
}

/** What each output of the notebook is, in document order (nbconvert renders one element per output). */
function outputKinds(nb: NotebookJson): ('chart' | 'header' | 'other')[] {
  const kinds: ('chart' | 'header' | 'other')[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const o of cell.outputs ?? []) {
      const html = o.data?.['text/html'];
      const isHeader = typeof html !== 'undefined' && /class="gan-header"/.test([html].flat().join(''));
      kinds.push(isChartOutput(o) ? 'chart' : isHeader ? 'header' : 'other');
    }
  }
  return kinds;
}

interface OutputReport {
  mime: string | null;
  images: { naturalWidth: number; width: number; height: number }[];
  tableRows: number;
  text: string;
}

describe('committed notebooks shown without scripts (GitHub, untrusted Jupyter)', function () {
  this.timeout(900_000);
  let browser: Browser;
  let notebooks: string[] = [];

  before(async function () {
    const executablePath = findChromium();
    if (!executablePath)
      throw new Error(
        'No Chromium found (set CHROMIUM_PATH, or apt-get install chromium); it is never downloaded.',
      );
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS] });
    notebooks = executedNotebooks();
  });

  after(async function () {
    await browser?.close();
  });

  it('finds every chart as an image and the header as a table, in copies of at most 3 MB', async function () {
    assert.ok(notebooks.length > 0, `Expected executed notebooks in ${EXECUTED_DIR}.`);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    // JavaScript off for the whole context: what a page that runs no output scripts shows.
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    await context.route(/^https?:/, (route) => route.abort());
    const failures: string[] = [];
    let charts = 0;
    try {
      for (const executed of notebooks) {
        const name = path.basename(executed, '.ipynb');
        const { notebook } = await committedNotebook(
          JSON.parse(fs.readFileSync(executed, 'utf8')) as NotebookJson,
        );
        const ipynb = path.join(OUT_DIR, `${name}.ipynb`);
        fs.writeFileSync(ipynb, notebookText(notebook));
        const bytes = fs.statSync(ipynb).size;
        if (bytes > MAX_NOTEBOOK_BYTES)
          failures.push(`${name}: committed copy is ${(bytes / 1e6).toFixed(2)} MB (budget 3 MB)`);
        if (notebookText(notebook).includes('if (!window.Plotly)'))
          failures.push(`${name}: the committed copy still holds plotly.js`);

        run(
          'jupyter',
          ['nbconvert', '--to', 'html', '--output-dir', OUT_DIR, '--output', name, ipynb],
          OUT_DIR,
        );
        const page = await context.newPage();
        await page.goto(`file://${path.join(OUT_DIR, `${name}.html`)}`, {
          waitUntil: 'load',
          timeout: 120_000,
        });
        const outputs = page.locator('.jp-OutputArea-output');
        await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), fullPage: true });
        const reports: OutputReport[] = [];
        for (let i = 0; i < (await outputs.count()); i++) {
          const el = outputs.nth(i);
          const images = el.locator('img');
          const shown: OutputReport['images'] = [];
          for (let k = 0; k < (await images.count()); k++) {
            const box = await images.nth(k).boundingBox();
            const naturalWidth = await images
              .nth(k)
              .evaluate((img) => (img as HTMLImageElement).naturalWidth);
            shown.push({ naturalWidth, width: box?.width ?? 0, height: box?.height ?? 0 });
          }
          reports.push({
            mime: await el.getAttribute('data-mime-type'),
            images: shown,
            tableRows: await el.locator('table tr').count(),
            text: ((await el.textContent()) ?? '').trim().slice(0, 80),
          });
        }
        await page.close();

        const kinds = outputKinds(notebook);
        if (kinds.length !== reports.length) {
          failures.push(`${name}: ${kinds.length} outputs in the notebook but ${reports.length} in the page`);
          continue;
        }
        kinds.forEach((kind, i) => {
          const r = reports[i];
          if (kind === 'chart') {
            charts++;
            const ok = r.images.some((img) => img.naturalWidth > 0 && img.width >= 200 && img.height >= 100);
            if (!ok)
              failures.push(
                `${name}: chart output ${i} shows no image (shown as ${r.mime}: ${JSON.stringify(r.images)} "${r.text}")`,
              );
          }
          if (kind === 'header' && r.tableRows < 3)
            failures.push(`${name}: the header (output ${i}) is not a table ("${r.text}")`);
        });
        if (!kinds.includes('header')) failures.push(`${name}: no header table output (startNotebook)`);
        if (!JSON.stringify(notebook).includes(PLOTLY_MIME) && kinds.includes('chart'))
          failures.push(`${name}: chart outputs lost their interactive plotly JSON`);
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(failures, []);
    assert.ok(charts > 0, 'Expected at least one chart among the executed notebooks (00 shows one).');
  });
});
