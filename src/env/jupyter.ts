/**
 * Finding Jupyter and the tslab kernel: used by `gan doctor`, kernel-setup/ and the notebook
 * runner. Everything shells out to the `jupyter` on PATH (or JUPYTER=/path/to/jupyter).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../util/paths';
import { readEnv } from './variables';

/**
 * The environment for every `jupyter` (and Jupyter Python) subprocess: Python's debugger (pydevd, imported
 * by ipykernel) would otherwise print "Debugger warning: It seems that frozen modules are being used…" on
 * stderr, which reaches the user's terminal and buries real messages. `extra` goes on top.
 */
export function jupyterEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
}

export interface JupyterInfo {
  found: boolean;
  path?: string;
  /** Versions of the core packages, as `jupyter --version` prints them. */
  versions?: Record<string, string>;
  /** Can it execute notebooks headless (nbconvert or nbclient present)? */
  canExecute?: boolean;
}

export interface KernelInfo {
  name: string;
  displayName: string;
  resourceDir: string;
  argv: string[];
  /** True when the kernel's argv points at this project's own tslab. */
  ours: boolean;
  /** The checkout whose node_modules/tslab the kernel runs (from its argv), when it runs one. */
  checkout?: string;
  /** Why the kernel cannot start as registered (a file its argv names is gone); undefined when it can. */
  broken?: string;
}

/** The tslab entry script of a checkout: `<checkout>/node_modules/tslab/bin/tslab`. */
const TSLAB_ENTRY = /^(.*)[/\\]node_modules[/\\]tslab[/\\]bin[/\\]tslab$/;

/**
 * Where a kernelspec's argv leads: the checkout whose tslab it runs, and why it cannot start when the
 * node or the tslab it names no longer exists (a deleted checkout, a removed Node version).
 */
export function kernelTarget(
  argv: readonly string[],
  exists: (p: string) => boolean = fs.existsSync,
): { checkout?: string; broken?: string } {
  const tslab = argv.find((a) => TSLAB_ENTRY.test(a));
  const checkout = tslab ? TSLAB_ENTRY.exec(tslab)![1] : undefined;
  const missing = [argv[0], tslab].filter((p): p is string => !!p && path.isAbsolute(p) && !exists(p));
  const broken = missing.length
    ? `${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist` +
      (checkout && missing.includes(tslab!) && !exists(checkout) ? ' (the checkout was deleted)' : '')
    : undefined;
  return { checkout, broken };
}

/** `/path/to/checkout (this checkout)`, `… (another checkout)`, `… — broken: … does not exist`. */
export function describeKernelTarget(k: Pick<KernelInfo, 'argv' | 'ours' | 'checkout' | 'broken'>): string {
  const where = k.checkout ?? k.argv.join(' ');
  const whose = k.ours ? 'this checkout' : k.checkout ? 'another checkout' : 'not a project tslab';
  return `${where} (${whose})${k.broken ? ` — broken: ${k.broken}` : ''}`;
}

/** The tslab entry script installed in this project's node_modules. */
export function projectTslab(): string {
  return path.join(projectRoot(), 'node_modules', 'tslab', 'bin', 'tslab');
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

export function jupyterCommand(): string | undefined {
  const env = readEnv('JUPYTER');
  if (env && fs.existsSync(env)) return env;
  return which('jupyter');
}

/** Run `jupyter ARGS`; returns stdout, or throws with stderr. */
export function runJupyter(args: string[], timeoutMs = 60_000): string {
  const cmd = jupyterCommand();
  if (!cmd) throw new Error('jupyter is not on PATH');
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: jupyterEnv(),
  });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`jupyter ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

export function findJupyter(): JupyterInfo {
  const cmd = jupyterCommand();
  if (!cmd) return { found: false };
  const versions: Record<string, string> = {};
  try {
    for (const line of runJupyter(['--version']).split('\n')) {
      const m = /^\s*([\w-]+)\s*:\s*(.+?)\s*$/.exec(line);
      if (m) versions[m[1]] = m[2];
    }
  } catch {
    return { found: false, path: cmd };
  }
  const has = (k: string) => versions[k] !== undefined && versions[k] !== 'not installed';
  return { found: true, path: cmd, versions, canExecute: has('nbconvert') || has('nbclient') };
}

/** Registered kernels (`jupyter kernelspec list --json`); empty when Jupyter is absent. */
export function listKernels(): KernelInfo[] {
  if (!jupyterCommand()) return [];
  let parsed: {
    kernelspecs?: Record<string, { resource_dir: string; spec: { display_name: string; argv: string[] } }>;
  };
  try {
    parsed = JSON.parse(runJupyter(['kernelspec', 'list', '--json']));
  } catch {
    return [];
  }
  const ours = projectTslab();
  return Object.entries(parsed.kernelspecs ?? {}).map(([name, k]) => ({
    name,
    displayName: k.spec.display_name,
    resourceDir: k.resource_dir,
    argv: k.spec.argv,
    ours: k.spec.argv.includes(ours),
    ...kernelTarget(k.spec.argv),
  }));
}

/** The kernel name our notebooks declare in their metadata. */
export const KERNEL_NAME = 'tslab';
