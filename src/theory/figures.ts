/**
 * Figures for tutorial 01, built from src/plot's `figure()`: Goodfellow et al. 2014 Figure 1 (four
 * panels of p_data, p_g, D, D* and the z → x mapping), the densities of one panel on their own
 * (`densityChart`), the pointwise objective a·log y + b·log(1−y), and the generator-gradient
 * comparison behind the non-saturating loss.
 */
import { figure, type Figure, type Layout, type Trace } from '../plot/figure';
import { COLORS } from '../plot/charts';
import { generatorGradientMagnitudes, optimalD, pointwiseObjective } from './minimax';
import type { Toy1dSnapshot } from './toy1d';

/** Figure 1 rebuilt: one panel per snapshot, labelled (a), (b), … with the step and V. */
export function figure1(
  snapshots: readonly Toy1dSnapshot[],
  title = 'Goodfellow et al. 2014, Figure 1 — rebuilt live',
): Figure {
  if (snapshots.length === 0) throw new Error('Expected at least one snapshot for Figure 1, but got none.');
  const n = snapshots.length;
  const gap = 0.03;
  const w = (1 - gap * (n - 1)) / n;
  const traces: Trace[] = [];
  const layout: Record<string, unknown> = {
    title,
    height: 360,
    showlegend: true,
    annotations: [] as unknown[],
  };
  const yTop = Math.max(...snapshots.map((s) => Math.max(...s.pData, ...s.pG)), 1) * 1.05;
  snapshots.forEach((s, i) => {
    const ax = i === 0 ? '' : String(i + 1);
    const xa = `x${ax}`;
    const ya = `y${ax}`;
    const legend = i === 0;
    const line = (name: string, y: number[], style: Record<string, unknown>): Trace => ({
      type: 'scatter',
      mode: 'lines',
      name,
      x: s.xs,
      y,
      xaxis: xa,
      yaxis: ya,
      line: style,
      showlegend: legend,
      legendgroup: name,
    });
    traces.push(line('p_data', s.pData, { color: COLORS.data, dash: 'dot', width: 2 }));
    traces.push(line('p_g', s.pG, { color: COLORS.pG, width: 2 }));
    traces.push(line('D(x)', s.d, { color: COLORS.d, dash: 'dash', width: 2 }));
    traces.push(line('D*(x)', s.dStar, { color: COLORS.dStar, dash: 'dashdot', width: 1 }));
    // The z → x mapping: z on the lower line (y = −0.35), G(z) on the x line (y = −0.05).
    const mx: (number | null)[] = [];
    const my: (number | null)[] = [];
    for (const [z, x] of s.mapping) {
      mx.push(z, x, null);
      my.push(-0.35, -0.05, null);
    }
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'z → x = G(z)',
      x: mx,
      y: my,
      xaxis: xa,
      yaxis: ya,
      line: { color: '#888', width: 1 },
      showlegend: legend,
      legendgroup: 'map',
    } as Trace);
    layout[`xaxis${ax}`] = {
      domain: [i * (w + gap), i * (w + gap) + w],
      range: [s.xs[0], s.xs[s.xs.length - 1]],
      anchor: ya,
    };
    layout[`yaxis${ax}`] = { range: [-0.4, yTop], anchor: xa, showticklabels: i === 0 };
    (layout.annotations as unknown[]).push({
      xref: `${xa} domain`,
      yref: 'paper',
      x: 0.5,
      y: -0.3,
      showarrow: false,
      text: `(${String.fromCharCode(97 + i)}) ${s.label ?? `step ${s.step}`}<br>V = ${s.value.toFixed(3)}, C(G) = ${s.criterion.toFixed(3)}`,
    });
  });
  layout.margin = { l: 50, r: 20, t: 88, b: 110 };
  layout.height = 400;
  return figure(traces, layout);
}

/** y ↦ a·log y + b·log(1−y) for a few (a, b), each with its maximum a/(a+b) marked. */
export function pointwiseObjectiveChart(pairs: ReadonlyArray<[number, number]>): Figure {
  const ys = Array.from({ length: 199 }, (_, i) => (i + 1) / 200);
  const traces: Trace[] = [];
  for (const [a, b] of pairs) {
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: `a=${a}, b=${b}`,
      x: ys,
      y: ys.map((y) => pointwiseObjective(a, b, y)),
    });
    const star = a / (a + b);
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: `max at a/(a+b) = ${star.toFixed(3)}`,
      x: [star],
      y: [pointwiseObjective(a, b, star)],
      marker: { size: 9, symbol: 'x' },
    });
  }
  return figure(traces, {
    title: 'D*(x) = p_data / (p_data + p_g): the maximiser of a·log y + b·log(1 − y)',
    xaxis: { title: 'y = D(x)' },
    yaxis: { title: 'a·log y + b·log(1 − y)', range: [-4, 0] },
  });
}

