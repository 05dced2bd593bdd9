/**
 * The one list of environment variables that change what the project does, with where each is read
 * and a line of documentation. docs/environment.md is generated from it: after `npm run build`,
 *   node -e "process.stdout.write(require('./dist/src').environmentMarkdown())" > docs/environment.md
 * then `npx prettier --write docs/environment.md`.
 * Found by `grep -rn "process.env" src scripts kernel-setup` (plus the shell scripts' `${X:-…}`);
 * a new variable belongs here, with its doc line, in the same change: test/env/variables.test.ts greps
 * the code for variables read and checks this list, its `readBy` files and docs/environment.md against it.
 * Code reads them through `readEnv('NAME')`, which accepts registered names only.
 */

export type EnvScope = 'library' | 'notebooks' | 'scripts';

export interface EnvVariable {
  name: string;
  /** Who reads it: the library (`src/`, so CLI and notebooks), the notebook tooling, or one script. */
  scope: EnvScope;
  /** Files that read it. */
  readBy: readonly string[];
  /** Accepted values and the default when unset. */
  values: string;
  /** What it changes. */
  doc: string;
}

export const ENV_VARIABLES = [
  {
    name: 'GAN_PROFILE',
    scope: 'library',
    readBy: ['src/profile.ts', 'scripts/run-notebooks.js'],
    values: '`quick` | `default` (unset: `default`)',
    doc: "Size of the notebooks' runs: `quick` is the CI smoke size (≤ 2 min per notebook on 2 cores), `default` meaningful settings for the backend in use (CPU or GPU).",
  },
  {
    name: 'GAN_BACKEND',
    scope: 'library',
    readBy: ['src/backend/index.ts'],
    values: '`tfjs-node-gpu` | `webgpu` | `tfjs-node` | `wasm` | `cpu` (unset: the ladder picks)',
    doc: 'Force one rung of the backend ladder; fails with the reason when it cannot load.',
  },
  {
    name: 'GAN_WEBGPU_ALLOW_SOFTWARE',
    scope: 'library',
    readBy: ['src/backend/webgpu.ts'],
    values: '`1` (unset: refused)',
    doc: 'Let a forced `webgpu` rung use a software adapter (SwiftShader, llvmpipe); for tests only.',
  },
  {
    name: 'GAN_DAWN_NODE',
    scope: 'library',
    readBy: ['src/backend/webgpu.ts'],
    values: "path of a `dawn.node` (unset: the `webgpu` package's)",
    doc: 'Dawn WebGPU addon to load for the `webgpu` rung (the GPU check bundle carries its own).',
  },
  {
    name: 'GAN_WASM_THREADS',
    scope: 'library',
    readBy: ['src/backend/wasm/threads.ts'],
    values: 'positive integer, at most 8 used (unset: one per core)',
    doc: 'Worker threads of the WebAssembly backend.',
  },
  {
    name: 'GAN_WASM_KERNELS',
    scope: 'library',
    readBy: ['src/backend/wasm/index.ts'],
    values: '`0` (unset: on)',
    doc: "Switch off the project's WebAssembly training kernels (before/after measurements only).",
  },
  {
    name: 'GAN_WASM_TRACE',
    scope: 'library',
    readBy: ['src/backend/wasm/heap.ts'],
    values: '`1` (unset: off)',
    doc: 'Collect per-phase wall time of the WebAssembly training kernels (profiling).',
  },
  {
    name: 'CUDA_VISIBLE_DEVICES',
    scope: 'library',
    readBy: ['src/backend/index.ts'],
    values: 'CUDA device list, e.g. `1` (unset: all)',
    doc: 'Which GPU `tfjs-node-gpu` uses (read by TensorFlow; the backend report names it).',
  },
  {
    name: 'TF_FORCE_GPU_ALLOW_GROWTH',
    scope: 'library',
    readBy: ['src/backend/index.ts'],
    values: '`true` (unset: TensorFlow takes all GPU memory)',
    doc: 'Let TensorFlow grow its GPU memory as needed (read by TensorFlow; reported).',
  },
  {
    name: 'LD_LIBRARY_PATH',
    scope: 'library',
    readBy: ['src/backend/webgpu.ts'],
    values: 'library search path',
    doc: 'Searched, beside `ldconfig -p`, for the Vulkan loader (`libvulkan.so.1`) before the `webgpu` rung loads Dawn; also where the CUDA/cuDNN libraries of `tfjs-node-gpu` are found.',
  },
  {
    name: 'MNIST_DIR',
    scope: 'library',
    readBy: ['src/data/mnist.ts', 'src/cli/doctor.ts'],
    values: 'folder with the four standard IDX files (unset: the embedded 10,000 digits)',
    doc: 'MNIST to load instead of the embedded digits.',
  },
  {
    name: 'CELEBA_DIR',
    scope: 'library',
    readBy: ['src/data/celeba.ts', 'src/cli/doctor.ts'],
    values: 'folder with `img_align_celeba/` or `.zip` (unset: `data/celeba/`)',
    doc: 'Where CelebA (or the procedural stand-in) is found.',
  },
  {
    name: 'CHROMIUM_PATH',
    scope: 'library',
    readBy: ['src/env/chromium.ts'],
    values: 'path of a Chromium executable (unset: the Debian paths)',
    doc: 'Browser used to export charts to PNG/SVG (figures, the pictures in notebook outputs) and by the browser tests; never downloaded.',
  },
  {
    name: 'GAN_FIGURES_DIR',
    scope: 'notebooks',
    readBy: ['src/notebook.ts', 'scripts/run-notebooks.js'],
    values: 'folder (unset: `docs/figures`)',
    doc: 'Where `nb.save` / `nb.showAndSave` write figures; the smoke run points it at `test-artifacts/figures`.',
  },
  {
    name: 'GAN_FIGURE_IDLE_MS',
    scope: 'library',
    readBy: ['src/plot/export.ts'],
    values: 'milliseconds (unset: 30000)',
    doc: 'How long the shared chart-export browser stays open without work.',
  },
  {
    name: 'JUPYTER',
    scope: 'notebooks',
    readBy: ['src/env/jupyter.ts'],
    values: 'path of the `jupyter` command (unset: found on PATH)',
    doc: 'Jupyter used by the notebook runner, `kernel:install` and `gan doctor`.',
  },
  {
    name: 'KERNEL_TEST_PYTHON',
    scope: 'notebooks',
    readBy: ['src/env/kernel.ts'],
    values: "path of a Python with `jupyter_kernel_test` (unset: Jupyter's own Python)",
    doc: 'Python that runs the Jupyter kernel conformance tests against the tslab kernel.',
  },
  {
    name: 'PYTHON',
    scope: 'scripts',
    readBy: ['scripts/bench-vs-pytorch.sh'],
    values: 'path (unset: `/usr/bin/python3`)',
    doc: 'Python with torch for the PyTorch side of the benchmark.',
  },
  {
    name: 'PEER',
    scope: 'scripts',
    readBy: ['scripts/bench-vs-pytorch.sh'],
    values: 'path of `pytorch_reference.py`',
    doc: 'The PyTorch peer script of the benchmark.',
  },
  {
    name: 'OUT',
    scope: 'scripts',
    readBy: ['scripts/gpu/check.sh'],
    values: 'folder (unset: `./gpu-out`)',
    doc: 'Where the GPU verification writes its results.',
  },
] as const satisfies readonly EnvVariable[];

