/**
 * Registering this project's tslab as the Jupyter "tslab" (TypeScript) kernel, idempotently.
 * Finds Jupyter on PATH, else tries pip --user, else (as root) Debian's packages, else prints
 * the exact commands to run. The kernel runs node_modules/tslab with the Node that installed it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../util/paths';
import {
  describeKernelTarget,
  findJupyter,
  jupyterCommand,
  jupyterEnv,
  listKernels,
  projectTslab,
  runJupyter,
  KERNEL_NAME,
  type JupyterInfo,
  type KernelInfo,
} from './jupyter';
import { readEnv } from './variables';

/** The tslab version our patches/ file is made for (patch-package applies it at `npm ci`). */
export const TSLAB_PATCHED_VERSION = '1.0.22';

/** Debian package of the Jupyter kernel test suite that `npm test` runs against the kernel. */
export const DEBIAN_KERNEL_TEST_PACKAGE = 'python3-jupyter-kernel-test';

/** Debian packages that give a headless-capable Jupyter (no JupyterLab in Debian). */
export const DEBIAN_JUPYTER_PACKAGES = [
  'jupyter-notebook',
  'jupyter-nbconvert',
  'jupyter-client',
  'python3-nbclient',
  'python3-ipykernel',
];

export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  metadata?: Record<string, unknown>;
}

/** The kernel.json we register: absolute Node + this project's tslab, no global install. */
export function kernelSpec(nodePath = process.execPath, tslab = projectTslab()): KernelSpecJson {
  return {
    argv: [nodePath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab, gan-notebooks)',
    language: 'typescript',
    metadata: { 'gan-notebooks': { tslab } },
  };
}

function log(msg: string): void {
  process.stdout.write(`kernel-setup: ${msg}\n`);
}

function run(cmd: string, args: string[], timeoutMs: number): boolean {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', timeout: timeoutMs });
  return !r.error && r.status === 0;
}

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** The manual steps, printed when nothing automatic worked. */
export function manualSteps(): string {
  return [
    'Could not find or install Jupyter automatically. Install it, then re-run `npm run kernel:install`:',
    '  with pip:     python3 -m pip install --user jupyterlab nbconvert   (then make sure ~/.local/bin is on PATH)',
    `  on Debian:    sudo apt-get install -y ${DEBIAN_JUPYTER_PACKAGES.join(' ')}`,
    '  with conda:   conda install -c conda-forge jupyterlab nbconvert',
    'If Jupyter lives elsewhere, point JUPYTER=/path/to/jupyter at it.',
  ].join('\n');
}

/** Make sure a Jupyter that can execute notebooks exists; returns it or throws with manual steps. */
export function ensureJupyter(options: { allowInstall?: boolean } = {}): JupyterInfo {
  const allowInstall = options.allowInstall ?? true;
  let info = findJupyter();
  if (info.found && info.canExecute) return info;
  if (!allowInstall) throw new Error(manualSteps());
  if (hasCommand('python3')) {
    log(
      info.found
        ? 'Jupyter found but nbconvert/nbclient missing; trying pip --user'
        : 'Jupyter not found; trying pip --user',
    );
    if (run('python3', ['-m', 'pip', 'install', '--user', 'jupyterlab', 'nbconvert'], 10 * 60_000)) {
      const local = path.join(os.homedir(), '.local', 'bin');
      if (!(process.env.PATH ?? '').split(path.delimiter).includes(local)) {
        process.env.PATH = `${local}${path.delimiter}${process.env.PATH ?? ''}`;
      }
      info = findJupyter();
      if (info.found && info.canExecute) return info;
    }
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasCommand('apt-get')) {
    log("pip did not work; installing Debian's Jupyter packages (running as root)");
    if (
      run('apt-get', ['update', '-qq'], 10 * 60_000) &&
      run('apt-get', ['install', '-y', '-qq', ...DEBIAN_JUPYTER_PACKAGES], 20 * 60_000)
    ) {
      info = findJupyter();
      if (info.found && info.canExecute) return info;
    }
  }
  throw new Error(manualSteps());
}

