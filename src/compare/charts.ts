/**
 * Charts of the GAN vs DCGAN comparison (tutorial 04): each run's evaluation curve against training
 * seconds or epochs, with the budget and the bar drawn in, so the table's numbers can be read off them.
 */
import { figure, type Figure, type Trace } from '../plot';
import { BAR, type Budgets, type ComparisonRun, type CurvePoint } from './experiment';

const COLORS: Record<string, string> = { 'mlp-gan': '#d62728', 'dcgan-28': '#1f77b4' };
const DASH = ['solid', 'dot', 'dash', 'dashdot'];

export interface CurveChartOptions {
  /** Horizontal axis: training seconds (the time budget) or epochs (the epoch budget). */
  x: 'trainSeconds' | 'epochs';
  /** Vertical axis: the confident share (in %) or classifier-FID. */
  y: 'confident' | 'classifierFid';
  budgets: Budgets;
  title?: string;
}

/** One line per run (colour: model, dash: seed), a vertical line at the budget, the bar as a dashed level. */
export function curveChart(runs: readonly ComparisonRun[], o: CurveChartOptions): Figure {
  const seeds = [...new Set(runs.map((r) => r.seed))];
  const yOf = (p: CurvePoint) => (o.y === 'confident' ? 100 * p.confident : p.classifierFid);
  const traces: Trace[] = runs.map((r) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: `${r.model} seed ${r.seed}`,
    x: r.curve.map((p) => p[o.x]),
    y: r.curve.map(yOf),
    line: { color: COLORS[r.model] ?? '#555', dash: DASH[seeds.indexOf(r.seed) % DASH.length], width: 1.5 },
    marker: { size: 4 },
  }));
  const budget = o.x === 'trainSeconds' ? o.budgets.seconds : o.budgets.epochs;
  const shapes: Record<string, unknown>[] = [
    {
      type: 'line',
      xref: 'x',
      yref: 'paper',
      x0: budget,
      x1: budget,
      y0: 0,
      y1: 1,
      line: { color: '#333', width: 1.5, dash: 'dash' },
    },
  ];
  if (o.y === 'confident') {
    shapes.push({
      type: 'line',
      xref: 'paper',
      yref: 'y',
      x0: 0,
      x1: 1,
      y0: 100 * BAR.confident,
      y1: 100 * BAR.confident,
      line: { color: '#2ca02c', width: 1, dash: 'dot' },
    });
  }
  const budgetText = o.x === 'trainSeconds' ? `${budget} s budget` : `${budget}-epoch budget`;
  return figure(traces, {
    title:
      o.title ??
      `${o.y === 'confident' ? 'Confident samples' : 'Classifier-FID'} against ` +
        `${o.x === 'trainSeconds' ? 'training seconds' : 'epochs'} (dashed line: the ${budgetText})`,
    xaxis: { title: o.x === 'trainSeconds' ? 'training seconds (evaluation excluded)' : 'epochs' },
    yaxis:
      o.y === 'confident'
        ? { title: `confident (p > 0.9) %, bar ${100 * BAR.confident} % dotted`, range: [0, 100] }
        : { title: 'classifier-FID (lower is better)', type: 'log' },
    shapes,
  });
}
