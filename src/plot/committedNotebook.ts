/**
 * The committed copy of an executed notebook: what GitHub and an untrusted JupyterLab / classic
 * Notebook show, which run no scripts. Each chart output keeps its plotly JSON (interactive in
 * JupyterLab with the plotly extension and in VS Code) and a static picture (image/png, rendered
 * here through Chromium when the kernel did not attach one, e.g. a LiveDisplay's last frame); its
 * script HTML — and with it the 4.8 MB plotly.js inlined once per kernel session — is dropped.
 * Re-executing the notebook brings the script HTML back for live use.
 *   const { notebook, stats } = await committedNotebook(JSON.parse(text));
 */
import { ChromiumSession, findChromium } from './export';
import { figure, type Figure } from './figure';
import { PLOTLY_MIME } from './display';

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
  [key: string]: unknown;
}
export interface NotebookJson {
  cells: Cell[];
  [key: string]: unknown;
}

export interface CommittedStats {
  /** Chart outputs (plotly JSON) seen. */
  charts: number;
  /** Charts whose picture was rendered here (the kernel had not attached one). */
  rendered: number;
  /** Characters of script HTML removed. */
  htmlRemoved: number;
}

/** True for a display output that holds a plotly chart. */
export function isChartOutput(o: Output): boolean {
  return (o.output_type === 'display_data' || o.output_type === 'execute_result') && !!o.data?.[PLOTLY_MIME];
}

/**
 * Rewrite chart outputs for committing (a new object; the input is not changed). Renders missing
 * pictures with one Chromium start (`executablePath` '' means none); fails loudly without Chromium when a picture is missing,
 * since the committed notebook would then show a blank chart.
 */
export async function committedNotebook(
  nb: NotebookJson,
  executablePath: string | undefined = findChromium(),
): Promise<{ notebook: NotebookJson; stats: CommittedStats }> {
  if (!nb || !Array.isArray(nb.cells))
    throw new Error('Expected a notebook (nbformat 4 JSON with a cells array), but got something else.');
  const notebook = JSON.parse(JSON.stringify(nb)) as NotebookJson;
  const stats: CommittedStats = { charts: 0, rendered: 0, htmlRemoved: 0 };
  const missing: Output[] = [];
  for (const cell of notebook.cells) {
    for (const o of cell.outputs ?? []) {
      if (!isChartOutput(o)) continue;
      stats.charts++;
      const data = o.data as Record<string, unknown>;
      const html = data['text/html'];
      if (html !== undefined) {
        stats.htmlRemoved += Array.isArray(html) ? html.join('').length : String(html).length;
        delete data['text/html'];
      }
      if (data['image/png'] === undefined) missing.push(o);
    }
  }
  if (missing.length > 0) {
    if (!executablePath)
      throw new Error(
        `${missing.length} chart output(s) carry no picture and no Chromium was found to render them (set CHROMIUM_PATH or apt-get install chromium); the committed notebook would show them blank.`,
      );
    const session = await ChromiumSession.open(executablePath);
    try {
      for (const o of missing) {
        const fig = chartFigure(o.data?.[PLOTLY_MIME]);
        const { png } = await session.render(fig);
        const width = typeof fig.layout.width === 'number' ? fig.layout.width : 800;
        const height = typeof fig.layout.height === 'number' ? fig.layout.height : 420;
        (o.data as Record<string, unknown>)['image/png'] = png.toString('base64');
        o.metadata = { ...(o.metadata ?? {}), 'image/png': { width, height } };
        stats.rendered++;
      }
    } finally {
      await session.close();
    }
  }
  for (const cell of notebook.cells)
    for (const o of cell.outputs ?? []) if (o.data) o.data = sortKeys(o.data);
  return { notebook, stats };
}

/** nbformat's own serialisation: one-space indent, keys sorted, non-ASCII kept, final newline. */
export function notebookText(nb: NotebookJson): string {
  return `${JSON.stringify(nb, null, 1)}\n`;
}

function chartFigure(spec: unknown): Figure {
  const s = spec as { data?: unknown; layout?: Record<string, unknown>; config?: Record<string, unknown> };
  if (!s || !Array.isArray(s.data))
    throw new Error(
      `Expected ${PLOTLY_MIME} output data with a data array, but got ${JSON.stringify(spec)?.slice(0, 80)}.`,
    );
  // Rebuild without figure()'s defaults: the layout already holds them.
  const fig = figure([], {}, {});
  return {
    ...fig,
    data: s.data as Figure['data'],
    layout: (s.layout ?? {}) as Figure['layout'],
    config: s.config ?? {},
  };
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}
