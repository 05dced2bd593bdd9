/**
 * A user-level "tslab" kernelspec that points at another or a deleted checkout (every notebook then dies with
 * "Kernel died before replying"): `gan doctor` names where it points, and the notebook runner and
 * `npm run kernel:install` say so and re-point it here. Runs against a temporary JUPYTER_DATA_DIR, never the
 * user's own kernels.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  describeKernelTarget,
  jupyterCommand,
  jupyterEnv,
  kernelTarget,
  listKernels,
  projectTslab,
  KERNEL_NAME,
} from '../../src/env/jupyter';
import { kernelElsewhere } from '../../src/env/kernel';
import { assertKernelReady } from '../../src/env/notebooks';
import { projectRoot } from '../../src/util/paths';
import { gan } from '../cli/capture';

const OLD = '/nonexistent/old-checkout';
const OLD_TSLAB = `${OLD}/node_modules/tslab/bin/tslab`;

describe('where the tslab kernelspec points', () => {
  it('reads the checkout from the argv and says which file is gone', () => {
    const argv = ['/usr/bin/node', OLD_TSLAB, 'kernel', '--config-path', '{connection_file}'];
    const exists = (p: string) => p === '/usr/bin/node';
    assert.deepEqual(kernelTarget(argv, exists), {
      checkout: OLD,
      broken: `${OLD_TSLAB} does not exist (the checkout was deleted)`,
    });
    assert.deepEqual(
      kernelTarget(argv, () => true),
      { checkout: OLD, broken: undefined },
    );
    assert.deepEqual(
      kernelTarget(['/gone/node', OLD_TSLAB], (p) => p === OLD_TSLAB),
      {
        checkout: OLD,
        broken: '/gone/node does not exist',
      },
    );
    assert.deepEqual(
      kernelTarget(['python3', '-m', 'ipykernel_launcher'], () => false),
      {
        checkout: undefined,
        broken: undefined,
      },
    );
  });

  it('describes it, and calls for re-pointing only when it is not this checkout or cannot start', () => {
    const base = {
      name: KERNEL_NAME,
      displayName: 'TS',
      resourceDir: '/k/tslab',
      argv: ['/usr/bin/node', OLD_TSLAB],
    };
    const other = { ...base, ours: false, checkout: OLD };
    assert.equal(describeKernelTarget(other), `${OLD} (another checkout)`);
    assert.match(
      kernelElsewhere(other) ?? '',
      new RegExp(`points at ${OLD} \\(another checkout\\), not at `),
    );
    const deleted = { ...other, broken: `${OLD_TSLAB} does not exist (the checkout was deleted)` };
    assert.equal(describeKernelTarget(deleted), `${OLD} (another checkout) — broken: ${deleted.broken}`);
    const here = { ...base, argv: [process.execPath, projectTslab()], ours: true, checkout: projectRoot() };
    assert.equal(describeKernelTarget(here), `${projectRoot()} (this checkout)`);
    assert.equal(kernelElsewhere(here), undefined);
    assert.equal(kernelElsewhere(undefined), undefined);
    assert.ok(kernelElsewhere({ ...here, broken: '/gone/node does not exist' }));
  });
});

/** A Jupyter data folder whose "tslab" kernelspec runs the tslab of a checkout that is gone. */
function staleDataDir(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-jupyter-data-'));
  const dir = path.join(dataDir, 'kernels', KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, OLD_TSLAB, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab, gan-notebooks)',
    language: 'typescript',
  };
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec));
  return dataDir;
}

describe('a kernelspec left by a deleted checkout (temporary JUPYTER_DATA_DIR)', function () {
  this.timeout(600_000); // each jupyter call takes ~1 s, far more on a loaded machine
  let dataDir = '';
  const saved = process.env.JUPYTER_DATA_DIR;

  before(function () {
    if (!jupyterCommand()) this.skip();
    dataDir = staleDataDir();
    process.env.JUPYTER_DATA_DIR = dataDir;
  });

  after(() => {
    if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
    else process.env.JUPYTER_DATA_DIR = saved;
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is listed with the checkout it points at, and why it cannot start', () => {
    const k = listKernels().find((x) => x.name === KERNEL_NAME);
    assert.ok(k, 'the temporary kernelspec is listed');
    assert.equal(k.resourceDir, path.join(dataDir, 'kernels', KERNEL_NAME));
    assert.equal(k.ours, false);
    assert.equal(k.checkout, OLD);
    assert.match(k.broken ?? '', /old-checkout\/node_modules\/tslab\/bin\/tslab does not exist/);
  });

  it('gan doctor names the path it points at', async () => {
    const r = await gan('doctor');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`✗ tslab → ${OLD} \\(another checkout\\) — broken: `));
    assert.match(r.out, /npm run kernel:install` to re-point it/);
    const j = JSON.parse((await gan('doctor', '--json')).out);
    assert.equal(j.kernelRegistered, false);
    assert.match(j.kernelTarget, new RegExp(`^${OLD} `));
  });

  it('the notebook runner says where it pointed and re-points it to this checkout', () => {
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      assertKernelReady();
    } finally {
      process.stdout.write = write;
    }
    assert.match(out, new RegExp(`points at ${OLD} \\(another checkout\\).*re-pointing it to this checkout`));
    const spec = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'kernels', KERNEL_NAME, 'kernel.json'), 'utf8'),
    );
    assert.deepEqual(spec.argv.slice(0, 2), [process.execPath, projectTslab()]);
    const k = listKernels().find((x) => x.name === KERNEL_NAME);
    assert.ok(k?.ours && !k.broken, 'now runs this checkout');
    // Once it points here, nothing more is done (and nothing is said).
    out = '';
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      assertKernelReady();
    } finally {
      process.stdout.write = write;
    }
    assert.equal(out, '');
  });

  it('scripts/run-notebooks.js (compiled library) says so and re-points it before running anything', function () {
    const runner = path.join(projectRoot(), 'scripts', 'run-notebooks.js');
    if (!fs.existsSync(path.join(projectRoot(), 'dist', 'src', 'env', 'notebooks.js'))) this.skip();
    const fresh = staleDataDir();
    try {
      const r = spawnSync(process.execPath, [runner, '--check', 'no-such-notebook'], {
        encoding: 'utf8',
        env: { ...process.env, JUPYTER_DATA_DIR: fresh },
        timeout: 300_000,
      });
      assert.match(r.stdout, new RegExp(`points at ${OLD} \\(another checkout\\) — broken: .*re-pointing`));
      assert.match(r.stdout, /registered kernel "tslab"/);
      assert.match(r.stderr, /No notebooks matched no-such-notebook/);
      assert.equal(r.status, 1);
      const spec = JSON.parse(
        fs.readFileSync(path.join(fresh, 'kernels', KERNEL_NAME, 'kernel.json'), 'utf8'),
      );
      assert.equal(spec.argv[1], projectTslab());
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe("jupyter subprocesses keep Python's debugger warnings to themselves", () => {
  it('jupyter --version with jupyterEnv() prints no "Debugger warning … frozen modules"', function () {
    const jupyter = jupyterCommand();
    if (!jupyter) this.skip();
    const r = spawnSync(jupyter, ['--version'], {
      encoding: 'utf8',
      env: jupyterEnv({ GAN_X: '1' }),
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Debugger warning|frozen modules/);
    assert.equal(jupyterEnv({ GAN_X: '1' }).GAN_X, '1');
    assert.equal(jupyterEnv({ PYDEVD_DISABLE_FILE_VALIDATION: '0' }).PYDEVD_DISABLE_FILE_VALIDATION, '1');
  }).timeout(180_000);
});
