/**
 * GAN vs DCGAN, measured (tutorial 04): one run per recipe × seed, trained until two budgets are both
 * passed — an equal number of epochs and an equal number of training seconds (evaluation excluded) —
 * and scored every `evalEvery` steps from G's weight average (src/metrics/quality.ts). Both budgets
 * are read off the same run's curve, so one run per model and seed serves both comparisons.
 *   const run = await runOne({ recipe: 'mnist-dcgan', profile: 'cpu', dataset, seed: 1, metrics,
 *                              budgets: { epochs: 4, seconds: 300 } });
 * A model below the bar (BAR) is "not trained enough to compare"; `conclusions` names no winner then.
 */
import * as tf from '@tensorflow/tfjs';
import { generateImages } from '../analysis/generate';
import type { ImageDataset } from '../data/types';
import type { DigitMetrics } from '../metrics/digits';
import { digitQuality } from '../metrics/quality';
import {
  countTrainableParams,
  disposeModels,
  samplingGenerator,
  type GanModels,
  type ModelName,
} from '../models';
import { train } from '../train';
import { recipeSetup, trainOptions, type RecipeName, type RecipeProfile } from '../train/recipes';

/** The two recipes compared, in table order. */
export const COMPARED_RECIPES: readonly RecipeName[] = ['mnist-mlp-gan', 'mnist-dcgan'];

/**
 * Issue 13: a generator is worth comparing once it makes digits of ≥ 9 of the 10 classes and ≥ 50 % of its
 * samples are classified with p > 0.9. Below it, differences are between two kinds of noise.
 */
export const BAR = { classesCovered: 9, confident: 0.5 } as const;

export interface Budgets {
  /** Epochs of the training set (the same images seen by both models). */
  epochs: number;
  /** Seconds of training steps (the same compute time on this machine). */
  seconds: number;
}
export type BudgetKind = keyof Budgets;
export const BUDGET_KINDS: readonly BudgetKind[] = ['epochs', 'seconds'];

/** One evaluation of the sampling generator during training. */
export interface CurvePoint {
  step: number;
  /** Epochs of the training set seen so far (steps · batch / dataset size). */
  epochs: number;
  /** Training seconds so far (sum of step times; evaluation excluded). */
  trainSeconds: number;
  /** Share of samples classified with p > 0.9. */
  confident: number;
  classesCovered: number;
  klToUniform: number;
  classifierFid: number;
  /** Milliseconds to generate one image (batches of 256, sampling generator). */
  genMsPerImage: number;
}

export interface ComparisonRun {
  recipe: RecipeName;
  model: ModelName;
  seed: number;
  batchSize: number;
  stepsPerEpoch: number;
  /** Steps trained (until both budgets were passed). */
  steps: number;
  trainSeconds: number;
  /** Training images per second over all steps (steps · batch / training seconds). */
  imgPerSec: number;
  params: { generator: number; discriminator: number };
  /** Evaluations from step 0 (the untrained generator) on. */
  curve: CurvePoint[];
  /** The evaluation at each budget: the step that completes the epochs, the first step past the seconds. */
  at: Record<BudgetKind, CurvePoint>;
  /** 64 samples from fixed z at each budget, [64, 28, 28, 1] in [-1, 1] (the caller disposes them). */
  samples: Record<BudgetKind, tf.Tensor4D>;
}

export interface RunOptions {
  recipe: RecipeName;
  profile: RecipeProfile;
  dataset: ImageDataset;
  seed: number;
  budgets: Budgets;
  metrics: DigitMetrics;
  /** Generated digits per evaluation (default 500). */
  evalSamples?: number;
  /** Evaluate every this many steps (default: one epoch), besides step 0 and both budgets. */
  evalEvery?: number;
  /** Give up (and throw) if the budgets are not both passed by then (default 100,000 steps). */
  maxSteps?: number;
  /** Run directory for checkpoints (so `evaluateRun` can score it); none when absent. */
  outDir?: string;
  onProgress?: (message: string) => void;
}

