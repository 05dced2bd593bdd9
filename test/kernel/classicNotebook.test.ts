/**
 * What a reader sees in classic Jupyter Notebook (Debian's jupyter-notebook, in Debian's headless
 * Chromium through playwright-core): a cell that throws shows an error traceback (not stderr text) that
 * points at the reader's cell and line; a last expression shows as Out[n]; an exception thrown by a timer
 * after its cell finished still shows on that cell. Keeps a screenshot in test-artifacts/kernel/.
 */
import { strict as assert } from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { jupyterCommand, jupyterEnv, KERNEL_NAME } from '../../src/env/jupyter';
import { launchTestBrowser, type TestBrowser } from '../browser/launch';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT_DIR = path.join(ROOT, 'test-artifacts', 'kernel');

const CELLS = [
  '6 * 7',
  'const a = 1;\nfunction explode(n: number): number {\n  throw new Error("boom at " + n);\n}',
  'const b = 2;\nexplode(a + b);',
];
const LATE_CELL = 'setTimeout(() => {\n  throw new Error("thrown by a timer, later");\n}, 300);';

function notebookJson(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((src) => ({
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: src,
    })),
    metadata: {
      kernelspec: { name: KERNEL_NAME, display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0));
  });
}

describe('classic Notebook in Chromium: errors and values of the tslab kernel', function () {
  this.timeout(600_000);
  let server: ChildProcess | undefined;
  let browser: TestBrowser | undefined;
  let dir = '';
  let serverLog = '';
  const port = 18_000 + (process.pid % 1000);
  const token = `t${process.pid}`;

  before(async function () {
    const jupyter = jupyterCommand();
    assert.ok(jupyter, 'jupyter is not on PATH: run `npm run kernel:install`');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-classic-nb-'));
    fs.writeFileSync(path.join(dir, 'throws.ipynb'), notebookJson(CELLS));
    fs.writeFileSync(path.join(dir, 'late.ipynb'), notebookJson([LATE_CELL]));
    server = spawn(
      jupyter,
      [
        'notebook',
        '--no-browser',
        `--port=${port}`,
        '--ip=127.0.0.1',
        `--NotebookApp.token=${token}`,
        `--notebook-dir=${dir}`,
        '--allow-root',
      ],
      { cwd: dir, env: jupyterEnv() },
    );
    server.stdout?.on('data', (d) => (serverLog += d));
    server.stderr?.on('data', (d) => (serverLog += d));
    const deadline = Date.now() + 120_000;
    while ((await get(`http://127.0.0.1:${port}/api?token=${token}`)) !== 200) {
      assert.ok(Date.now() < deadline, `jupyter notebook did not start:\n${serverLog.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    browser = await launchTestBrowser();
  });

  after(async () => {
    await browser?.close();
    if (server?.pid) server.kill('SIGTERM');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openAndRun(name: string) {
    const page = await browser!.context.newPage();
    await page.goto(`http://127.0.0.1:${port}/notebooks/${name}?token=${token}`);
    await page.waitForFunction(
      () => {
        const w = window as unknown as {
          Jupyter?: { notebook?: { kernel?: { is_connected(): boolean; info_reply?: unknown } } };
        };
        const k = w.Jupyter?.notebook?.kernel;
        return !!k && k.is_connected() && !!k.info_reply;
      },
      undefined,
      { timeout: 300_000 },
    );
    await page.evaluate(() =>
      (
        window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }
      ).Jupyter.notebook.execute_all_cells(),
    );
    return page;
  }

  it('shows a throwing cell as an error traceback that points at the reader’s cell and line; Out[n] for a value', async () => {
    const page = await openAndRun('throws.ipynb');
    const error = page.locator('.output_error').first();
    await error.waitFor({ timeout: 300_000 });
    const text = await error.innerText();
    fs.mkdirSync(OUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUT_DIR, 'classic-notebook-error.png'), fullPage: true });
    assert.match(text, /Error: boom at 3/);
    assert.match(text, /at explode \(Cell In\[2\], line 3\)/);
    assert.match(text, /at Cell In\[3\], line 2/);
    assert.match(text, /---->\s+3\s+throw new Error\("boom at " \+ n\);/);
    assert.doesNotMatch(text, /node:internal|node_modules|evalmachine|__tslab_cell_/);
    // the error is on the third cell, and no cell shows it as stderr text
    const cells = page.locator('.cell');
    assert.equal(await cells.nth(2).locator('.output_error').count(), 1);
    assert.equal(await page.locator('.output_stderr').count(), 0);
    // the first cell's value is an execute_result: Out[1]
    const out = cells.nth(0).locator('.output_prompt');
    assert.match(await out.first().innerText(), /Out\[1\]/);
    assert.match(await cells.nth(0).locator('.output_result').innerText(), /^42$/);
    await page.close();
  });

  it('shows an exception from a timer that fires after its cell finished on that cell', async () => {
    const page = await openAndRun('late.ipynb');
    const error = page.locator('.cell').nth(0).locator('.output_error');
    await error.waitFor({ timeout: 120_000 });
    const text = await error.innerText();
    await page.screenshot({ path: path.join(OUT_DIR, 'classic-notebook-late-error.png'), fullPage: true });
    assert.match(text, /Uncaught exception in a callback/);
    assert.match(text, /Error: thrown by a timer, later/);
    assert.match(text, /Cell In\[1\], line 2/);
    await page.close();
  });
});