export interface InstallResult {
  changed: boolean;
  kernelDir: string;
  jupyter: JupyterInfo;
}

export type TslabPatchState = 'patched' | 'unpatched' | 'other-version' | 'missing';

/** Whether node_modules/tslab carries our fixes (patches/tslab+VERSION.patch). */
export function tslabPatchState(
  tslabDir = path.join(projectRoot(), 'node_modules', 'tslab'),
): TslabPatchState {
  const pkg = path.join(tslabDir, 'package.json');
  if (!fs.existsSync(pkg)) return 'missing';
  const version = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version;
  if (version !== TSLAB_PATCHED_VERSION) return 'other-version';
  const jupyter = path.join(tslabDir, 'dist', 'jupyter.js');
  const patched =
    fs.existsSync(path.join(tslabDir, 'dist', 'errors.js')) &&
    fs.readFileSync(jupyter, 'utf8').includes('gan-notebooks');
  return patched ? 'patched' : 'unpatched';
}

/**
 * Make sure node_modules/tslab has our fixes: `npm ci` applies them (postinstall: patch-package); this
 * applies them when install scripts were skipped, and refuses a tslab version the patch was not made for.
 */
export function ensureTslabPatched(): void {
  const state = tslabPatchState();
  if (state === 'patched') return;
  if (state === 'missing')
    throw new Error(`node_modules/tslab is missing: run \`npm ci\` in ${projectRoot()}.`);
  if (state === 'other-version') {
    throw new Error(
      `node_modules/tslab is not version ${TSLAB_PATCHED_VERSION}, which patches/tslab+${TSLAB_PATCHED_VERSION}.patch ` +
        'is made for: run `npm ci` (package-lock.json pins it).',
    );
  }
  log('tslab is not patched yet (install scripts skipped?); applying patches/ with patch-package');
  const bin = path.join(projectRoot(), 'node_modules', 'patch-package', 'index.js');
  const r = spawnSync(process.execPath, [bin], { cwd: projectRoot(), stdio: 'inherit', timeout: 120_000 });
  if (r.error || r.status !== 0 || tslabPatchState() !== 'patched') {
    throw new Error(
      'could not apply patches/ to node_modules/tslab: run `npx patch-package` and read its message.',
    );
  }
}

/**
 * Why the registered "tslab" kernel would not run this checkout's tslab: it points at another checkout,
 * or at files that are gone (a deleted checkout: every notebook then dies with "Kernel died before
 * replying"). Undefined when it runs this checkout's tslab with a Node that exists, or is not registered.
 */
export function kernelElsewhere(k: KernelInfo | undefined): string | undefined {
  if (!k || (k.ours && !k.broken)) return undefined;
  return `the Jupyter kernel "${k.name}" (${k.resourceDir}) points at ${describeKernelTarget(k)}, not at ${projectRoot()}`;
}

