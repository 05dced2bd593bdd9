/**
 * What a notebook's HTML must show, read from its executed .ipynb: one plotly chart per output
 * carrying application/vnd.plotly.v1+json (found by the div id in its text/html, with its trace
 * count) and one decoded image per image/png|gif|jpeg output that nbconvert renders as <img>.
 */
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Trace types drawn as one group each in plotly's SVG cartesian layers (`.cartesianlayer .mlayer > g`). */
export const CARTESIAN_TYPES = new Set([
  'scatter',
  'bar',
  'contour',
  'heatmap',
  'histogram',
  'box',
  'violin',
  'waterfall',
  'funnel',
]);

/** Trace types plotly draws with WebGL on a <canvas> (3-D scenes, *gl types). */
export const WEBGL_TYPES = new Set([
  'surface',
  'scatter3d',
  'mesh3d',
  'cone',
  'streamtube',
  'volume',
  'isosurface',
  'scattergl',
  'splom',
]);

export interface ChartExpectation {
  /** Index of the cell in the notebook. */
  cell: number;
  /** The id of the plot div in the HTML output. */
  id: string;
  traces: number;
  cartesianTraces: number;
  /** True when some trace needs WebGL: the chart must then hold a drawn <canvas>. */
  webgl: boolean;
}

export interface NotebookExpectations {
  charts: ChartExpectation[];
  images: number;
}

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}

interface Notebook {
  cells: { cell_type: string; outputs?: Output[] }[];
}

const joinText = (v: unknown): string => (Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : '');

export function notebookExpectations(nb: Notebook): NotebookExpectations {
  if (!nb || !Array.isArray(nb.cells)) throw new Error('Expected an .ipynb JSON object with a cells array.');
  const charts: ChartExpectation[] = [];
  let images = 0;
  nb.cells.forEach((cell, index) => {
    for (const out of cell.outputs ?? []) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      const data = out.data ?? {};
      const spec = data[PLOTLY_MIME] as { data?: { type?: string }[] } | undefined;
      if (spec && 'text/html' in data) {
        const id = /id="(gan-plot-[0-9a-f]+)"/.exec(joinText(data['text/html']))?.[1];
        if (!id) throw new Error(`Cell ${index}: a plotly output whose text/html has no gan-plot div id.`);
        const traces = spec.data ?? [];
        charts.push({
          cell: index,
          id,
          traces: traces.length,
          cartesianTraces: traces.filter((t) => CARTESIAN_TYPES.has(t.type ?? 'scatter')).length,
          webgl: traces.some((t) => WEBGL_TYPES.has(t.type ?? 'scatter')),
        });
      } else if (!('text/html' in data) && ['image/png', 'image/gif', 'image/jpeg'].some((m) => m in data)) {
        images++;
      }
    }
  });
  return { charts, images };
}
