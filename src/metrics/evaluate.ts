/**
 * `gan evaluate` and the tutorials' quality tables: score a run's generator (its weight average when the
 * run keeps one) beside two reference rows computed by the same code — real images (the ceiling) and
 * an untrained generator of the same model (the floor).
 *   MNIST: confident share, classes covered, KL to uniform, classifier-FID (src/metrics/quality.ts),
 *          and the Parzen-window log-likelihood of Goodfellow et al. 2014 when asked.
 *   Faces: Fréchet distance in the features of a small network trained on the face set
 *          (src/metrics/faces.ts) and pixel diversity relative to real faces (src/analysis/diversity.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { generateImages } from '../analysis/generate';
import { diversityRatioAsync } from '../analysis/diversity';
import { defaultCelebaDir, loadCeleba } from '../data/celeba';
import { loadMnist } from '../data/mnist';
import type { ImageDataset } from '../data/types';
import { buildModels, disposeModels, samplingGenerator, type GanModels } from '../models';
import { loadGenerator } from '../train/engine';
import { DigitMetrics } from './digits';
import { FaceMetrics } from './faces';
import { parzenEstimateAsync, toUnitPixels } from './parzen';
import { digitQuality } from './quality';

export interface EvalRow {
  /** `run`, `real`, or `untrained`. */
  kind: 'run' | 'real' | 'untrained';
  label: string;
  n: number;
  confident?: number;
  classesCovered?: number;
  klToUniform?: number;
  classifierFid?: number;
  /** Parzen log-likelihood of the held-out digits in nats (mean ± standard error), with its σ. */
  parzen?: { mean: number; stderr: number; sigma: number };
  /** Fréchet distance in the face network's features. */
  faceFid?: number;
  /** Mean pairwise pixel distance relative to real faces'. */
  diversity?: number;
}

export interface RunEvaluation {
  run: string;
  model: string;
  dataset: string;
  standIn: boolean;
  step: number;
  /** True when the samples came from the moving average of G's weights. */
  ema: boolean;
  rows: EvalRow[];
  seconds: number;
}

export interface EvaluateOptions {
  /** Samples per row (default 2000). */
  n?: number;
  /** Also the Parzen estimate (MNIST; 10,000 samples for the window, slow). */
  parzen?: boolean;
  /** Seed of the noise (default 4242). */
  seed?: number;
  /** Add the real and untrained rows (default true). */
  references?: boolean;
  /** Face folder (default CELEBA_DIR or data/celeba). */
  dir?: string;
}

async function digitRows(
  gen: (n: number, seed: number) => tf.Tensor4D,
  untrained: GanModels,
  o: Required<Omit<EvaluateOptions, 'dir'>>,
): Promise<EvalRow[]> {
  const metrics = await DigitMetrics.load();
  const test = await loadMnist({ split: 'test' });
  const train = await loadMnist({ split: 'train' });
  const rows: EvalRow[] = [];
  try {
    const score = async (kind: EvalRow['kind'], label: string, images: tf.Tensor4D, parzen: boolean) => {
      const q = await digitQuality(metrics, images);
      const row: EvalRow = { kind, label, ...q };
      if (parzen) row.parzen = await parzenOf(images, test);
      rows.push(row);
    };
    const fake = gen(o.n, o.seed);
    await score('run', 'this run', fake, false);
    fake.dispose();
    if (o.parzen) {
      // The paper's protocol: 10,000 samples make the window; σ chosen on 1,000 held-out digits.
      const window = gen(10000, o.seed + 1);
      rows[0].parzen = await parzenOf(window, test);
      window.dispose();
    }
    if (o.references) {
      const real = train.take(Math.min(o.n, train.count));
      await score('real', `real digits (${real.shape[0]} training digits)`, real, false);
      if (o.parzen) rows[1].parzen = await parzenOf(train.take(Math.min(10000, train.count)), test, true);
      real.dispose();
      const u = generateImages(untrained.generator, untrained.prior, o.n, o.seed);
      await score('untrained', 'untrained generator (same model, initial weights)', u, false);
      u.dispose();
    }
  } finally {
    metrics.dispose();
  }
  return rows;
}

