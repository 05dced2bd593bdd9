/**
 * The tslab patch (patches/tslab+1.0.22.patch) without a kernel: it is applied to node_modules/tslab,
 * its state is detected, and its error formatting maps stack frames back to the reader's cell and line.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../../src/util/paths';
import { TSLAB_PATCHED_VERSION, tslabPatchState } from '../../src/env/kernel';

interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}
interface ErrorsModule {
  decodeMappings(mappings: string): number[][][];
  CellRegistry: new () => {
    nextFileName(): string;
    add(file: string, label: string, src: string, maps: (string | null)[], col: number, lines: number): void;
  };
  formatException(
    err: unknown,
    registry: unknown,
    options?: { tslabDir?: string; context?: string },
  ): ErrorContent;
  formatTypeErrors(
    diagnostics: { start: { line: number; character: number }; messageText: string; code?: number }[],
    src: string,
    label: string,
  ): ErrorContent;
}

const TSLAB_DIR = path.join(projectRoot(), 'node_modules', 'tslab');

describe('tslab patch', () => {
  it('is made for the installed tslab version and applied to node_modules/tslab', () => {
    assert.ok(fs.existsSync(path.join(projectRoot(), 'patches', `tslab+${TSLAB_PATCHED_VERSION}.patch`)));
    const version = JSON.parse(fs.readFileSync(path.join(TSLAB_DIR, 'package.json'), 'utf8')).version;
    assert.equal(version, TSLAB_PATCHED_VERSION, 'package-lock.json pins the version the patch is made for');
    assert.equal(tslabPatchState(), 'patched');
  });

  it('tells missing, other-version and unpatched copies apart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tslab-state-'));
    try {
      assert.equal(tslabPatchState(dir), 'missing');
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '1.0.0' }));
      assert.equal(tslabPatchState(dir), 'other-version');
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: TSLAB_PATCHED_VERSION }));
      fs.writeFileSync(path.join(dir, 'dist', 'jupyter.js'), '// tslab as published');
      assert.equal(tslabPatchState(dir), 'unpatched');
      fs.writeFileSync(path.join(dir, 'dist', 'jupyter.js'), '// gan-notebooks: ...');
      fs.writeFileSync(path.join(dir, 'dist', 'errors.js'), '');
      assert.equal(tslabPatchState(dir), 'patched');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('error formatting (dist/errors.js)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const errors = require(path.join(TSLAB_DIR, 'dist', 'errors.js')) as ErrorsModule;

    it('decodes source-map VLQ mappings', () => {
      // "AAAA" = [0,0,0,0]; "SAAS" = [+9,0,0,+9]; next line "AACA" = [0,0,+1,0]: the source column
      // carries over from the line before, only the generated column starts again at 0
      assert.deepEqual(errors.decodeMappings('AAAA,SAAS;AACA'), [
        [
          [0, 0, 0, 0],
          [9, 0, 0, 9],
        ],
        [[0, 0, 1, 9]],
      ]);
    });

    it("maps a cell's frames to Cell In[n], line m, drops internal frames, shows the line", () => {
      const registry = new errors.CellRegistry();
      const file = registry.nextFileName();
      // Generated lines 2 and 3 map to source lines 2 and 3 (after one prefix line for the type checker:
      // the cell's lines 1 and 2); generated line 9 (the wrapper's call) maps to nothing.
      const map = JSON.stringify({ version: 3, sources: ['x'], names: [], mappings: ';AACA;AACA' });
      registry.add(file, 'In[4]', 'const a = 1;\nthrow new Error("x");', [map], 10, 1);
      const err = new Error('x');
      err.stack = [
        'Error: x',
        `    at f (${file}:3:7)`,
        `    at ${file}:9:1`,
        '    at Script.runInThisContext (node:vm:137:12)',
        '    at Object.runInThisContext (node:vm:317:38)',
        `    at executeCell (${TSLAB_DIR}/dist/executor.js:200:1)`,
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ].join('\n');
      const c = errors.formatException(err, registry, { tslabDir: TSLAB_DIR });
      assert.equal(c.ename, 'Error');
      assert.equal(c.evalue, 'x');
      const text = c.traceback.join('\n');
      assert.match(text, /at f \(Cell In\[4\], line 2\)/);
      assert.match(text, /----> 2 throw new Error\("x"\);/);
      assert.doesNotMatch(text, /node:|executor\.js|__tslab_cell_/);
    });

    it('formats TypeScript diagnostics as a TSError with the cell line', () => {
      const c = errors.formatTypeErrors(
        [
          {
            start: { line: 1, character: 6 },
            messageText: "Type 'string' is not assignable to type 'number'.",
            code: 2322,
          },
        ],
        'const ok = 1;\nconst n: number = "s";',
        'In[2]',
      );
      assert.equal(c.ename, 'TSError');
      assert.match(c.evalue, /not assignable/);
      assert.match(c.traceback.join('\n'), /Cell In\[2\], line 2, column 7 - error TS2322/);
    });
  });
});