/** Register (or refresh) the tslab kernel for the current user. Idempotent. */
export function installKernel(): InstallResult {
  const tslab = projectTslab();
  if (!fs.existsSync(tslab)) {
    throw new Error(
      `${tslab} is missing: run \`npm ci\` in ${path.dirname(path.dirname(path.dirname(tslab)))} first.`,
    );
  }
  ensureTslabPatched();
  const jupyter = ensureJupyter();
  const want = kernelSpec();
  const existing = listKernels().find((k) => k.name === KERNEL_NAME);
  if (existing && JSON.stringify(existing.argv) === JSON.stringify(want.argv)) {
    log(`kernel "${KERNEL_NAME}" already registered at ${existing.resourceDir}`);
    return { changed: false, kernelDir: existing.resourceDir, jupyter };
  }
  const elsewhere = kernelElsewhere(existing);
  if (elsewhere) log(`${elsewhere}; re-pointing it to this checkout`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tslab-kernel-'));
  try {
    fs.writeFileSync(path.join(tmp, 'kernel.json'), JSON.stringify(want, null, 2));
    runJupyter(['kernelspec', 'install', '--user', '--replace', '--name', KERNEL_NAME, tmp]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const now = listKernels().find((k) => k.name === KERNEL_NAME);
  if (!now || !now.ours) {
    throw new Error(
      `jupyter kernelspec install ran, but "${KERNEL_NAME}" ` +
        (now
          ? `still points at ${describeKernelTarget(now)} (${now.resourceDir} comes first on Jupyter's path)`
          : 'is not listed afterwards'),
    );
  }
  log(`registered kernel "${KERNEL_NAME}" (${want.display_name}) at ${now.resourceDir} → ${projectRoot()}`);
  return { changed: true, kernelDir: now.resourceDir, jupyter };
}

/**
 * For the notebook runner: the kernel must be registered (else throws `notRegistered`) and must run this
 * checkout's tslab; one that points at another or a deleted checkout is re-pointed here, saying so.
 * Returns what was wrong, or undefined when nothing was.
 */
export function ensureKernelHere(notRegistered: string): string | undefined {
  const k = listKernels().find((x) => x.name === KERNEL_NAME);
  if (!k) throw new Error(notRegistered);
  const elsewhere = kernelElsewhere(k);
  if (elsewhere) installKernel();
  return elsewhere;
}

/** Remove our kernel registration (only if it points at this project's tslab). */
export function uninstallKernel(): boolean {
  const k = listKernels().find((x) => x.name === KERNEL_NAME);
  if (!k) {
    log(`kernel "${KERNEL_NAME}" is not registered; nothing to do`);
    return false;
  }
  if (!k.ours) {
    log(`kernel "${KERNEL_NAME}" at ${k.resourceDir} points at ${describeKernelTarget(k)}; leaving it`);
    return false;
  }
  runJupyter(['kernelspec', 'remove', '-f', KERNEL_NAME]);
  log(`removed kernel "${KERNEL_NAME}" (${k.resourceDir})`);
  return true;
}

/**
 * A Python that can run the Jupyter kernel test suite (jupyter_kernel_test) against our kernel: the one
 * Jupyter itself runs on first. KERNEL_TEST_PYTHON overrides. Undefined when none has the suite.
 */
export function kernelTestPython(): string | undefined {
  const candidates: string[] = [];
  const fromEnv = readEnv('KERNEL_TEST_PYTHON');
  if (fromEnv) candidates.push(fromEnv);
  const jupyter = jupyterCommand();
  if (jupyter) {
    try {
      const first = fs.readFileSync(jupyter, 'utf8').split('\n', 1)[0];
      const m = /^#!\s*(\S+python[\d.]*)\s*$/.exec(first);
      if (m) candidates.push(m[1]);
    } catch {
      // not a script
    }
  }
  candidates.push('/usr/bin/python3', 'python3');
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import jupyter_kernel_test, jupyter_client'], {
      encoding: 'utf8',
      env: jupyterEnv(),
    });
    if (!r.error && r.status === 0) return py;
  }
  return undefined;
}

/** Make sure the kernel test suite is there (Debian's package, when root); returns its Python or throws. */
export function ensureKernelTestSuite(): string {
  let py = kernelTestPython();
  if (py) return py;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasCommand('apt-get')) {
    log(`installing ${DEBIAN_KERNEL_TEST_PACKAGE} (the Jupyter kernel test suite; running as root)`);
    if (
      run('apt-get', ['install', '-y', '-qq', DEBIAN_KERNEL_TEST_PACKAGE], 10 * 60_000) ||
      (run('apt-get', ['update', '-qq'], 10 * 60_000) &&
        run('apt-get', ['install', '-y', '-qq', DEBIAN_KERNEL_TEST_PACKAGE], 10 * 60_000))
    ) {
      py = kernelTestPython();
      if (py) return py;
    }
  }
  throw new Error(
    'The Jupyter kernel test suite (jupyter_kernel_test) is missing. Install it: ' +
      `on Debian \`sudo apt-get install -y ${DEBIAN_KERNEL_TEST_PACKAGE}\`, ` +
      'with pip `python3 -m pip install --user jupyter_kernel_test` (then KERNEL_TEST_PYTHON=python3 if needed).',
  );
}
