/**
 * The tutorials' standard charts as plotly figures: training losses (raw + smoothed), the
 * discriminator's outputs with the D = ½ equilibrium line, a value-function surface, and metric
 * comparisons. Tutorial 01's density chart (Goodfellow et al. 2014, Figure 1) is in theory/figures.ts.
 *   show(lossChart(history)); show(dOutputChart(history));
 */
import { figure, type Figure, type Layout, type Trace } from './figure';
import type { StepRecord } from '../train/engine';

export type { StepRecord };

/**
 * What the history charts and the live view read of a training record (`dReal` = D(x), `dFake` =
 * D(G(z))): the step and losses, and the rest when present. The engine's StepRecord has every field;
 * a history made by hand may carry fewer.
 */
export type HistoryRecord = Pick<StepRecord, 'step' | 'dLoss' | 'gLoss'> & Partial<StepRecord>;

/** Colours shared by the charts and the live view, so D and G look the same everywhere. */
export const COLORS = {
  d: '#1f77b4',
  g: '#d62728',
  dReal: '#2ca02c',
  dFake: '#ff7f0e',
  data: '#000000',
  pG: '#2ca02c',
  dStar: '#9467bd',
} as const;

/**
 * Exponential moving average with TensorBoard's debiasing (divide by 1 − wᵗ), so the first
 * points are not pulled towards 0. `weight` in [0, 1): 0 returns the input, 0.9 ≈ last 10 values.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): number[] {
  if (!(weight >= 0 && weight < 1))
    throw new Error(`Expected smoothing weight in [0, 1), but got ${weight}.`);
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    acc = acc * weight + (1 - weight) * v;
    n++;
    out.push(acc / (1 - Math.pow(weight, n)));
  }
  return out;
}

export interface HistoryChartOptions {
  /** EMA weight for the smoothed lines (default 0.9; 0 draws the raw lines only). */
  smoothing?: number;
  /** Also draw the raw values as faint lines (default true). */
  raw?: boolean;
  title?: string;
  /** Extra layout merged over the chart's own. */
  layout?: Layout;
}

/** dLoss and gLoss against step: smoothed (solid) and raw (faint). Axis titles `step`, `loss`. */
export function lossChart(history: readonly HistoryRecord[], options: HistoryChartOptions = {}): Figure {
  checkHistory(history, ['dLoss', 'gLoss'], 'lossChart');
  const traces = seriesTraces(
    history,
    [
      { key: 'dLoss', color: COLORS.d },
      { key: 'gLoss', color: COLORS.g },
    ],
    options,
  );
  return figure(traces, {
    title: options.title ?? 'Training losses',
    xaxis: { title: 'step' },
    yaxis: { title: 'loss' },
    ...options.layout,
  });
}

/**
 * D(x) on real and D(G(z)) on fake batches against step, with the dashed D = ½ line where an
 * optimal discriminator sits when p_g = p_data (Goodfellow et al. 2014, Prop. 1).
 */
export function dOutputChart(history: readonly HistoryRecord[], options: HistoryChartOptions = {}): Figure {
  checkHistory(history, ['dReal', 'dFake'], 'dOutputChart');
  const traces = seriesTraces(
    history,
    [
      { key: 'dReal', color: COLORS.dReal },
      { key: 'dFake', color: COLORS.dFake },
    ],
    options,
  );
  return figure(traces, {
    title: options.title ?? 'Discriminator outputs',
    xaxis: { title: 'step' },
    yaxis: { title: 'D output (probability real)', range: [0, 1] },
    shapes: [halfLine()],
    annotations: [
      {
        xref: 'paper',
        x: 1,
        xanchor: 'right',
        y: 0.5,
        yanchor: 'bottom',
        text: 'D = ½',
        showarrow: false,
        font: { color: '#555' },
      },
    ],
    ...options.layout,
  });
}

export interface SurfaceInput {
  /** Grid coordinates: z[i][j] is the value at (x[j], y[i]) (plotly's convention). */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<ArrayLike<number>>;
  /** `surface` (3-D, WebGL) or `contour` (2-D, SVG; also works without WebGL). Default `surface`. */
  kind?: 'surface' | 'contour' | 'heatmap';
  title?: string;
  xTitle?: string;
  yTitle?: string;
  zTitle?: string;
  /** Points to mark, e.g. the saddle point of V(D, G). */
  markers?: { x: number; y: number; z?: number; name: string }[];
  layout?: Layout;
}

/** A value-function landscape, e.g. V(D, G) over two parameters, as a surface or contour map. */
export function valueSurface(input: SurfaceInput): Figure {
  const rows = input.z.length;
  if (rows !== input.y.length)
    throw new Error(`Expected z to have one row per y (${input.y.length}), but got ${rows} rows.`);
  const z = Array.from(input.z, (row, i) => {
    if (row.length !== input.x.length) {
      throw new Error(
        `Expected every row of z to have one value per x (${input.x.length}), but row ${i} has ${row.length}.`,
      );
    }
    return Array.from(row);
  });
  const kind = input.kind ?? 'surface';
  const xTitle = input.xTitle ?? 'x';
  const yTitle = input.yTitle ?? 'y';
  const zTitle = input.zTitle ?? 'V';
  const traces: Trace[] = [
    {
      type: kind,
      name: zTitle,
      x: Array.from(input.x),
      y: Array.from(input.y),
      z,
      colorscale: 'Viridis',
      colorbar: { title: { text: zTitle } },
    },
  ];
  for (const m of input.markers ?? []) {
    traces.push(
      kind === 'surface'
        ? {
            type: 'scatter3d',
            mode: 'markers+text',
            name: m.name,
            text: [m.name],
            x: [m.x],
            y: [m.y],
            z: [m.z ?? 0],
            marker: { size: 5, color: '#d62728' },
          }
        : {
            type: 'scatter',
            mode: 'markers+text',
            name: m.name,
            text: [m.name],
            textposition: 'top center',
            x: [m.x],
            y: [m.y],
            marker: { size: 10, color: '#d62728', symbol: 'x' },
          },
    );
  }
  const layout: Layout =
    kind === 'surface'
      ? {
          scene: { xaxis: { title: xTitle }, yaxis: { title: yTitle }, zaxis: { title: zTitle } },
          height: 480,
        }
      : { xaxis: { title: xTitle }, yaxis: { title: yTitle } };
  return figure(traces, { title: input.title ?? 'Value function', ...layout, ...input.layout });
}

