/**
 * The environment-variable registry (src/env/variables.ts) against the code and the docs: every variable the
 * code reads is registered with the files that read it, every registered one is read where it says, and
 * docs/environment.md is what the registry generates (after Prettier), linked from the README.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as prettier from 'prettier';
import { ENV_VARIABLES, environmentMarkdown, envVariable, readEnv } from '../../src/env/variables';

const ROOT = path.join(__dirname, '..', '..');

/** Standard variables of the system, read to find programs and libraries, not project settings. */
const SYSTEM = new Set(['PATH']);

/** How code reads a variable: process.env.X, process.env['X'], env.X (an injected env), readEnv('X'), ${X:-…}. */
const READS: RegExp[] = [
  /\bprocess\.env\.([A-Z][A-Z0-9_]*)/g,
  /\bprocess\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
  /\benv\??\.([A-Z][A-Z0-9_]*)\b/g,
  /\breadEnv\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
  /\$\{([A-Z][A-Z0-9_]*):?[-=]/g,
  /\bos\.environ(?:\.get\(\s*|\[\s*)['"]([A-Z][A-Z0-9_]*)['"]/g,
];

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...codeFiles(rel));
    else if (/\.(ts|js|sh|py)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** variable → files that read it, over src/, bin/, scripts/ and kernel-setup/ (the registry itself excluded). */
function readsInCode(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const file of ['src', 'bin', 'scripts', 'kernel-setup'].flatMap(codeFiles)) {
    if (file === 'src/env/variables.ts') continue;
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const re of READS) {
      for (const m of text.matchAll(re)) {
        if (!found.has(m[1])) found.set(m[1], new Set());
        found.get(m[1])!.add(file);
      }
    }
  }
  return found;
}

describe('environment variables: one registry', () => {
  const reads = readsInCode();

  it('registers every variable the code reads, with every file that reads it', () => {
    const unregistered = [...reads.keys()].filter(
      (n) => !SYSTEM.has(n) && !ENV_VARIABLES.some((v) => v.name === n),
    );
    assert.deepEqual(
      unregistered,
      [],
      'add these to src/env/variables.ts (then regenerate docs/environment.md)',
    );
    for (const [name, files] of reads) {
      if (SYSTEM.has(name)) continue;
      const missing = [...files].filter((f) => !envVariable(name).readBy.includes(f));
      assert.deepEqual(missing, [], `${name} is read by files its readBy entry does not list`);
    }
  });

  it('every registered variable is read in the code, and named in each file its readBy lists', () => {
    for (const v of ENV_VARIABLES) {
      assert.ok(reads.has(v.name), `${v.name} is registered but no code reads it`);
      assert.ok(v.doc.length > 20 && v.values.length > 0, `${v.name} needs its values and a doc line`);
      for (const f of v.readBy) {
        const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
        assert.match(text, new RegExp(`\\b${v.name}\\b`), `${f} (readBy of ${v.name}) does not mention it`);
      }
    }
    assert.equal(new Set(ENV_VARIABLES.map((v) => v.name)).size, ENV_VARIABLES.length, 'names are unique');
  });

  it('docs/environment.md is the page the registry generates, and the README links it', async () => {
    const options = (await prettier.resolveConfig(path.join(ROOT, 'docs', 'environment.md'))) ?? {};
    const want = await prettier.format(environmentMarkdown(), { ...options, parser: 'markdown' });
    const have = fs.readFileSync(path.join(ROOT, 'docs', 'environment.md'), 'utf8');
    assert.equal(have, want, 'regenerate docs/environment.md (see the head of src/env/variables.ts)');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.match(readme, /\]\(docs\/environment\.md\)/);
  });

  it('readEnv reads a registered variable from the given environment', () => {
    assert.equal(readEnv('GAN_BACKEND', { GAN_BACKEND: 'cpu' }), 'cpu');
    assert.equal(readEnv('GAN_BACKEND', {}), undefined);
    assert.throws(() => envVariable('NOT_A_VARIABLE'), /Add it to src\/env\/variables\.ts/);
  });
});
