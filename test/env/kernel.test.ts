import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kernelSpec, manualSteps } from '../../src/env/kernel';
import { projectTslab } from '../../src/env/jupyter';
import { listNotebooks } from '../../src/env/notebooks';
import { figuresRoot } from '../../src/notebook';

describe('kernel setup', () => {
  it("registers this project's own tslab with an absolute node, not a global install", () => {
    const spec = kernelSpec('/opt/node/bin/node', '/p/node_modules/tslab/bin/tslab');
    assert.deepEqual(spec.argv, [
      '/opt/node/bin/node',
      '/p/node_modules/tslab/bin/tslab',
      'kernel',
      '--config-path',
      '{connection_file}',
    ]);
    assert.equal(spec.language, 'typescript');
    assert.ok(fs.existsSync(projectTslab()), 'node_modules/tslab/bin/tslab exists');
  });

  it('gives the exact manual steps when Jupyter cannot be installed', () => {
    const s = manualSteps();
    assert.match(s, /python3 -m pip install --user jupyterlab nbconvert/);
    assert.match(s, /apt-get install -y jupyter-notebook jupyter-nbconvert/);
  });
});

describe('notebook runner', () => {
  it('lists the numbered tutorial notebooks in order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nbs-'));
    for (const f of ['02-b.ipynb', '00-a.ipynb', 'scratch.ipynb', '01-c.ipynb'])
      fs.writeFileSync(path.join(dir, f), '{}');
    assert.deepEqual(
      listNotebooks(dir).map((f) => path.basename(f)),
      ['00-a.ipynb', '01-c.ipynb', '02-b.ipynb'],
    );
  });
  // Error detection (stderr in tslab's format, error outputs): notebookErrors.test.ts.
});

describe('figure output folder', () => {
  it('is docs/figures unless GAN_FIGURES_DIR redirects it (the smoke run does)', () => {
    assert.equal(figuresRoot({}), 'docs/figures');
    assert.equal(figuresRoot({ GAN_FIGURES_DIR: '/tmp/figs' }), '/tmp/figs');
  });
});
