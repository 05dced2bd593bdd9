/**
 * `gan recipes [--json]`: the named training recipes (src/train/recipes.ts) — what each is for, its
 * budget per profile, the levers with their sources, and the quality it reached when last measured
 * (docs/results.json, written by the runs themselves).
 */
import type { Command } from 'commander';
import { readResults } from '../results';
import { RECIPES, RECIPE_NAMES, RECIPE_PROFILES } from '../train/recipes';

export function recipeList() {
  const results = readResults();
  return RECIPE_NAMES.map((name) => {
    const r = RECIPES[name];
    return {
      name,
      purpose: r.purpose,
      choices: r.choices,
      profiles: Object.fromEntries(
        RECIPE_PROFILES.map((p) => {
          const s = r.setup(p);
          const last = results.find((e) => e.recipe === name && e.profile === p);
          const run = last?.evaluation.rows.find((row) => row.kind === 'run');
          return [
            p,
            {
              model: s.model,
              modelConfig: s.modelConfig,
              data: s.data,
              batchSize: s.batchSize,
              steps: s.steps,
              ema: s.ema,
              lastMeasured: last && run ? { date: last.date, minutes: last.trainSeconds / 60, ...run } : null,
            },
          ];
        }),
      ),
    };
  });
}

export function runRecipes(flags: { json?: boolean }): void {
  const list = recipeList();
  if (flags.json) {
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return;
  }
  for (const r of list) {
    process.stdout.write(`${r.name} — ${r.purpose}\n`);
    for (const c of r.choices) process.stdout.write(`  · ${c}\n`);
    for (const [p, s] of Object.entries(r.profiles)) {
      const m = s.lastMeasured;
      const q = !m
        ? 'not measured yet'
        : m.confident !== undefined
          ? `confident ${m.confident.toFixed(2)}, ${m.classesCovered}/10 classes, classifier-FID ${m.classifierFid?.toFixed(1)}`
          : `face-FID ${m.faceFid?.toFixed(2)}, diversity ${m.diversity?.toFixed(2)}`;
      process.stdout.write(
        `  ${p.padEnd(5)} ${s.model} ${JSON.stringify(s.modelConfig)}, batch ${s.batchSize}, ${s.steps} steps` +
          ` — last: ${q}${m ? ` (${m.minutes.toFixed(1)} min, ${m.date.slice(0, 10)})` : ''}\n`,
      );
    }
    process.stdout.write(`  train: npx gan train --recipe ${r.name} --profile cpu --out runs/${r.name}\n\n`);
  }
}

export function registerRecipes(program: Command): void {
  program
    .command('recipes')
    .description('list the named training recipes, their budgets and the quality they last reached')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => runRecipes(flags));
}
