/**
 * What each tutorial must show, written here — not read back from its output — so that a tutorial
 * that stops showing a chart, or draws one empty, fails the browser test (notebooks.browser.ts).
 *
 * ───────────────────────────────────────────────────────────────────────────────────────────────
 *  EDIT THIS TABLE when a tutorial gains or loses a chart or a picture. One entry per chart, in any
 *  order: `title` matches the chart's title (layout.title), `traces` is its trace count, `drawn`
 *  how many of those must draw with finite data (default: all). `pictures` counts every decoded
 *  image in the outputs (pictures, animations, live training views). Written from the notebooks as
 *  executed by the smoke run (`--profile quick`), which is what `npm run test:browser` opens.
 * ───────────────────────────────────────────────────────────────────────────────────────────────
 */
export interface ChartSpec {
  title: RegExp;
  traces: number;
  /** Traces that must draw a line, markers or bars with finite coordinates (default: `traces`). */
  drawn?: number;
}

export interface TutorialSpec {
  charts: ChartSpec[];
  pictures: number;
}

export const TUTORIALS: Record<string, TutorialSpec> = {
  '00-environment': {
    charts: [{ title: /^Matrix-product throughput on /, traces: 1 }],
    pictures: 1, // the image-grid check
  },
  '01-minimax-objective': {
    charts: [
      { title: /^D\*\(x\) = p_data \/ \(p_data \+ p_g\)/, traces: 6 },
      { title: /^p_data = N\(0, 1\), p_g = N\(2, 0\.7²\) and the optimal discriminator/, traces: 3 },
      { title: /^Generator gradient w\.r\.t\. D’s logit/, traces: 2 },
      { title: /^Training the 1-D toy: step \d+ of \d+/, traces: 5 },
      { title: /^Goodfellow et al\. 2014, Figure 1 — rebuilt live/, traces: 20 },
      // criterionChart's title states its numbers: "C(G) from -0.937 at step 0 to -1.363 at step 3000: …"
      {
        title: /^(C\(G\) from -?[\d.]+ at step \d+ to -?[\d.]+ at step \d+|The virtual training criterion)/,
        traces: 3,
      },
    ],
    pictures: 0,
  },
  '02-gan-mnist': {
    charts: [
      { title: /^Training losses$/, traces: 4 },
      { title: /^Discriminator outputs$/, traces: 4 },
      { title: /^D\(G\(z\)\) when D starts ahead$/, traces: 2 },
      { title: /^The generator's gradient norm ‖∇G‖/, traces: 2 },
    ],
    // real digits, live training view, progress animation, samples vs real, Figure 2, Figure 3
    pictures: 6,
  },
  '03-dcgan-celeba': {
    charts: [
      { title: /^Training losses, parts 1 and 2/, traces: 4 },
      { title: /^Discriminator outputs/, traces: 4 },
      { title: /^D steps per G step: k = 1 vs k = 5/, traces: 4 },
    ],
    pictures: 10,
  },
  '04-gan-vs-dcgan': {
    // One line per recipe × seed (2 × 3) in each; the budgets are dashed layout shapes, not traces.
    charts: [
      { title: /^Confident samples against training seconds/, traces: 6 },
      { title: /^Confident samples against epochs/, traces: 6 },
      { title: /^Classifier-FID against training seconds/, traces: 6 },
    ],
    pictures: 1, // samples of each recipe at both budgets, side by side
  },
};

/** One chart as the page shows it (read from the plot div and its SVG). */
export interface PageChart {
  id: string;
  title: string;
  /** Traces plotly holds for the div (el.data.length); -1 when the div has no plot. */
  traces: number;
  /** Trace groups in the plot area that drew a path with at least two finite coordinates. */
  drawnTraces: number;
}

export interface PageImage {
  src: string;
  naturalWidth: number;
  complete: boolean;
}

/** Everything wrong with a tutorial's page against its entry in TUTORIALS (empty: all good). */
export function checkTutorialPage(
  name: string,
  spec: TutorialSpec,
  page: { charts: PageChart[]; images: PageImage[] },
): string[] {
  const failures: string[] = [];
  const unused = [...page.charts];
  for (const want of spec.charts) {
    const i = unused.findIndex((c) => want.title.test(c.title));
    if (i < 0) {
      failures.push(`${name}: no chart titled ${want.title} on the page`);
      continue;
    }
    const [got] = unused.splice(i, 1);
    if (got.traces !== want.traces)
      failures.push(`${name}: chart "${got.title}" has ${got.traces} traces, the table says ${want.traces}`);
    const drawn = want.drawn ?? want.traces;
    if (got.drawnTraces < drawn)
      failures.push(
        `${name}: chart "${got.title}" drew ${got.drawnTraces} traces with finite data, expected ${drawn}`,
      );
  }
  for (const c of unused)
    failures.push(`${name}: chart "${c.title}" (${c.id}) is not in the table (test/browser/tutorials.ts)`);
  const decoded = page.images.filter((i) => i.complete && i.naturalWidth > 0).length;
  page.images.forEach((img, i) => {
    if (!(img.complete && img.naturalWidth > 0))
      failures.push(`${name}: image ${i} (${img.src}…) did not decode`);
  });
  if (decoded !== spec.pictures)
    failures.push(`${name}: ${decoded} decoded pictures, the table says ${spec.pictures}`);
  return failures;
}

/**
 * Runs in the page (as source text, so that no transpiler helper leaks into it): each plotly div's id,
 * title, trace count, and how many of its trace groups drew something with finite coordinates (a line,
 * a marker or a bar: a path whose coordinates are finite and not all equal). Evaluates to PageChart[].
 */
export const READ_CHARTS_IN_PAGE = `(() => {
  function finitePath(d) {
    if (!d) return false;
    var nums = d.match(/-?\\d*\\.?\\d+(e[-+]?\\d+)?|NaN|Infinity/gi) || [];
    // Plotly writes an empty placeholder ("M0,0Z") for a bar or point it cannot place: a drawn shape
    // has finite coordinates that are not all the same.
    return (
      nums.length >= 2 &&
      nums.every(function (x) { return isFinite(Number(x)); }) &&
      nums.some(function (x) { return Number(x) !== Number(nums[0]); })
    );
  }
  return Array.prototype.map.call(document.querySelectorAll('.js-plotly-plot'), function (el) {
    var t = el.layout && el.layout.title;
    var title = typeof t === 'string' ? t : (t && t.text) || '';
    // Scatter/bar traces live in .mlayer; contour traces in .contourlayer (one g.contour each).
    var groups = el.querySelectorAll(
      '.cartesianlayer .mlayer > g.trace, .cartesianlayer .contourlayer > g.contour, .pielayer .trace'
    );
    var drawn = Array.prototype.filter.call(groups, function (g) {
      if (g.querySelector('image')) return true; // heatmaps draw a raster
      return Array.prototype.some.call(g.querySelectorAll('path'), function (p) {
        return finitePath(p.getAttribute('d'));
      });
    }).length;
    return { id: el.id, title: title, traces: Array.isArray(el.data) ? el.data.length : -1, drawnTraces: drawn };
  });
})()`;