export interface MetricSeries {
  name: string;
  values: ArrayLike<number>;
}

export interface MetricChartInput {
  /** Category labels (bar chart) or x values (line chart). */
  x: ArrayLike<number | string>;
  series: MetricSeries[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
  layout?: Layout;
}

/** Grouped bars: one group per label, one bar per series (e.g. img/s per backend, FID per model). */
export function metricBarChart(input: MetricChartInput): Figure {
  return metricChart(
    input,
    (s, x) => ({
      type: 'bar',
      name: s.name,
      x,
      y: Array.from(s.values),
      text: Array.from(s.values, fmtValue),
      textposition: 'auto',
    }),
    { barmode: 'group' },
  );
}

/** Lines with markers: one line per series over x (e.g. a metric per epoch for several runs). */
export function metricLineChart(input: MetricChartInput): Figure {
  return metricChart(
    input,
    (s, x) => ({ type: 'scatter', mode: 'lines+markers', name: s.name, x, y: Array.from(s.values) }),
    {},
  );
}

function metricChart(
  input: MetricChartInput,
  trace: (s: MetricSeries, x: (number | string)[]) => Trace,
  extra: Layout,
): Figure {
  if (input.series.length === 0)
    throw new Error('Expected at least one series ({ name, values }), but got none.');
  const x = Array.from(input.x);
  for (const s of input.series) {
    if (s.values.length !== x.length) {
      throw new Error(
        `Expected series "${s.name}" to have one value per x (${x.length}), but got ${s.values.length}.`,
      );
    }
  }
  return figure(
    input.series.map((s) => trace(s, x)),
    {
      title: input.title ?? '',
      xaxis: { title: input.xTitle ?? '' },
      yaxis: { title: input.yTitle ?? '' },
      ...extra,
      ...input.layout,
    },
  );
}

function fmtValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

/** A dashed horizontal line at y = 0.5 across the plot width. */
function halfLine(): Record<string, unknown> {
  return {
    type: 'line',
    xref: 'paper',
    x0: 0,
    x1: 1,
    yref: 'y',
    y0: 0.5,
    y1: 0.5,
    line: { color: '#555', width: 1, dash: 'dash' },
  };
}

type SeriesKey = 'dLoss' | 'gLoss' | 'dReal' | 'dFake';

/** Most points drawn per line of a history chart. */
export const MAX_CHART_POINTS = 1000;

function seriesTraces(
  history: readonly HistoryRecord[],
  series: { key: SeriesKey; color: string }[],
  options: HistoryChartOptions,
): Trace[] {
  const smoothing = options.smoothing ?? 0.9;
  const showRaw = options.raw ?? true;
  // Long runs: the EMA is computed on every step, then every `every`-th point is drawn (≤ ~1,000 per
  // line, 4 significant digits), so a committed notebook stays small.
  const every = Math.max(1, Math.ceil(history.length / MAX_CHART_POINTS));
  const thin = (v: number[]) =>
    every === 1 ? v : v.filter((_, i) => i % every === 0 || i === v.length - 1).map((x) => +x.toPrecision(4));
  const steps = thin(history.map((r) => r.step));
  const traces: Trace[] = [];
  for (const { key, color } of series) {
    const all = history.map((r) => r[key] as number);
    const values = thin(all);
    if (smoothing > 0 && showRaw) {
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: every > 1 ? `${key} (raw, every ${every}th step)` : `${key} (raw)`,
        legendgroup: key,
        showlegend: false,
        x: steps,
        y: values,
        opacity: 0.3,
        line: { color, width: 1 },
        hoverinfo: 'skip',
      });
    }
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: smoothing > 0 ? `${key} (EMA ${smoothing})` : key,
      legendgroup: key,
      x: steps,
      y: smoothing > 0 ? thin(emaSmooth(all, smoothing)) : values,
      line: { color, width: 2 },
    });
  }
  return traces;
}

function checkHistory(history: readonly HistoryRecord[], keys: SeriesKey[], fn: string): void {
  if (!Array.isArray(history) || history.length === 0) {
    throw new Error(
      `Expected ${fn} to get a non-empty array of step records { step, ${keys.join(', ')} }, but got ${Array.isArray(history) ? 'an empty array' : typeof history}.`,
    );
  }
  history.forEach((r, i) => {
    if (!Number.isFinite(r.step))
      throw new Error(`Expected record ${i} to have a numeric step, but got ${r.step}.`);
    for (const k of keys) {
      if (typeof r[k] !== 'number') {
        throw new Error(`Expected record ${i} (step ${r.step}) to have a numeric ${k}, but got ${r[k]}.`);
      }
    }
  });
}