/** Noise seeds shared by every run: evaluations and sample grids see the same z for every model. */
const EVAL_SEED = 4242;
const GRID_SEED = 7;

function checkBudgets(b: Budgets): void {
  for (const k of BUDGET_KINDS) {
    if (!(Number.isFinite(b[k]) && b[k] > 0)) {
      throw new Error(`Expected budgets.${k} to be a positive number, but got ${b[k]}.`);
    }
  }
}

/** Train one recipe with one seed until both budgets are passed, evaluating as it goes. */
export async function runOne(o: RunOptions): Promise<ComparisonRun> {
  checkBudgets(o.budgets);
  const setup = { ...recipeSetup(o.recipe, o.profile), seed: o.seed, steps: o.maxSteps ?? 100_000 };
  const options = trainOptions(setup, o.dataset.count);
  const stepsPerEpoch = Math.floor(o.dataset.count / setup.batchSize);
  const epochStep = Math.ceil(o.budgets.epochs * stepsPerEpoch);
  const evalSamples = o.evalSamples ?? 500;
  const evalEvery = o.evalEvery ?? stepsPerEpoch;
  const curve: CurvePoint[] = [];
  const at: Partial<Record<BudgetKind, CurvePoint>> = {};
  const samples: Partial<Record<BudgetKind, tf.Tensor4D>> = {};
  const controller = new AbortController();
  let models: GanModels | undefined;
  let trainMs = 0;

  const evaluate = async (step: number): Promise<CurvePoint> => {
    const m = models as GanModels;
    const t0 = performance.now();
    const images = generateImages(samplingGenerator(m), m.latentDim, evalSamples, EVAL_SEED);
    await images.data();
    const genMsPerImage = (performance.now() - t0) / evalSamples;
    const q = await digitQuality(o.metrics, images);
    images.dispose();
    const p: CurvePoint = {
      step,
      epochs: (step * setup.batchSize) / o.dataset.count,
      trainSeconds: trainMs / 1000,
      confident: q.confident,
      classesCovered: q.classesCovered,
      klToUniform: q.klToUniform,
      classifierFid: q.classifierFid,
      genMsPerImage,
    };
    curve.push(p);
    o.onProgress?.(
      `${setup.model} seed ${o.seed}: step ${step}, ${p.trainSeconds.toFixed(0)} s of training, ` +
        `${(100 * p.confident).toFixed(0)} % confident, ${p.classesCovered}/10 classes, ` +
        `classifier-FID ${p.classifierFid.toFixed(1)}`,
    );
    return p;
  };
  const reached = (kind: BudgetKind, p: CurvePoint): void => {
    const m = models as GanModels;
    at[kind] = p;
    samples[kind] = generateImages(samplingGenerator(m), m.latentDim, 64, GRID_SEED);
  };

  let result;
  try {
    result = await train({
      ...options,
      dataset: o.dataset,
      outDir: o.outDir,
      signal: controller.signal,
      callbacks: {
        onStart: async (info) => {
          models = info.models;
          await evaluate(0);
        },
        onStep: async (record) => {
          trainMs += record.ms;
          const epochsDone = record.step === epochStep;
          const secondsDone = at.seconds === undefined && trainMs / 1000 >= o.budgets.seconds;
          if (epochsDone || secondsDone || record.step % evalEvery === 0) {
            const p = await evaluate(record.step);
            if (epochsDone) reached('epochs', p);
            if (secondsDone) reached('seconds', p);
          }
          if (at.epochs && at.seconds) controller.abort();
        },
      },
    });
  } catch (e) {
    tf.dispose(Object.values(samples));
    throw e;
  }
  const params = {
    generator: countTrainableParams(result.models.generator),
    discriminator: countTrainableParams(result.models.discriminator),
  };
  disposeModels(result.models);
  if (!at.epochs || !at.seconds) {
    tf.dispose(Object.values(samples));
    throw new Error(
      `${o.recipe} seed ${o.seed} stopped at step ${result.steps} (${(trainMs / 1000).toFixed(0)} s) ` +
        `before passing both budgets (${o.budgets.epochs} epochs, ${o.budgets.seconds} s): raise maxSteps.`,
    );
  }
  return {
    recipe: o.recipe,
    model: setup.model,
    seed: o.seed,
    batchSize: setup.batchSize,
    stepsPerEpoch,
    steps: result.steps,
    trainSeconds: trainMs / 1000,
    imgPerSec: (result.steps * setup.batchSize) / (trainMs / 1000),
    params,
    curve,
    at: at as Record<BudgetKind, CurvePoint>,
    samples: samples as Record<BudgetKind, tf.Tensor4D>,
  };
}

