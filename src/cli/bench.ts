/**
 * `gan bench [--model NAME] [--backend NAME] [--batch 64] [--steps 5] [--json]`: training throughput
 * of the project's GANs with exactly what users train with (src/models buildModels, src/train/step
 * createTrainStep). One step = one D update on a real and a fake batch + one G update, Adam(2e-4, 0.5),
 * BCE from logits, fresh noise, a random real batch already in memory: the protocol of the PyTorch peer
 * ../shared/bench/pytorch_reference.py (beside the repository) (2 warm-up steps, then the mean over --steps).
 */
import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { initBackend, parseBackendName } from '../backend';
import { trace } from '../backend/wasm/heap';
import { buildModels, disposeModels, type ModelName } from '../models';
import { createTrainStep } from '../train/step';
import { UsageError } from '../errors';
import { intArg } from './args';

/** Benchmark names (the peer script's) → the library's model names. */
export const BENCH_MODELS: Readonly<Record<string, ModelName>> = {
  'mlp-gan-mnist': 'mlp-gan',
  'dcgan-28': 'dcgan-28',
  'dcgan-64': 'dcgan-64',
};

export interface BenchResult {
  model: string;
  backend: string;
  device: string;
  batch: number;
  steps: number;
  imgPerSec: number;
  msPerStep: number;
  /** Peak resident set size of the process so far (MiB): the whole CLI run, not this model alone. */
  peakRssMb: number;
}

/** The process's peak resident set size so far, in MiB (getrusage ru_maxrss). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export interface BenchOptions {
  model: string;
  batch: number;
  steps: number;
  warmup?: number;
  seed?: number;
  /** After timing, profile one more step and return its kernels by total time. */
  profile?: boolean;
}

/** One kernel's share of a profiled step. */
export interface KernelTime {
  kernel: string;
  calls: number;
  ms: number;
}

/** Resolve a benchmark model name (also accepts the library's own names, e.g. `mlp-gan`). */
export function parseBenchModel(raw: string): { bench: string; model: ModelName } {
  if (raw in BENCH_MODELS) return { bench: raw, model: BENCH_MODELS[raw] };
  for (const [bench, model] of Object.entries(BENCH_MODELS)) if (model === raw) return { bench, model };
  throw new UsageError(`Unknown model "${raw}". Expected one of: ${Object.keys(BENCH_MODELS).join(', ')}.`);
}

/** Time `steps` training steps on the active backend (after `warmup` untimed ones). */
export async function benchModel(
  opts: BenchOptions,
): Promise<Omit<BenchResult, 'backend' | 'device' | 'peakRssMb'> & { kernels?: KernelTime[] }> {
  const { bench, model } = parseBenchModel(opts.model);
  const models = buildModels(model, { seed: opts.seed ?? 0 });
  const step = createTrainStep(models, { seed: (opts.seed ?? 0) + 1 });
  const real = tf.tidy(() => tf.randomUniform([opts.batch, ...models.imageShape], -1, 1)) as tf.Tensor4D;
  try {
    // Each step ends with one device read (the losses), so wall time covers all queued work.
    for (let i = 0; i < (opts.warmup ?? 2); i++) await step(real);
    const t0 = performance.now();
    for (let i = 0; i < opts.steps; i++) await step(real);
    const msPerStep = (performance.now() - t0) / opts.steps;
    let kernels: KernelTime[] | undefined;
    if (opts.profile) {
      trace.ms.clear();
      const info = await tf.profile(async () => {
        await step(real);
      });
      const byName = new Map<string, KernelTime>();
      for (const k of info.kernels) {
        // Op-level wrappers (e.g. fusedConv2d__op) double-count their kernel; keep kernels only.
        if (k.name.endsWith('__op')) continue;
        const e = byName.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0 };
        e.calls += 1;
        e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        byName.set(k.name, e);
      }
      kernels = [...byName.values()].sort((a, b) => b.ms - a.ms).map((k) => ({ ...k, ms: Math.round(k.ms) }));
    }
    return {
      kernels,
      model: bench,
      batch: opts.batch,
      steps: opts.steps,
      imgPerSec: Math.round((opts.batch / msPerStep) * 1000 * 100) / 100,
      msPerStep: Math.round(msPerStep * 100) / 100,
    };
  } finally {
    real.dispose();
    step.dispose();
    disposeModels(models);
  }
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'training throughput (img/s) of the GANs on a backend, comparable with the PyTorch peer script',
    )
    .option(
      '--model <name>',
      `one of ${Object.keys(BENCH_MODELS).join(', ')} (default: all three)`,
      (raw: string) => parseBenchModel(raw).bench,
    )
    .option('--backend <name>', 'force a backend (default: the ladder, or GAN_BACKEND)', parseBackendName)
    .option('--batch <n>', 'images per batch', intArg('batch', 1), 64)
    .option('--steps <n>', 'timed steps', intArg('steps', 1), 5)
    .option('--warmup <n>', 'untimed steps first (the peer script uses 2)', intArg('warmup', 0), 2)
    .option('--json', 'one JSON line per model instead of text')
    .option('--profile', 'also profile one step and print the kernels that took the most time (stderr)')
    .action(
      async (opts: {
        model?: string;
        backend?: string;
        batch: number;
        steps: number;
        warmup: number;
        json?: boolean;
        profile?: boolean;
      }) => {
        const { batch, steps, warmup } = opts;
        const names = opts.model ? [opts.model] : Object.keys(BENCH_MODELS);
        const report = await initBackend(opts.backend ? { force: opts.backend } : {});
        for (const model of names) {
          const { kernels, ...result } = await benchModel({
            model,
            batch,
            steps,
            warmup,
            profile: opts.profile,
          });
          const r: BenchResult = {
            ...result,
            backend: report.backend,
            device: report.device,
            peakRssMb: peakRssMb(),
          };
          const ordered: BenchResult = {
            model: r.model,
            backend: r.backend,
            device: r.device,
            batch: r.batch,
            steps: r.steps,
            imgPerSec: r.imgPerSec,
            msPerStep: r.msPerStep,
            peakRssMb: r.peakRssMb,
          };
          process.stdout.write(
            opts.json
              ? JSON.stringify(ordered) + '\n'
              : `${r.model}: ${r.imgPerSec} img/s (${r.msPerStep} ms/step, batch ${r.batch}, peak RSS ${r.peakRssMb} MiB) on ${r.backend} — ${r.device}\n`,
          );
          if (kernels) {
            const total = kernels.reduce((n, k) => n + k.ms, 0);
            process.stderr.write(
              `${r.model}: one profiled step, ${total} ms in kernels (profiling adds overhead)\n`,
            );
            for (const k of kernels.slice(0, 15)) {
              const pct = ((100 * k.ms) / Math.max(total, 1)).toFixed(1);
              process.stderr.write(
                `  ${k.kernel.padEnd(24)} ${String(k.ms).padStart(7)} ms ${pct.padStart(5)}%  ${k.calls} calls\n`,
              );
            }
            if (trace.enabled) {
              process.stderr.write(`${r.model}: phases of the wasm training kernels (GAN_WASM_TRACE=1)\n`);
              for (const [phase, ms] of trace.ms) {
                process.stderr.write(`  ${phase.padEnd(24)} ${ms.toFixed(0).padStart(7)} ms\n`);
              }
            }
          }
        }
      },
    );
}