/** Parzen log-likelihood of 1,000 held-out test digits under a window on `samples` (σ on 1,000 others). */
async function parzenOf(
  samples: tf.Tensor4D,
  test: ImageDataset,
  dispose = false,
): Promise<EvalRow['parzen']> {
  const held = test.take(Math.min(2000, test.count));
  const half = Math.floor(held.shape[0] / 2);
  const [s, v, t] = [
    toUnitPixels(samples),
    toUnitPixels(held.slice(0, half)),
    toUnitPixels(held.slice(half)),
  ];
  try {
    const p = await parzenEstimateAsync(s, v, t);
    return { mean: p.mean, stderr: p.stderr, sigma: p.sigma };
  } finally {
    tf.dispose([held, s, v, t]);
    if (dispose) samples.dispose();
  }
}

async function faceRows(
  gen: (n: number, seed: number) => tf.Tensor4D,
  untrained: GanModels,
  size: number,
  o: Required<Omit<EvaluateOptions, 'dir'>> & { dir: string },
): Promise<EvalRow[]> {
  const faces = await FaceMetrics.load({ dir: o.dir });
  const data = await loadCeleba({ dir: o.dir, size: size as 32 | 64 });
  const rows: EvalRow[] = [];
  const realDiv = data.take(Math.min(500, data.count));
  try {
    const score = async (kind: EvalRow['kind'], label: string, images: tf.Tensor4D) => {
      const f = await faces.score(images);
      const head = images.slice(0, Math.min(500, images.shape[0]));
      const d = await diversityRatioAsync(head, realDiv).finally(() => head.dispose());
      rows.push({ kind, label, n: images.shape[0], faceFid: f.fid, diversity: d.ratio });
    };
    const fake = gen(o.n, o.seed);
    await score('run', 'this run', fake);
    fake.dispose();
    if (o.references) {
      const real = data.take(Math.min(o.n, data.count), Math.min(500, data.count - o.n));
      await score(
        'real',
        `real faces (${real.shape[0]} training images${data.standIn ? ', stand-in' : ''})`,
        real,
      );
      real.dispose();
      const u = generateImages(untrained.generator, untrained.prior, o.n, o.seed);
      await score('untrained', 'untrained generator (same model, initial weights)', u);
      u.dispose();
    }
  } finally {
    realDiv.dispose();
    faces.dispose();
  }
  return rows;
}

/** Score the generator of the run in `runDir` (its latest checkpoint). */
export async function evaluateRun(runDir: string, options: EvaluateOptions = {}): Promise<RunEvaluation> {
  const o = { n: 2000, parzen: false, seed: 4242, references: true, ...options };
  if (!Number.isInteger(o.n) || o.n < 2) throw new Error(`Expected n ≥ 2 samples, but got ${o.n}.`);
  const t0 = performance.now();
  const loaded = loadGenerator(runDir);
  const { models, config } = loaded;
  const untrained = buildModels(models.name, { seed: config.seed ?? 0, config: models.config });
  try {
    const g = samplingGenerator(models);
    const gen = (n: number, seed: number) => generateImages(g, models.prior, n, seed);
    const datasetName = config.dataset?.name ?? '?';
    const rows =
      datasetName === 'mnist'
        ? await digitRows(gen, untrained, o)
        : await faceRows(gen, untrained, models.imageShape[0], { ...o, dir: o.dir ?? defaultCelebaDir() });
    return {
      run: runDir,
      model: models.name,
      dataset: datasetName,
      standIn: config.dataset?.standIn === true,
      step: loaded.step,
      ema: models.ema !== undefined,
      rows,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    disposeModels(models);
    disposeModels(untrained);
  }
}

/** The evaluation as a Markdown table (one row per generator). */
export function evaluationTable(e: RunEvaluation): string {
  const digits = e.dataset === 'mnist';
  const f = (v: number | undefined, d: number) => (v === undefined ? '—' : v.toFixed(d));
  const head = digits
    ? ['', 'confident (p > 0.9)', 'classes', 'KL to uniform', 'classifier-FID', 'Parzen (nats)']
    : ['', 'face-FID', 'diversity vs real'];
  const rows = e.rows.map((r) =>
    digits
      ? [
          r.label,
          f(r.confident, 3),
          r.classesCovered === undefined ? '—' : `${r.classesCovered}/10`,
          f(r.klToUniform, 3),
          f(r.classifierFid, 1),
          r.parzen ? `${r.parzen.mean.toFixed(0)} ± ${r.parzen.stderr.toFixed(0)}` : '—',
        ]
      : [r.label, f(r.faceFid, 2), f(r.diversity, 2)],
  );
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