/** Whether one evaluation meets the bar. */
export function meetsBar(p: Pick<CurvePoint, 'confident' | 'classesCovered'>): boolean {
  return p.classesCovered >= BAR.classesCovered && p.confident >= BAR.confident;
}

/** The first evaluation of a run that meets the bar, if any. */
export function firstOverBar(run: Pick<ComparisonRun, 'curve'>): CurvePoint | undefined {
  return run.curve.find(meetsBar);
}

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

const pctOf = (s: Summary) => `${fmt(s, 0, 100)} %`;

function barText(r: BudgetRow): string {
  return (
    `${r.model}: ${pctOf(r.confident)} confident, ${fmt(r.classesCovered, 1)} classes, ` +
    `${r.overBar}/${r.seeds} seeds over the bar`
  );
}

/** Means further apart than the sum of the two seed-to-seed standard deviations. */
function separated(a: Summary, b: Summary): boolean {
  return Math.abs(a.mean - b.mean) > a.std + b.std;
}

function gapWords(a: Summary, b: Summary): string {
  if (Math.min(a.n, b.n) < 2) return 'from one seed each, so the seed-to-seed spread is unknown';
  return separated(a, b)
    ? 'a gap larger than the seed-to-seed spread'
    : 'within the seed-to-seed spread: not a clear difference';
}

/** The verdict at one budget: a winner only when both models are over the bar in every seed. */
function verdict(rows: readonly BudgetRow[], label: string): string[] {
  if (rows.length !== 2) return [];
  const failing = rows.filter((r) => !rowPasses(r));
  const bar = `the bar is ≥ ${BAR.classesCovered}/10 classes and ≥ ${BAR.confident * 100} % confident in every seed`;
  if (failing.length > 0) {
    const who = failing.map((r) => r.model).join(' and ');
    const passing = rows.filter(rowPasses).map((r) => `; ${r.model} is over the bar (${barText(r)})`);
    return [
      `At ${label}: ${who} ${failing.length > 1 ? 'are' : 'is'} not trained enough to compare — ` +
        `${failing.map(barText).join('; ')}${passing.join('')}. No winner is named at ${label}; ${bar}.`,
    ];
  }
  const [x, y] = rows;
  const out: string[] = [];
  const conf = [x, y].sort((a, b) => b.confident.mean - a.confident.mean);
  out.push(
    `At ${label}, ${conf[0].model} makes more confidently classified digits: ${pctOf(conf[0].confident)} vs ` +
      `${pctOf(conf[1].confident)} (${(100 * (conf[0].confident.mean - conf[1].confident.mean)).toFixed(0)} points, ` +
      `${gapWords(conf[0].confident, conf[1].confident)}).`,
  );
  const fid = [x, y].sort((a, b) => a.classifierFid.mean - b.classifierFid.mean);
  out.push(
    `Its classifier-FID: ${fid[0].model} ${fmt(fid[0].classifierFid)} vs ${fid[1].model} ${fmt(fid[1].classifierFid)}, ` +
      `${(fid[1].classifierFid.mean / fid[0].classifierFid.mean).toFixed(2)}× lower for ${fid[0].model} ` +
      `(${gapWords(fid[0].classifierFid, fid[1].classifierFid)})` +
      `${fid[0].model === conf[0].model ? '' : ': the two measures disagree on the order'}.`,
  );
  const clear =
    fid[0].model === conf[0].model &&
    Math.min(x.confident.n, y.confident.n) > 1 &&
    separated(x.confident, y.confident) &&
    separated(x.classifierFid, y.classifierFid);
  out.push(
    clear
      ? `Winner at ${label}: ${conf[0].model}.`
      : `No clear winner at ${label}: the measures disagree or the gap is within the spread between seeds.`,
  );
  return out;
}

