/**
 * Show the library's own code in a tutorial: the lines of a file under src/ between two markers, as a
 * TypeScript code block (text/markdown) with the file and line numbers, read at run time — so what the
 * reader sees is exactly the code that trained the model.
 *   show(sourceExcerpt('src/train/step.ts', 'const step = (async', '}) as TrainStep;'));
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../util/paths';
import { markdownBundle } from '../markdown';
import type { MimeBundle } from './display';

/** Lines from the first containing `from` to the next containing `to` (both included). */
export function sourceLines(file: string, from: string, to: string): { lines: string[]; first: number } {
  const full = path.join(projectRoot(), file);
  const all = fs.readFileSync(full, 'utf8').split('\n');
  const a = all.findIndex((l) => l.includes(from));
  if (a < 0)
    throw new Error(`${file}: no line contains ${JSON.stringify(from)}; the excerpt marker is stale.`);
  const rel = all.slice(a).findIndex((l) => l.includes(to));
  if (rel < 0) throw new Error(`${file}: no line after ${a + 1} contains ${JSON.stringify(to)}.`);
  return { lines: all.slice(a, a + rel + 1), first: a + 1 };
}

export function sourceExcerpt(file: string, from: string, to: string): MimeBundle {
  const { lines, first } = sourceLines(file, from, to);
  const where = `\`${file}\`, lines ${first}–${first + lines.length - 1}`;
  const code = lines.join('\n');
  return markdownBundle(`${where}:\n\n\`\`\`ts\n${code}\n\`\`\``, `${where}\n${code}`);
}
