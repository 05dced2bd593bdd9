/** The repository checks in scripts/: import cycles (npm run lint) and stale compiled files (npm run build). */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS scripts
const { findCycles } = require(path.join(ROOT, 'scripts', 'check-cycles.js')) as {
  findCycles(
    dirs: string[],
    root?: string,
  ): { files: number; cycles: Array<{ files: string[]; cycle: string[] }> };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS scripts
const { orphans } = require(path.join(ROOT, 'scripts', 'prune-dist.js')) as {
  orphans(dir: string, root: string, out: string): string[];
};

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-checks-'));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

describe('scripts/check-cycles.js', () => {
  it('finds a cycle through a folder index and a type-only import, and names its files', () => {
    const dir = tree({
      'src/a.ts': "import { b } from './lib';\nexport const a = b;\n",
      'src/lib/index.ts': "import type { A } from '../c';\nexport const b = 1;\nexport type B = A;\n",
      'src/c.ts': "import { a } from './a';\nexport type A = typeof a;\n",
      'src/free.ts': "import { b } from './lib';\nexport const f = b;\n",
    });
    try {
      const r = findCycles(['src'], dir);
      assert.equal(r.files, 4);
      assert.equal(r.cycles.length, 1);
      assert.deepEqual(r.cycles[0].files, ['src/a.ts', 'src/c.ts', 'src/lib/index.ts']);
      assert.deepEqual(r.cycles[0].cycle, ['src/a.ts', 'src/lib/index.ts', 'src/c.ts', 'src/a.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('src/ has no import cycles', () => {
    const r = findCycles(['src'], ROOT);
    assert.ok(r.files > 50, `${r.files} files`);
    assert.deepEqual(
      r.cycles.map((c) => c.cycle.join(' > ')),
      [],
      'run `npm run lint:cycles` for the imports that close each cycle',
    );
  });
});

describe('scripts/prune-dist.js', () => {
  it('lists compiled files whose source is gone (a file that became a folder index), nothing else', () => {
    const dir = tree({
      'src/backend/index.ts': '',
      'dist/src/backend.js': '',
      'dist/src/backend.d.ts': '',
      'dist/src/backend.js.map': '',
      'dist/src/backend/index.js': '',
      'dist/src/backend/index.d.ts': '',
      'dist/src/weights.json': '',
    });
    try {
      const found = orphans(path.join(dir, 'dist'), dir, path.join(dir, 'dist')).map((f) =>
        path.relative(dir, f),
      );
      assert.deepEqual(found.sort(), [
        'dist/src/backend.d.ts',
        'dist/src/backend.js',
        'dist/src/backend.js.map',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
