import sys; sys.path.insert(0, __file__.rsplit('/', 1)[0])
from common import write

cells = [
("markdown", r"""
# 04 · GAN vs DCGAN, measured

"How are GAN and DCGAN different, and which is better?" This notebook answers with measurements, and only about
**trained** generators. Same data (MNIST), each model trained by its named recipe:

* **`mnist-mlp-gan`** — the fully-connected GAN of Goodfellow et al. 2014 (as trained in notebook 02);
* **`mnist-dcgan`** — Radford et al. 2015's guidelines at 28×28: strided (transposed) convolutions, batch
  normalisation, ReLU in $G$ and LeakyReLU in $D$.

Each is trained with **3 seeds** and judged at two budgets: an **equal number of epochs** (the same images seen) and
an **equal wall-clock budget** (the same seconds of training on this machine). One run per model and seed serves
both: it is evaluated every epoch while it trains, and each budget is read off its curve. A model is compared only
when it is over a **bar** — at least 9 of the 10 digit classes and at least half its samples classified
confidently — in every seed; below it, it is reported as *not trained enough to compare* and no winner is named.
Every sentence below that states a result is printed by code from this run's numbers.
"""),
("code", r"""
import { startNotebook } from "../dist/src/notebook";
import { loadMnist } from "../dist/src/data/mnist";
const train = await loadMnist({ split: "train" });
const test = await loadMnist({ split: "test" });
const nb = await startNotebook("04-gan-vs-dcgan", { dataset: `MNIST — ${train.source}` });
"""),
("markdown", r"""
## 1 · The yardstick

A small LeNet-style classifier (`src/metrics/classifier.ts`, weights committed, `npx gan train-classifier`
reproduces them) judges the samples, the same numbers `npx gan evaluate` reports:

* **confident** — the share of samples it classifies with $p > 0.9$: does a sample look like *some* digit?
* **classes** — how many of the 10 classes get at least 1 % of the samples; **KL to uniform** — how far the class
  histogram is from balanced (0 = balanced, $\log 10 \approx 2.30$ = one class only);
* **classifier-FID** — the Fréchet distance between Gaussians fitted to the classifier's 128-d features of the
  samples and of the 2,000 held-out test digits. Lower is better. It is *not* Inception-FID: comparable only with
  itself, and (like every FID) it depends on the number of samples, so every row here uses the same number.

The table will carry two reference rows scored by the same code: real training digits (the ceiling) and each
model's **untrained** generator (the floor: every run's evaluation at step 0).
"""),
("code", r"""
import { DigitMetrics } from "../dist/src/metrics/digits";
import { accuracyAsync } from "../dist/src/metrics/classifier";
const metrics = await DigitMetrics.load();
const acc = await accuracyAsync(metrics.model, test);
console.log(`classifier: ${(100 * acc).toFixed(1)} % correct on the ${test.count} held-out digits`);
"""),
("markdown", r"""
## 2 · The two recipes

A recipe (`src/train/recipes.ts`, `npx gan recipes`) is the whole training setup; each choice names its source.
Both use batch 64, Adam with $\beta_1 = 0.5$, the non-saturating loss, one $D$ step per $G$ step, and sample from
a moving average of $G$'s weights (EMA). On a CPU the DCGAN runs at quarter width (`ngf = ndf = 16`), with one more
layer in $G$ and one in $D$ (3×3 convolutions at 7×7, `gConv7` and `dConv7`), $G$'s learning rate twice $D$'s
(`gLrScale`), and $z$ drawn from ten separated Gaussians instead of one (`latentModes`): $G$ is a continuous function,
so it maps one connected cloud of $z$ onto one connected set of images, and some of its samples must then lie
between two digits; ten clouds apart let it keep the digits apart (no labels are involved: which cloud draws which
digit is $G$'s own choice). The MLP recipe keeps $z \sim \mathcal{N}(0, I)$. The recipe says what each choice
measured.
"""),
("code", r"""
import { RECIPES, recipeSetup, type RecipeProfile } from "../dist/src/train/recipes";
import { buildModels, countTrainableParams, disposeModels } from "../dist/src/models";
const profile = nb.pick<RecipeProfile>({ quick: "quick", cpu: "cpu", gpu: "gpu" });
for (const name of ["mnist-mlp-gan", "mnist-dcgan"] as const) {
  const s = recipeSetup(name, profile);
  const m = buildModels(s.model, { seed: 0, config: s.modelConfig });
  const [g, d] = [m.generator, m.discriminator].map((x) => countTrainableParams(x));
  console.log(`${name} → ${s.model} ${JSON.stringify(s.modelConfig)}: ` +
    `G ${g.toLocaleString("en")} + D ${d.toLocaleString("en")} parameters, ` +
    `lr ${s.step.lr}${s.step.gLrScale ? ` (G ×${s.step.gLrScale})` : ""}, EMA ${s.ema}`);
  for (const c of RECIPES[name].choices) console.log(`  · ${c}`);
  disposeModels(m);
}
"""),
("markdown", r"""
## 3 · The budgets, and the runs

The budgets depend on the profile (the header above says which); on a CPU they are sized so that the whole
comparison fits about 45 minutes of a 2-core machine, and section 7 computes what a longer equal-epochs budget
would cost. Training seconds count only the training steps; evaluations (from the averaged generator, every
epoch) are excluded. The runs go one seed per cell; each line of a cell's live output is one evaluation.
"""),
("code", r"""
import { runOne, realRow, type ComparisonRun } from "../dist/src/compare/experiment";
import { LiveDisplay } from "../dist/src/plot";
const data = nb.pick({ quick: train.head(640), cpu: train, gpu: train });
const budgets = nb.pick({ quick: { epochs: 2, seconds: 4 }, cpu: { epochs: 20, seconds: 300 },
  gpu: { epochs: 20, seconds: 120 } });
const seeds = [1, 2, 3];
const evalSamples = nb.pick({ quick: 200, cpu: 500, gpu: 1000 });
const stepsPerEpoch = Math.floor(data.count / 64);
console.log(`${data.count} training digits, ${stepsPerEpoch} steps per epoch at batch 64: ` +
  `${budgets.epochs} epochs = ${budgets.epochs * stepsPerEpoch} steps; ` +
  `${budgets.seconds} s of training; seeds ${seeds.join(", ")}; ` +
  `${evalSamples} samples per evaluation`);
"""),
("code", r"""
const runs: ComparisonRun[] = [];
/** Both recipes with one seed; the log of evaluations redraws in the calling cell. */
async function runSeed(seed: number): Promise<void> {
  const log: string[] = [];
  const live = new LiveDisplay();
  const say = (m: string) => {
    log.push(m);
    live.update({ data: { "text/plain": log.slice(-8).join("\n") }, metadata: {} });
  };
  for (const recipe of ["mnist-mlp-gan", "mnist-dcgan"] as const) {
    say(`— ${recipe}, seed ${seed}`);
    runs.push(await runOne({ recipe, profile, dataset: data, seed, budgets, metrics, evalSamples,
      evalEvery: stepsPerEpoch, onProgress: say }));
  }
}
const t0 = Date.now();
await runSeed(seeds[0]);
"""),
("code", r"""
await runSeed(seeds[1]);
"""),
("code", r"""
await runSeed(seeds[2]);
const real = await realRow(metrics, train, evalSamples, 3);
console.log(`${runs.length} runs in ${((Date.now() - t0) / 60000).toFixed(1)} min on ` +
  `${nb.backend.backend} (${nb.backend.device})`);
"""),
("markdown", r"""
## 4 · Quality over training

Each line is one run (red: `mlp-gan`, blue: `dcgan-28`; the dash marks the seed). The dashed vertical line is the
budget; the dotted level is the bar's 50 % confident. First against training seconds (the equal wall-clock
budget), then against epochs (the equal-epochs budget):
"""),
("code", r"""
import { curveChart } from "../dist/src/compare/charts";
await nb.showAndSave(curveChart(runs, { x: "trainSeconds", y: "confident", budgets }),
  "confident-vs-seconds");
await nb.showAndSave(curveChart(runs, { x: "epochs", y: "confident", budgets }),
  "confident-vs-epochs");
await nb.showAndSave(curveChart(runs, { x: "trainSeconds", y: "classifierFid", budgets }),
  "fid-vs-seconds");
"""),
("markdown", r"""
## 5 · The table

Every model at both budgets, mean ± standard deviation over the seeds, read off the curves above; then the
reference rows. *train img/s* is training images per second (one step = 64 images); *ms / generated image* is
the cost of sampling from the averaged generator.
"""),
("code", r"""
import { comparisonTable, summarizeBudget, untrainedRows } from "../dist/src/compare/experiment";
import { show } from "../dist/src/plot";
import { markdownBundle } from "../dist/src/markdown";
const rows = [...summarizeBudget(runs, "epochs"), ...summarizeBudget(runs, "seconds")];
const table = comparisonTable(rows, [real, ...untrainedRows(runs)], budgets);
show(markdownBundle(table));
"""),
("markdown", r"""
## 6 · Samples side by side

The same 64 fixed $z$ through each model's averaged generator (seed 1), at each budget:
"""),
("code", r"""
import { imageGrid, hstack } from "../dist/src/plot";
import { budgetLabel } from "../dist/src/compare/experiment";
import { pct } from "../dist/src/claim";
const first = runs.filter((r) => r.seed === seeds[0]);
const cells = (["epochs", "seconds"] as const).flatMap((b) => first.map((r) => ({ r, b })));
await nb.showAndSave(hstack(cells.map(({ r, b }) => imageGrid(r.samples[b], { nrow: 8 })),
  { captions: cells.map(({ r, b }) => `${r.model}, ${budgetLabel(b, budgets)}`) }), "samples");
for (const { r, b } of cells) console.log(`${r.model} at ${budgetLabel(b, budgets)} ` +
  `(step ${r.at[b].step}): ${pct(r.at[b].confident)} of ${evalSamples} samples confident, ` +
  `${r.at[b].classesCovered}/10 classes`);
"""),
("markdown", r"""
## 7 · Conclusions, from the numbers above

Computed by `conclusions` (`src/compare/experiment.ts`) from the runs: at each budget a winner is named only when
both models are over the bar in every seed and the gap exceeds the spread between seeds; then where each model
first crossed the bar, and what an image costs.
"""),
("code", r"""
import { conclusions } from "../dist/src/compare/experiment";
import { markdownBundle } from "../dist/src/markdown";
const lines = conclusions(runs, budgets);
const md = lines.map((l) => `* ${l}`).join("\n");
show(markdownBundle(md, lines.join("\n")));
"""),
("markdown", r"""
What the bar would cost at equal epochs: the epochs `mlp-gan` needed to cross it here, and how long the DCGAN
takes for as many epochs at the speed measured above.
"""),
("code", r"""
import { firstOverBar } from "../dist/src/compare/experiment";
const [mlpRow, dcRow] = summarizeBudget(runs, "seconds");
const need = runs.filter((r) => r.model === "mlp-gan").map(firstOverBar);
if (need.every((p) => p !== undefined)) {
  const ep = Math.max(...need.map((p) => p!.epochs));
  const min = (ep * data.count) / dcRow.imgPerSec.mean / 60;
  const [dcSpeed, mlpSpeed] = [dcRow, mlpRow].map((r) => r.imgPerSec.mean.toFixed(0));
  console.log(`mlp-gan needed up to ${ep.toFixed(1)} epochs to meet the bar; ` +
    `${ep.toFixed(1)} epochs ` +
    `of dcgan-28 take about ${min.toFixed(0)} min of training per seed at its ` +
    `${dcSpeed} img/s (mlp-gan: ${mlpSpeed} img/s).`);
} else console.log(`mlp-gan did not meet the bar in every seed within ${budgets.seconds} s.`);
"""),
("markdown", r"""
## 8 · The recipes at their own budgets

The runs above stop at the comparison's budgets. Each recipe also has its own CPU budget (`npx gan recipes`), and
`docs/results.md` holds what it reached there: `mnist-mlp-gan` from notebook 02's run, `mnist-dcgan` from
`npx gan train --recipe mnist-dcgan --out runs/dcgan` then `npx gan evaluate --run runs/dcgan --record`.
"""),
("code", r"""
for (const r of runs) for (const b of ["epochs", "seconds"] as const) r.samples[b].dispose();
metrics.dispose();
"""),
("markdown", r"""
## What differs between the two, by construction

These are properties of the architectures, not results of this run: a transposed-convolution generator reuses the
same small filters at every position of the image, while a fully-connected one learns each pixel's connections
separately; a convolution does far more arithmetic per parameter than a dense layer — the table's *train img/s*
and *ms / generated image* measure what that costs on this machine. Which of the two matters more at a given
budget is what the measurements above decide.
"""),
]

write(sys.argv[1] if len(sys.argv) > 1 else "notebooks/04-gan-vs-dcgan.ipynb", cells)
