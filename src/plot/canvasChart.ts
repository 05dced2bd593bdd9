/**
 * A small line-chart painter on @napi-rs/canvas for the live training view: the live output is a
 * PNG, so it needs no JavaScript in the page and survives update_display_data in any front end.
 * Axis ticks use Heckbert's "nice numbers" (Graphics Gems, 1990). Interactive charts use plotly.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';

export interface LineSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  color: string;
  width?: number;
  alpha?: number;
  dash?: number[];
  /** Leave out of the legend. */
  hideLegend?: boolean;
}

export interface LineChartSpec {
  title: string;
  xTitle?: string;
  series: LineSeries[];
  /** Fixed y range; default: the data's range with 5% margin. */
  yRange?: [number, number];
  /** Dashed horizontal reference lines, e.g. D = 0.5. */
  hLines?: number[];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const FONT = '"DejaVu Sans", "Liberation Sans", sans-serif';

/** Heckbert's nice tick values covering [lo, hi] with about `count` ticks. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi <= lo) return [lo];
  const step = niceNumber(niceNumber(hi - lo, false) / Math.max(1, count - 1), true);
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step)
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return ticks;
}

function niceNumber(range: number, round: boolean): number {
  const exp = Math.floor(Math.log10(range));
  const f = range / Math.pow(10, exp);
  const nf = round ? (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) : f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nf * Math.pow(10, exp);
}

/** Paint a line chart (frame, ticks, grid, lines, legend, title) into `rect`. */
export function drawLineChart(ctx: SKRSContext2D, rect: Rect, spec: LineChartSpec): void {
  const pad = { l: 52, r: 12, t: 44, b: spec.xTitle ? 38 : 24 };
  const plot: PlotBox = {
    x: rect.x + pad.l,
    y: rect.y + pad.t,
    w: rect.width - pad.l - pad.r,
    h: rect.height - pad.t - pad.b,
  };
  ctx.save();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
  const range = dataRange(spec);
  const { xLo, xHi, yLo, yHi } = range;
  const px = (x: number): number => plot.x + ((x - xLo) / (xHi - xLo)) * plot.w;
  const py = (y: number): number => plot.y + plot.h - ((y - yLo) / (yHi - yLo)) * plot.h;

  ctx.fillStyle = '#222222';
  ctx.font = `bold 13px ${FONT}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(spec.title, rect.x + 8, rect.y + 6);

  const hasData = Number.isFinite(xLo) && Number.isFinite(yLo);
  if (hasData) {
    drawGrid(ctx, plot, range, spec, px, py);
    drawSeries(ctx, plot, spec.series, px, py);
  } else {
    ctx.fillStyle = '#888888';
    ctx.font = `12px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('waiting for data…', plot.x + plot.w / 2, plot.y + plot.h / 2);
  }
  ctx.strokeStyle = '#999999';
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(plot.x) + 0.5, Math.round(plot.y) + 0.5, Math.round(plot.w), Math.round(plot.h));
  // Legend, right-aligned on the title line.
  drawLegend(ctx, rect.x + rect.width - pad.r, rect.y + 30, spec.series);
  ctx.restore();
}

/** The plotting area inside the chart's rectangle, in canvas pixels. */
interface PlotBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface DataRange {
  xLo: number;
  xHi: number;
  yLo: number;
  yHi: number;
}

/** x and y extent of the finite points (y: `spec.yRange`, or the data's with a 5% margin). */
function dataRange(spec: LineChartSpec): DataRange {
  let xLo = Infinity;
  let xHi = -Infinity;
  let yLo = Infinity;
  let yHi = -Infinity;
  for (const s of spec.series) {
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.y[i])) continue;
      xLo = Math.min(xLo, s.x[i]);
      xHi = Math.max(xHi, s.x[i]);
      yLo = Math.min(yLo, s.y[i]);
      yHi = Math.max(yHi, s.y[i]);
    }
  }
  if (spec.yRange) [yLo, yHi] = spec.yRange;
  else if (Number.isFinite(yLo)) {
    const m = (yHi - yLo) * 0.05 || Math.abs(yHi) * 0.05 || 0.5;
    yLo -= m;
    yHi += m;
  }
  if (xHi === xLo) xHi = xLo + 1;
  return { xLo, xHi, yLo, yHi };
}

/** Grid lines with tick labels on both axes, the x title, and the dashed reference lines. */
function drawGrid(
  ctx: SKRSContext2D,
  plot: PlotBox,
  { xLo, xHi, yLo, yHi }: DataRange,
  spec: LineChartSpec,
  px: (x: number) => number,
  py: (y: number) => number,
): void {
  ctx.font = `11px ${FONT}`;
  ctx.lineWidth = 1;
  for (const t of niceTicks(yLo, yHi, 5)) {
    const y = Math.round(py(t)) + 0.5;
    ctx.strokeStyle = '#e6e6e6';
    line(ctx, plot.x, y, plot.x + plot.w, y);
    ctx.fillStyle = '#555555';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(fmtTick(t), plot.x - 6, y);
  }
  for (const t of niceTicks(xLo, xHi, 6)) {
    const x = Math.round(px(t)) + 0.5;
    ctx.strokeStyle = '#f0f0f0';
    line(ctx, x, plot.y, x, plot.y + plot.h);
    ctx.fillStyle = '#555555';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(fmtTick(t), x, plot.y + plot.h + 4);
  }
  if (spec.xTitle) {
    ctx.fillText(spec.xTitle, plot.x + plot.w / 2, plot.y + plot.h + 20);
  }
  for (const h of spec.hLines ?? []) {
    ctx.strokeStyle = '#777777';
    ctx.setLineDash([5, 4]);
    line(ctx, plot.x, py(h), plot.x + plot.w, py(h));
    ctx.setLineDash([]);
  }
}

/** The lines, clipped to the plot; gaps at non-finite values; at most ~2 points per pixel. */
function drawSeries(
  ctx: SKRSContext2D,
  plot: PlotBox,
  series: readonly LineSeries[],
  px: (x: number) => number,
  py: (y: number) => number,
): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.w, plot.h);
  ctx.clip();
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.globalAlpha = s.alpha ?? 1;
    ctx.lineWidth = s.width ?? 1.5;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let pen = false;
    const stride = Math.max(1, Math.floor(s.x.length / (plot.w * 2)));
    for (let i = 0; i < s.x.length; i += stride) {
      if (!Number.isFinite(s.y[i])) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(px(s.x[i]), py(s.y[i]));
      else ctx.moveTo(px(s.x[i]), py(s.y[i]));
      pen = true;
    }
    ctx.stroke();
  }
  ctx.restore();
}

/** Legend entries (a line sample and the name) right to left from `right`, on the line `y`. */
function drawLegend(ctx: SKRSContext2D, right: number, y: number, series: readonly LineSeries[]): void {
  ctx.font = `11px ${FONT}`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  let lx = right;
  for (const s of [...series].reverse()) {
    if (s.hideLegend) continue;
    const w = ctx.measureText(s.name).width;
    lx -= w;
    ctx.fillStyle = '#333333';
    ctx.fillText(s.name, lx, y);
    lx -= 22;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash ?? []);
    line(ctx, lx, y, lx + 16, y);
    ctx.setLineDash([]);
    lx -= 12;
  }
}

function line(ctx: SKRSContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}
