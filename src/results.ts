/**
 * docs/results.md, written by the runs themselves: each recipe × profile with its `gan evaluate`
 * numbers, training time, backend and device, beside the real-data and untrained rows. A tutorial (at a
 * non-quick profile) or `gan evaluate --record` calls `recordResult`; the entry replaces the previous one
 * of the same recipe and profile in docs/results.json, and the Markdown page is rebuilt from that file.
 * `gan train --recipe` writes `recipe.json` beside its run (which recipe, at which profile, on which
 * backend); `recipeRunResult` checks such a run, finished at the recipe's budget, and gives its entry's fields.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from './util/paths';
import { writeFileAtomic } from './util/fsAtomic';
import { evaluationTable, type RunEvaluation } from './metrics/evaluate';
import { UsageError } from './errors';
import { recipeSetup } from './train/recipes';
import { configDiff, recordedConfig } from './train/config';
import { readManifest } from './train/checkpoint';
import { HISTORY_FILE, readHistory } from './train/history';

export interface ResultEntry {
  recipe: string;
  profile: string;
  /** What produced it: `notebooks/02-gan-mnist.ipynb`, `gan train --recipe …`. */
  source: string;
  steps: number;
  trainSeconds: number;
  imgPerSec: number;
  backend: string;
  device: string;
  date: string;
  evaluation: RunEvaluation;
}

/** `recipe.json`, written by `gan train --recipe` beside its run. */
export interface RecipeRunRecord {
  recipe: string;
  profile: string;
  /** Backend and device of the (last) training session. */
  backend: string;
  device: string;
}

export const RECIPE_RUN_FILE = 'recipe.json';

/** `expected`'s fields as `actual` has them (recursively), so that a partial setup compares with a full config. */
function sameFields(actual: unknown, expected: unknown): unknown {
  if (typeof expected !== 'object' || expected === null) return actual;
  const a = (typeof actual === 'object' && actual !== null ? actual : {}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(expected).map((k) => [k, sameFields(a[k], (expected as never)[k])]));
}

/**
 * An entry's fields (all but the evaluation and the date) for a run `gan train --recipe` trained to the
 * recipe's budget. Refuses (UsageError) a run without a readable `recipe.json`, one whose config differs
 * from the recipe's (a --seed override, an older recipe) and one that stopped before or went past the
 * recipe's steps.
 */
export function recipeRunResult(runDir: string): Omit<ResultEntry, 'evaluation' | 'date'> {
  const file = path.join(runDir, RECIPE_RUN_FILE);
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `${file} is missing: only runs trained by \`gan train --recipe NAME\` (which writes it) can be recorded.`,
    );
  }
  let r: RecipeRunRecord;
  try {
    r = JSON.parse(fs.readFileSync(file, 'utf8')) as RecipeRunRecord;
  } catch (e) {
    throw new UsageError(
      `${file} is not valid JSON (${(e as Error).message}): it is written by gan train --recipe.`,
    );
  }
  const setup = recipeSetup(r.recipe, r.profile);
  const expected = {
    model: setup.model,
    modelConfig: setup.modelConfig,
    batchSize: setup.batchSize,
    seed: setup.seed,
    ema: setup.ema,
    step: setup.step,
  };
  const diff = configDiff(sameFields(recordedConfig(runDir), expected), expected, '', [
    'run has',
    'recipe has',
  ]);
  if (diff.length > 0) {
    throw new UsageError(
      `${runDir} was not trained as recipe ${r.recipe} (profile ${r.profile}) is now:\n  ${diff.join('\n  ')}\n` +
        `Train it again with \`gan train --recipe ${r.recipe} --profile ${r.profile} --out DIR\`.`,
    );
  }
  const m = readManifest(runDir);
  if (m.step !== setup.steps) {
    throw new UsageError(
      `${runDir} has ${m.step} steps; recipe ${r.recipe} (profile ${r.profile}) trains ${setup.steps}. ` +
        (m.step < setup.steps
          ? `Finish it with \`gan train --recipe ${r.recipe} --profile ${r.profile} --out ${runDir} --resume\`.`
          : "Only a run at the recipe's budget is recorded."),
    );
  }
  const history = readHistory(path.join(runDir, HISTORY_FILE), m.historyLines);
  const trainSeconds = history.reduce((t, h) => t + h.ms, 0) / 1000;
  return {
    recipe: r.recipe,
    profile: r.profile,
    source: `gan train --recipe ${r.recipe} --profile ${r.profile}`,
    steps: m.step,
    trainSeconds,
    imgPerSec: (m.step * setup.batchSize) / trainSeconds,
    backend: r.backend,
    device: r.device,
  };
}

