// The committed tutorials read without horizontal scrolling (../shared/STYLE.md): every code line
// is at most 100 characters.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const MAX_LINE = 100;
const dir = path.join(__dirname, '..', '..', 'notebooks');

describe('committed notebooks: code lines ≤ 100 characters', () => {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'))) {
    it(file, () => {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
        cells: Array<{ cell_type: string; source: string | string[] }>;
      };
      const long: string[] = [];
      nb.cells.forEach((c, i) => {
        if (c.cell_type !== 'code') return;
        const src = Array.isArray(c.source) ? c.source.join('') : c.source;
        for (const line of src.split('\n')) {
          if ([...line].length > MAX_LINE)
            long.push(`cell ${i}: ${[...line].length} chars: ${line.slice(0, 60)}…`);
        }
      });
      assert.deepEqual(long, [], `${file} has code lines over ${MAX_LINE} characters`);
    });
  }
});