/** |∂loss/∂logit| of both generator losses against D(G(z)): why minimax saturates early. */
export function generatorGradientChart(): Figure {
  const ds = Array.from({ length: 199 }, (_, i) => (i + 1) / 200);
  const g = ds.map((d) => generatorGradientMagnitudes(d));
  return figure(
    [
      {
        type: 'scatter',
        mode: 'lines',
        name: 'minimax  log(1 − D(G(z)))',
        x: ds,
        y: g.map((v) => v.minimax),
        line: { color: COLORS.dFake },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'non-saturating  −log D(G(z))',
        x: ds,
        y: g.map((v) => v.nonSaturating),
        line: { color: COLORS.pG },
      },
    ],
    {
      title: 'Generator gradient w.r.t. D’s logit: the minimax loss vanishes exactly when G is bad',
      xaxis: { title: 'D(G(z))  (0: D is sure the sample is fake)' },
      yaxis: { title: '|∂ loss / ∂ logit|', range: [0, 1.05] },
    },
  );
}

/**
 * C(G) (and V with the current D) over training, against the optimum −log 4. The default title states
 * what the curve shows, from its numbers: where C(G) started, where it ended, and how far from −log 4.
 */
export function criterionChart(
  curve: ReadonlyArray<{ step: number; criterion: number; value: number }>,
  title?: string,
): Figure {
  if (curve.length === 0)
    throw new Error('Expected at least one point for the criterion chart, but got none.');
  const steps = curve.map((p) => p.step);
  const opt = -Math.log(4);
  const first = curve[0];
  const last = curve[curve.length - 1];
  const defaultTitle =
    `C(G) from ${first.criterion.toFixed(3)} at step ${first.step} to ${last.criterion.toFixed(3)} ` +
    `at step ${last.step}: ${(last.criterion - opt).toFixed(3)} nats above −log 4`;
  return figure(
    [
      {
        type: 'scatter',
        mode: 'lines',
        name: 'C(G) = −log 4 + 2·JSD(p_data ‖ p_g)',
        x: steps,
        y: curve.map((p) => p.criterion),
        line: { color: COLORS.pG, width: 2 },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'V(D, G) with the current D',
        x: steps,
        y: curve.map((p) => p.value),
        line: { color: COLORS.d, dash: 'dash' },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: '−log 4 ≈ −1.3863',
        x: [steps[0], steps[steps.length - 1]],
        y: [opt, opt],
        line: { color: '#555', dash: 'dot' },
      },
    ],
    {
      title: title ?? defaultTitle,
      xaxis: { title: 'step' },
      yaxis: { title: 'nats' },
    },
  );
}

export interface DensityInput {
  /** Points on the x axis (sorted). */
  x: ArrayLike<number>;
  /** The data density p_data(x) (black, dotted). */
  pData: ArrayLike<number>;
  /** The generator's density p_g(x) (green, solid). */
  pG?: ArrayLike<number>;
  /** The discriminator D(x) (blue, dashed). */
  d?: ArrayLike<number>;
  /** D*(x) = p_data / (p_data + p_g): values, or `true` to compute it from pData and pG. */
  dStar?: ArrayLike<number> | true;
  title?: string;
  layout?: Layout;
}

/** D*(x) = p_data(x) / (p_data(x) + p_g(x)), with ½ where both densities vanish (Goodfellow et al. 2014, Prop. 1). */
export function optimalDiscriminator(pData: ArrayLike<number>, pG: ArrayLike<number>): number[] {
  if (pData.length !== pG.length) {
    throw new Error(`Expected pData and pG of the same length, but got ${pData.length} and ${pG.length}.`);
  }
  return Array.from(optimalD(pData, pG));
}

/** p_data, p_g, D and D* on one axis: the look of Goodfellow et al. 2014, Figure 1. */
export function densityChart(input: DensityInput): Figure {
  const n = input.x.length;
  const check = (name: string, a: ArrayLike<number> | undefined): void => {
    if (a !== undefined && a.length !== n) {
      throw new Error(`Expected ${name} to have one value per x (${n}), but got ${a.length}.`);
    }
  };
  check('pData', input.pData);
  check('pG', input.pG);
  check('d', input.d);
  if (input.dStar !== undefined && input.dStar !== true) check('dStar', input.dStar);
  const x = Array.from(input.x);
  const traces: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'p_data',
      x,
      y: Array.from(input.pData),
      line: { color: COLORS.data, dash: 'dot', width: 2 },
    },
  ];
  if (input.pG) {
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'p_g',
      x,
      y: Array.from(input.pG),
      line: { color: COLORS.pG, width: 2 },
    });
  }
  if (input.d) {
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'D(x)',
      x,
      y: Array.from(input.d),
      line: { color: COLORS.d, dash: 'dash', width: 2 },
    });
  }
  if (input.dStar !== undefined) {
    let dStar: number[];
    if (input.dStar === true) {
      if (!input.pG)
        throw new Error('Expected pG when dStar is true (D* = p_data / (p_data + p_g)), but pG is missing.');
      dStar = optimalDiscriminator(input.pData, input.pG);
    } else {
      dStar = Array.from(input.dStar);
    }
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'D*(x)',
      x,
      y: dStar,
      line: { color: COLORS.dStar, dash: 'dashdot', width: 1.5 },
    });
  }
  return figure(traces, {
    title: input.title ?? 'Densities and discriminator',
    xaxis: { title: 'x' },
    yaxis: { title: 'density / D(x)' },
    ...input.layout,
  });
}