/** A registered variable's name: reading an unregistered one through `readEnv` does not compile. */
export type EnvName = (typeof ENV_VARIABLES)[number]['name'];

/** The value of a registered variable (undefined when unset); `env` defaults to the process's. */
export function readEnv(name: EnvName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name];
}

/** The registry entry for `name`; throws for a variable that is not registered. */
export function envVariable(name: string): EnvVariable {
  const v = (ENV_VARIABLES as readonly EnvVariable[]).find((e) => e.name === name);
  if (!v)
    throw new Error(
      `Expected a registered environment variable (${ENV_VARIABLES.map((e) => e.name).join(', ')}), but got "${name}". Add it to src/env/variables.ts.`,
    );
  return v;
}

const SCOPE_TITLES: Record<EnvScope, string> = {
  library: 'Library, CLI and notebooks',
  notebooks: 'Notebook tooling',
  scripts: 'Scripts',
};

/** docs/environment.md: one table per scope. */
export function environmentMarkdown(vars: readonly EnvVariable[] = ENV_VARIABLES): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Environment variables',
    '',
    'Every environment variable that changes what the project does. Generated from',
    '[`src/env/variables.ts`](../src/env/variables.ts), the one registry: add a variable there, then',
    'regenerate this page (see the head of that file).',
  ];
  for (const scope of Object.keys(SCOPE_TITLES) as EnvScope[]) {
    const rows = vars.filter((v) => v.scope === scope);
    if (rows.length === 0) continue;
    lines.push(
      '',
      `## ${SCOPE_TITLES[scope]}`,
      '',
      '| variable | values | what it changes | read by |',
      '| --- | --- | --- | --- |',
    );
    for (const v of rows)
      lines.push(
        `| \`${v.name}\` | ${cell(v.values)} | ${cell(v.doc)} | ${v.readBy.map((f) => `\`${f}\``).join(', ')} |`,
      );
  }
  return `${lines.join('\n')}\n`;
}
