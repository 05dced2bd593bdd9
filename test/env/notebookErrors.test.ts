// The notebook runner's error detection, checked against real tslab output: the probe notebooks in
// test/fixtures/notebooks were executed by this project's tslab (nbconvert --allow-errors) and the
// executed copies kept — in two formats: executed/ from the unpatched tslab 1.0.22, which writes
// exceptions as stderr text (probes then used a 20 ms timer and a 500 ms wait in the next cell), and
// executed-error-outputs/ from the patched tslab (patches/), which emits Jupyter `error` outputs.
// The live test at the end executes the probes again through runNotebook with the tslab installed now.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listKernels, KERNEL_NAME, jupyterCommand } from '../../src/env/jupyter';
import { notebookErrors, runNotebook } from '../../src/env/notebooks';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'notebooks');

/** Each broken probe, the cell a reader sees the error in, and the text that must be reported, per format. */
const BROKEN: Array<{ probe: string; stderr: [number, RegExp]; errorOutput: [number, RegExp] }> = [
  {
    probe: 'throw',
    stderr: [1, /probe: thrown in a cell/],
    errorOutput: [1, /Error: probe: thrown in a cell/],
  },
  {
    probe: 'timer',
    stderr: [1, /UncaughtException: Error: probe: thrown in a timer/],
    errorOutput: [1, /Error: probe: thrown in a timer/],
  },
  {
    probe: 'rejection',
    stderr: [1, /UnhandledPromiseRejection: Error: probe: unhandled rejection/],
    errorOutput: [1, /Error: probe: unhandled rejection/],
  },
  {
    probe: 'rejected-value',
    stderr: [0, /<rejected> Error: probe: rejected promise/],
    errorOutput: [0, /Error: probe: rejected promise as the cell value/],
  },
  {
    probe: 'awaited-rejection',
    stderr: [0, /Error: probe: awaited rejection/],
    errorOutput: [0, /Error: probe: awaited rejection/],
  },
  {
    probe: 'type-error',
    stderr: [0, /1:7 - Type 'string' is not assignable to type 'number'/],
    errorOutput: [0, /TSError: Type 'string' is not assignable to type 'number'/],
  },
];

describe('notebook runner: errors a reader would see (real tslab output)', () => {
  for (const format of ['stderr', 'errorOutput'] as const) {
    const dir = path.join(FIXTURES, format === 'stderr' ? 'executed' : 'executed-error-outputs');
    for (const b of BROKEN) {
      const [cell, message] = b[format];
      it(`${format === 'stderr' ? 'stderr text' : 'error outputs'}: reports probe-${b.probe} in cell ${cell}`, () => {
        const errors = notebookErrors(path.join(dir, `probe-${b.probe}.ipynb`));
        assert.equal(errors.length, 1, `exactly one finding, got ${JSON.stringify(errors)}`);
        assert.ok(errors[0].startsWith(`cell ${cell}: `), errors[0]);
        assert.match(errors[0], message);
      });
    }
    it(`${format === 'stderr' ? 'stderr text' : 'error outputs'}: passes the clean probe (a plain warning on stderr)`, () => {
      assert.deepEqual(notebookErrors(path.join(dir, 'probe-clean.ipynb')), []);
    });
  }

  it('reports proper Jupyter error outputs, with or without a name', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nb-')), 'x.ipynb');
    const nb = {
      cells: [
        { cell_type: 'markdown', source: 'Error: in prose is fine' },
        { cell_type: 'code', outputs: [{ output_type: 'stream', name: 'stdout', text: ['ok\n'] }] },
        {
          cell_type: 'code',
          outputs: [{ output_type: 'error', ename: 'TypeError', evalue: 'x is undefined', traceback: [] }],
        },
        {
          cell_type: 'code',
          outputs: [
            { output_type: 'error', ename: '', evalue: '', traceback: ['Error: boom', '    at f (x:1:2)'] },
          ],
        },
      ],
    };
    fs.writeFileSync(file, JSON.stringify(nb));
    assert.deepEqual(notebookErrors(file), ['cell 2: TypeError: x is undefined', 'cell 3: Error: boom']);
  });

  it('passes the committed tutorials (their kept outputs hold no error)', () => {
    const dir = path.join(__dirname, '..', '..', 'notebooks');
    for (const f of fs.readdirSync(dir).filter((x) => /^\d\d-.+\.ipynb$/.test(x)))
      assert.deepEqual(notebookErrors(path.join(dir, f)), [], f);
  });
});

describe('notebook runner: live probes through tslab', function () {
  this.timeout(600_000); // 7 kernel starts (a failing run is re-run for details)
  const ready = () => !!jupyterCommand() && listKernels().some((k) => k.name === KERNEL_NAME);
  let out: string;
  before(function () {
    if (!ready()) {
      // npm test registers the kernel first (pretest); in CI a missing kernel is a failure, not a skip.
      if (process.env.CI)
        throw new Error(`the ${KERNEL_NAME} kernel is not registered (npm run kernel:install)`);
      this.skip();
    }
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-probes-'));
  });
  after(() => out && fs.rmSync(out, { recursive: true, force: true }));

  it('fails every broken probe (throw in a cell, in a timer, unhandled rejection, type error) and passes the clean one', () => {
    const probes = ['clean', 'timer', 'rejection', 'type-error'];
    const results = probes.map((p) =>
      runNotebook(path.join(FIXTURES, `probe-${p}.ipynb`), {
        profile: 'quick',
        outputDir: out,
        cellTimeoutSec: 60,
      }),
    );
    const [clean, timer, rejection, typeError] = results;
    assert.equal(clean.ok, true, clean.error);
    assert.equal(timer.ok, false);
    assert.match(timer.error ?? '', /probe: thrown in a timer/);
    assert.equal(rejection.ok, false);
    assert.match(rejection.error ?? '', /probe: unhandled rejection/);
    assert.equal(typeError.ok, false);
    assert.match(typeError.error ?? '', /is not assignable to type 'number'/);
  });
});
