/**
 * The comparison's numbers over seeds: mean ± sample standard deviation per model and budget, the
 * reference rows (real digits, untrained generators) and the Markdown table of tutorial 04.
 */
import type { ImageDataset } from '../data/types';
import type { DigitMetrics } from '../metrics/digits';
import { digitQuality } from '../metrics/quality';
import type { ModelName } from '../models';
import type { RecipeName } from '../train/recipes';
import {
  COMPARED_RECIPES,
  meetsBar,
  type BudgetKind,
  type Budgets,
  type ComparisonRun,
  type CurvePoint,
} from './runs';

export interface Summary {
  mean: number;
  std: number;
  n: number;
}

/** Mean and sample standard deviation (n − 1). */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** `12.3 ± 4.5` over seeds (the ± is the sample standard deviation), or the one value. */
export function fmt(s: Summary, digits = 1, scale = 1): string {
  const m = (s.mean * scale).toFixed(digits);
  return s.n > 1 ? `${m} ± ${(s.std * scale).toFixed(digits)}` : m;
}

/** The quality numbers of a table row, each over seeds (or over draws for the real row). */
export interface QualitySummary {
  confident: Summary;
  classesCovered: Summary;
  klToUniform: Summary;
  classifierFid: Summary;
}

function summarizeQuality(points: readonly CurvePoint[] | readonly QualityPoint[]): QualitySummary {
  const of = (k: keyof QualityPoint) => summarize(points.map((p) => p[k]));
  return {
    confident: of('confident'),
    classesCovered: of('classesCovered'),
    klToUniform: of('klToUniform'),
    classifierFid: of('classifierFid'),
  };
}

type QualityPoint = Pick<CurvePoint, 'confident' | 'classesCovered' | 'klToUniform' | 'classifierFid'>;

/** One model at one budget, over seeds. */
export interface BudgetRow extends QualitySummary {
  model: ModelName;
  recipe: RecipeName;
  budget: BudgetKind;
  steps: Summary;
  epochs: Summary;
  trainSeconds: Summary;
  imgPerSec: Summary;
  genMsPerImage: Summary;
  /** Seeds whose evaluation at this budget meets the bar, of `seeds`. */
  overBar: number;
  seeds: number;
  params: number;
}

/** A row is comparable when every seed meets the bar. */
export function rowPasses(r: Pick<BudgetRow, 'overBar' | 'seeds'>): boolean {
  return r.seeds > 0 && r.overBar === r.seeds;
}

/** Per model at one budget, over seeds (in COMPARED_RECIPES order). */
export function summarizeBudget(runs: readonly ComparisonRun[], budget: BudgetKind): BudgetRow[] {
  return COMPARED_RECIPES.flatMap((recipe) => {
    const rs = runs.filter((r) => r.recipe === recipe);
    if (rs.length === 0) return [];
    const pts = rs.map((r) => r.at[budget]);
    return [
      {
        model: rs[0].model,
        recipe,
        budget,
        ...summarizeQuality(pts),
        steps: summarize(pts.map((p) => p.step)),
        epochs: summarize(pts.map((p) => p.epochs)),
        trainSeconds: summarize(pts.map((p) => p.trainSeconds)),
        imgPerSec: summarize(rs.map((r) => r.imgPerSec)),
        genMsPerImage: summarize(pts.map((p) => p.genMsPerImage)),
        overBar: pts.filter(meetsBar).length,
        seeds: rs.length,
        params: rs[0].params.generator + rs[0].params.discriminator,
      },
    ];
  });
}

/** A reference row: real digits (the ceiling) or an untrained generator (the floor). */
export interface ReferenceRow extends QualitySummary {
  label: string;
}

/** Untrained generators: each run's step-0 evaluation, per model over seeds. */
export function untrainedRows(runs: readonly ComparisonRun[]): ReferenceRow[] {
  return COMPARED_RECIPES.flatMap((recipe) => {
    const rs = runs.filter((r) => r.recipe === recipe);
    if (rs.length === 0) return [];
    return [
      { label: `untrained ${rs[0].model} (initial weights)`, ...summarizeQuality(rs.map((r) => r.curve[0])) },
    ];
  });
}

/** Real digits scored like the samples: `draws` disjoint sets of `n` examples from `dataset`. */
export async function realRow(
  metrics: DigitMetrics,
  dataset: ImageDataset,
  n: number,
  draws: number,
): Promise<ReferenceRow> {
  if (draws * n > dataset.count) {
    throw new Error(`Expected ${draws} × ${n} real digits, but the dataset has only ${dataset.count}.`);
  }
  const pts: QualityPoint[] = [];
  for (let i = 0; i < draws; i++) {
    const x = dataset.take(n, i * n);
    pts.push(await digitQuality(metrics, x));
    x.dispose();
  }
  return { label: `real training digits (${draws} × ${n})`, ...summarizeQuality(pts) };
}

export function budgetLabel(kind: BudgetKind, b: Budgets): string {
  return kind === 'epochs' ? `${b.epochs} epoch${b.epochs === 1 ? '' : 's'}` : `${b.seconds} s of training`;
}

/** The Markdown table: every model × budget, then the reference rows (mean ± std over seeds). */
export function comparisonTable(
  rows: readonly BudgetRow[],
  references: readonly ReferenceRow[],
  budgets: Budgets,
): string {
  const head = [
    'generator',
    'budget',
    'steps',
    'epochs',
    'training s',
    'confident (p > 0.9) %',
    'classes',
    'KL to uniform',
    'classifier-FID',
    'train img/s',
    'ms / generated image',
    'seeds over the bar',
  ];
  const body = rows.map((r) => [
    r.model,
    budgetLabel(r.budget, budgets),
    fmt(r.steps, 0),
    fmt(r.epochs, 1),
    fmt(r.trainSeconds, 0),
    fmt(r.confident, 1, 100),
    fmt(r.classesCovered, 1),
    fmt(r.klToUniform, 3),
    fmt(r.classifierFid, 1),
    fmt(r.imgPerSec, 0),
    fmt(r.genMsPerImage, 3),
    `${r.overBar}/${r.seeds}`,
  ]);
  const refs = references.map((r) => [
    r.label,
    '—',
    '—',
    '—',
    '—',
    fmt(r.confident, 1, 100),
    fmt(r.classesCovered, 1),
    fmt(r.klToUniform, 3),
    fmt(r.classifierFid, 1),
    '—',
    '—',
    '—',
  ]);
  return [head, head.map(() => '---'), ...body, ...refs].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
