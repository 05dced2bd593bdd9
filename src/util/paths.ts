/** Where the project lives on disk, for code in src/ or dist/src/ alike. */
import * as fs from 'fs';
import * as path from 'path';

/** The project root (the folder holding package.json), from src/ or dist/src/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Cannot find package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}
