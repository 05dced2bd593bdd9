/**
 * The figure HTML in headless Chromium, the way front ends insert it: classic Notebook (jQuery
 * appends, then runs the scripts) and JupyterLab (innerHTML on a detached host, scripts re-created
 * there, the host attached later, which is when they run). Also: plotly.js loads once and a page without it explains what to do.
 */
import { strict as assert } from 'assert';
import type { BrowserContext, Page } from 'playwright-core';
import { lossChart, dOutputChart } from '../../src/plot/charts';
import { figureHtml } from '../../src/plot/display';
import { launchTestBrowser, type TestBrowser } from './launch';

/** Insert HTML like JupyterLab's renderHTML: detached host, scripts re-created, attached after `delayMs`. */
async function insertLabStyle(page: Page, html: string, delayMs: number): Promise<void> {
  await page.evaluate(
    ({ html, delayMs }) => {
      const host = document.createElement('div');
      host.innerHTML = html;
      for (const old of Array.from(host.querySelectorAll('script'))) {
        const s = document.createElement('script');
        s.text = old.text;
        old.parentNode!.replaceChild(s, old); // runs once the host is connected
      }
      setTimeout(() => document.body.appendChild(host), delayMs);
    },
    { html, delayMs },
  );
}

describe('figure HTML in headless Chromium', function () {
  this.timeout(120_000);
  let context: BrowserContext;
  let browser: TestBrowser | undefined;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    browser = await launchTestBrowser();
    context = browser.context;
    await context.route(/^https?:/, (route) => route.abort());
  });

  beforeEach(async () => {
    errors.length = 0;
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><html><body></body></html>');
  });

  afterEach(async () => {
    await page.close();
  });

  after(async () => {
    await browser?.close();
  });

  const history = [0, 1, 2].map((step) => ({ step, dLoss: 1, gLoss: 2, dReal: 0.6, dFake: 0.4 }));

  it('classic Notebook: the first chart loads plotly.js, the second reuses it', async () => {
    const first = figureHtml(lossChart(history), { includePlotly: true, id: 'gan-plot-1' });
    const second = figureHtml(dOutputChart(history), { id: 'gan-plot-2' });
    for (const html of [first, second]) {
      await page.evaluate((html) => {
        const div = document.createElement('div');
        document.body.appendChild(div);
        // Like jQuery's .html(): insert, then run each script in order.
        div.innerHTML = html;
        for (const old of Array.from(div.querySelectorAll('script'))) {
          const s = document.createElement('script');
          s.text = old.text;
          old.parentNode!.replaceChild(s, old);
        }
      }, html);
    }
    await page.waitForSelector('#gan-plot-2 svg.main-svg', { timeout: 30_000 });
    const traces = await page.evaluate(() =>
      ['gan-plot-1', 'gan-plot-2'].map(
        (id) => (document.getElementById(id) as unknown as { data: unknown[] }).data.length,
      ),
    );
    assert.deepEqual(traces, [4, 4]);
    assert.deepEqual(errors, []);
  });

  it('JupyterLab: draws when the output is attached later', async () => {
    await insertLabStyle(
      page,
      figureHtml(lossChart(history), { includePlotly: true, id: 'gan-plot-lab' }),
      700,
    );
    await page.waitForSelector('#gan-plot-lab svg.main-svg', { timeout: 30_000 });
    assert.deepEqual(errors, []);
  });

  it('without plotly.js in the page, says how to fix it instead of failing silently', async () => {
    await page.clock.install();
    await page.evaluate(
      (html) => {
        document.body.innerHTML = html;
        const old = document.querySelector('script')!;
        const s = document.createElement('script');
        s.text = old.text;
        old.parentNode!.replaceChild(s, old);
      },
      figureHtml(lossChart(history), { id: 'gan-plot-none' }),
    );
    await page.clock.runFor(20_000);
    const text = await page.textContent('#gan-plot-none');
    assert.match(
      text ?? '',
      /plotly\.js is not loaded in this page\. Re-run the first cell that shows a chart/,
    );
  });
});
