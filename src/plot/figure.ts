/**
 * A plotly.js figure as plain data (traces + layout + config), so notebooks never hand-write JSON:
 *   show(figure([{ x, y, name: 'loss' }], { title: 'Loss', xaxis: { title: 'step' } }));
 * plotly.js 3 dropped string titles; `figure` accepts them and rewrites them as `{ text }`.
 * Reference: https://plotly.com/javascript/reference/
 */

/** One plotly trace. The common fields are typed; anything else plotly accepts passes through. */
export interface Trace {
  type?: string;
  name?: string;
  mode?: string;
  /** `null` leaves a gap in a line. */
  x?: ArrayLike<number | string | null>;
  y?: ArrayLike<number | string | null>;
  z?: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  line?: Record<string, unknown>;
  marker?: Record<string, unknown>;
  [key: string]: unknown;
}

export type Title = string | { text: string; [key: string]: unknown };

export interface Axis {
  title?: Title;
  range?: [number, number];
  type?: string;
  [key: string]: unknown;
}

export interface Layout {
  title?: Title;
  xaxis?: Axis;
  yaxis?: Axis;
  width?: number;
  height?: number;
  [key: string]: unknown;
}

export interface Figure {
  readonly kind: 'figure';
  data: Trace[];
  layout: Layout & { title?: { text: string } };
  config: Record<string, unknown>;
  /**
   * A static rendering of the chart (from `renderFigure`, Chromium + plotly.js): shown beside the
   * interactive output so GitHub and untrusted notebooks, which run no scripts, show the chart.
   */
  picture?: FigurePicture;
}

/** PNG bytes of a rendered chart; width/height are its CSS size (the PNG may hold 2× the pixels). */
export interface FigurePicture {
  png: Buffer;
  width: number;
  height: number;
}

/** Look shared by every chart: white background, compact margins, legend above the plot area. */
export const DEFAULT_LAYOUT: Readonly<Layout> = {
  height: 380,
  // Title on the first line, legend on the second, both above the plot area.
  margin: { l: 64, r: 24, t: 88, b: 56 },
  font: { family: '"DejaVu Sans", "Liberation Sans", Arial, sans-serif', size: 13 },
  paper_bgcolor: '#ffffff',
  plot_bgcolor: '#ffffff',
  legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
};

export const DEFAULT_CONFIG: Readonly<Record<string, unknown>> = { responsive: true, displaylogo: false };

/** Build a figure; typed arrays become plain arrays (plotly and JSON both want arrays). */
export function figure(traces: Trace[], layout: Layout = {}, config: Record<string, unknown> = {}): Figure {
  if (!Array.isArray(traces))
    throw new Error(`Expected traces to be an array of plotly traces, but got ${typeof traces}.`);
  traces.forEach((t, i) => {
    if (t == null || typeof t !== 'object')
      throw new Error(`Expected trace ${i} to be an object, but got ${t}.`);
  });
  const merged: Layout = { ...DEFAULT_LAYOUT, ...layout };
  for (const key of Object.keys(merged)) {
    if (/^[xy]axis\d*$/.test(key) || key === 'scene') merged[key] = normaliseTitles(merged[key] as Axis);
  }
  if (merged.title !== undefined) merged.title = figureTitle(merged.title);
  return {
    kind: 'figure',
    data: traces.map((t) => plainArrays(t)),
    layout: merged as Figure['layout'],
    config: { ...DEFAULT_CONFIG, ...config },
  };
}

/** True for values made by `figure` (or shaped like one). */
export function isFigure(x: unknown): x is Figure {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Figure).kind === 'figure' &&
    Array.isArray((x as Figure).data)
  );
}

function asTitle(t: Title): { text: string } {
  return typeof t === 'string' ? { text: t } : (t as { text: string });
}

/** The figure title sits top-left, above the legend row. */
function figureTitle(t: Title): { text: string } {
  const title: { text: string; [key: string]: unknown } = {
    x: 0.01,
    xanchor: 'left',
    yref: 'container',
    y: 0.97,
    yanchor: 'top',
    ...asTitle(t),
  };
  return title;
}

function normaliseTitles(axis: Axis | undefined): Axis | undefined {
  if (axis == null || typeof axis !== 'object') return axis;
  const out: Axis = { ...axis };
  if (out.title !== undefined) out.title = asTitle(out.title);
  for (const k of ['xaxis', 'yaxis', 'zaxis']) {
    if (out[k] && typeof out[k] === 'object') out[k] = normaliseTitles(out[k] as Axis);
  }
  return out;
}

function plainArrays<T>(value: T): T {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>) as unknown as T;
  }
  if (Array.isArray(value)) return value.map((v) => plainArrays(v)) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainArrays(v);
    return out as T;
  }
  return value;
}
