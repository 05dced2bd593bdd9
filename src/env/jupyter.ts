/**
 * Finding Jupyter and the tslab kernel: used by `gan doctor`, kernel-setup/ and the notebook
 * runner. Everything shells out to the `jupyter` on PATH (or JUPYTER=/path/to/jupyter).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../util/paths';

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
  const env = process.env.JUPYTER;
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
    env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
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
  }));
}

/** The kernel name our notebooks declare in their metadata. */
export const KERNEL_NAME = 'tslab';