/** Published numbers to show beside ours (different protocols: see each tutorial). */
const PAPERS: Record<string, string> = {
  'mnist-mlp-gan':
    'Goodfellow et al. 2014, Table 1: Parzen-window log-likelihood 225 ± 2 on MNIST (60,000 training digits, maxout networks).',
  'mnist-dcgan': 'Radford et al. 2015 report no MNIST sample-quality number for the unconditional DCGAN.',
  'faces-dcgan':
    'Radford et al. 2015 show CelebA-like faces (their Figures 3–4 use LSUN and a faces set) after 5 epochs at 64×64; no FID.',
};

export function resultsFiles(root = projectRoot()): { json: string; md: string } {
  return { json: path.join(root, 'docs', 'results.json'), md: path.join(root, 'docs', 'results.md') };
}

export function readResults(file = resultsFiles().json): ResultEntry[] {
  if (!fs.existsSync(file)) return [];
  const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(v)) throw new Error(`${file}: expected a JSON array of results.`);
  return v as ResultEntry[];
}

/** Store `entry` (replacing the same recipe × profile) and rebuild docs/results.md. */
export function recordResult(entry: ResultEntry, files = resultsFiles()): void {
  const all = readResults(files.json).filter(
    (e) => !(e.recipe === entry.recipe && e.profile === entry.profile),
  );
  // Paths relative to the project: the page must not name this machine's folders.
  const r = entry.evaluation.run;
  const run = path.isAbsolute(r) ? path.relative(projectRoot(), r) : r;
  all.push({ ...entry, evaluation: { ...entry.evaluation, run } });
  all.sort((a, b) => (a.recipe + a.profile).localeCompare(b.recipe + b.profile));
  fs.mkdirSync(path.dirname(files.json), { recursive: true });
  writeFileAtomic(files.json, JSON.stringify(all, null, 2) + '\n');
  writeFileAtomic(files.md, resultsMarkdown(all));
}

export function resultsMarkdown(all: ResultEntry[]): string {
  const parts = [
    '# Results',
    '',
    '_Written by the runs themselves (`src/results.ts`): each tutorial, executed at its default profile, records',
    'the `gan evaluate` numbers of the recipe it trained, and `gan evaluate --run DIR --record` those of a run',
    '`gan train --recipe` finished. Do not edit by hand._',
    '',
  ];
  for (const e of all) {
    const ev = e.evaluation;
    parts.push(
      `## ${e.recipe} — profile \`${e.profile}\``,
      '',
      `${ev.model} on ${ev.dataset}${ev.standIn ? ' (procedural STAND-IN, not real CelebA)' : ''}: ` +
        `${e.steps.toLocaleString('en')} steps, ${(e.trainSeconds / 60).toFixed(1)} min of training at ` +
        `${e.imgPerSec.toFixed(0)} img/s on \`${e.backend}\` (${e.device}), ${e.date.slice(0, 10)}; ` +
        `from ${e.source}. ${(ev.rows[0]?.n ?? 0).toLocaleString('en')} samples per row, ` +
        `from ${ev.ema ? "the moving average of G's weights" : 'G'}.`,
      '',
      evaluationTable(ev),
      '',
      PAPERS[e.recipe] ? `_${PAPERS[e.recipe]}_` : '',
      '',
    );
  }
  return parts.join('\n').replace(/\n{3,}/g, '\n\n');
}
