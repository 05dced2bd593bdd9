/**
 * Conclusions computed from the comparison's numbers, never written in advance: a winner only when both
 * models are over the bar in every seed and the gap exceeds the spread between seeds.
 */
import type { RecipeName } from '../train/recipes';
import {
  BAR,
  BUDGET_KINDS,
  COMPARED_RECIPES,
  firstOverBar,
  type Budgets,
  type ComparisonRun,
  type CurvePoint,
} from './runs';
import { budgetLabel, fmt, rowPasses, summarizeBudget, type BudgetRow, type Summary } from './summary';

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
  const points = (100 * (conf[0].confident.mean - conf[1].confident.mean)).toFixed(0);
  out.push(
    `At ${label}, ${conf[0].model} makes more confidently classified digits: ${pctOf(conf[0].confident)} vs ` +
      `${pctOf(conf[1].confident)} (${points} point${points === '1' ? '' : 's'}, ` +
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
