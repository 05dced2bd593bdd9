// The notebook runner's error detection, checked against real tslab output: the probe notebooks in
// test/fixtures/notebooks were executed once by this project's tslab (nbconvert --allow-errors) and the
// executed copies kept in test/fixtures/notebooks/executed. The live test at the end executes the
// probes again through runNotebook, so a change in tslab's reporting format is caught too.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listKernels, KERNEL_NAME, jupyterCommand } from '../../src/env/jupyter';
import { notebookErrors, runNotebook } from '../../src/env/notebooks';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'notebooks');
const executed = (name: string) => path.join(FIXTURES, 'executed', `probe-${name}.ipynb`);

/** Each broken probe, the cell a reader sees the error in, and the text that must be reported. */
const BROKEN: Array<{ probe: string; cell: number; message: RegExp }> = [
  { probe: 'throw', cell: 1, message: /probe: thrown in a cell/ },
  { probe: 'timer', cell: 1, message: /UncaughtException: Error: probe: thrown in a timer/ },
  { probe: 'rejection', cell: 1, message: /UnhandledPromiseRejection: Error: probe: unhandled rejection/ },
  { probe: 'rejected-value', cell: 0, message: /<rejected> Error: probe: rejected promise/ },
  { probe: 'awaited-rejection', cell: 0, message: /Error: probe: awaited rejection/ },
  { probe: 'type-error', cell: 0, message: /1:7 - Type 'string' is not assignable to type 'number'/ },
];

describe('notebook runner: errors a reader would see (real tslab output)', () => {
  for (const { probe, cell, message } of BROKEN) {
    it(`reports probe-${probe} in cell ${cell}`, () => {
      const errors = notebookErrors(executed(probe));
      assert.equal(errors.length, 1, `exactly one finding, got ${JSON.stringify(errors)}`);
      assert.ok(errors[0].startsWith(`cell ${cell}: `), errors[0]);
      assert.match(errors[0], message);
    });
  }

  it('passes a clean notebook whose only stderr text is a plain warning', () => {
    assert.deepEqual(notebookErrors(executed('clean')), []);
  });

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
  this.timeout(180_000);
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