/** First crossing of the bar on each seed's curve, as a range over seeds. */
function crossingText(runs: readonly ComparisonRun[], recipe: RecipeName): string | undefined {
  const rs = runs.filter((r) => r.recipe === recipe);
  if (rs.length === 0) return undefined;
  const hits = rs.map(firstOverBar).filter((p): p is CurvePoint => p !== undefined);
  const range = (v: number[], d = 0) => {
    const [lo, hi] = [Math.min(...v), Math.max(...v)];
    return lo === hi ? lo.toFixed(d) : `${lo.toFixed(d)}–${hi.toFixed(d)}`;
  };
  const lastStep = Math.max(...rs.map((r) => r.steps));
  if (hits.length === 0) {
    return `${rs[0].model} met the bar in none of ${rs.length} seeds within its ${lastStep.toLocaleString('en')} steps.`;
  }
  return (
    `${rs[0].model} first met the bar after ${range(hits.map((p) => p.step))} steps ` +
    `(${range(
      hits.map((p) => p.epochs),
      1,
    )} epochs, ${range(hits.map((p) => p.trainSeconds))} s of training) ` +
    `in ${hits.length} of ${rs.length} seeds.`
  );
}

/**
 * Conclusions computed from the numbers, never written in advance: at each budget a winner only if both
 * models are over the bar in every seed and the gap exceeds the seed spread; when each model first met
 * the bar; and what each costs per image, to train and to sample.
 */
export function conclusions(runs: readonly ComparisonRun[], budgets: Budgets): string[] {
  const out: string[] = [];
  for (const kind of BUDGET_KINDS) {
    const label =
      kind === 'epochs'
        ? `equal epochs (${budgetLabel(kind, budgets)})`
        : `equal wall-clock (${budgetLabel(kind, budgets)})`;
    out.push(...verdict(summarizeBudget(runs, kind), label));
  }
  for (const recipe of COMPARED_RECIPES) {
    const c = crossingText(runs, recipe);
    if (c) out.push(c);
  }
  const rows = summarizeBudget(runs, 'seconds');
  if (rows.length === 2) {
    const [a, b] = [...rows].sort((p, q) => q.imgPerSec.mean - p.imgPerSec.mean);
    const msA = 1000 / a.imgPerSec.mean;
    const msB = 1000 / b.imgPerSec.mean;
    out.push(
      `Cost per training image: ${b.model} ${msB.toFixed(2)} ms, ${a.model} ${msA.toFixed(2)} ms ` +
        `(${(msB / msA).toFixed(1)}× more for ${b.model}); in ${budgets.seconds} s ${a.model} saw ` +
        `${fmt(a.epochs, 1)} epochs and ${b.model} ${fmt(b.epochs, 1)}. ` +
        `Cost per generated image: ${rows.map((r) => `${r.model} ${fmt(r.genMsPerImage, 3)} ms`).join(', ')}. ` +
        `Parameters (G + D): ${rows.map((r) => `${r.model} ${(r.params / 1e6).toFixed(2)} M`).join(', ')}.`,
    );
  }
  return out;
}
