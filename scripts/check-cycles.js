#!/usr/bin/env node
// Import cycles among the TypeScript files of a folder (default: src/), found with the TypeScript compiler's
// own import scanner and module resolution. Type-only imports count too (as madge counts them). Prints each
// cycle's files and one path around it, and exits 1 when there is any; `npm run lint` runs it.
//   node scripts/check-cycles.js [DIR...] [--json]
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

/** Every .ts file (not .d.ts) under `dir`. */
function tsFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** file → the files of the set it imports (import, export … from, import(), require()). */
function importGraph(files, options) {
  const inSet = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const deps = new Set();
    for (const ref of info.importedFiles) {
      const r = ts.resolveModuleName(ref.fileName, file, options, ts.sys).resolvedModule;
      const target = r && path.resolve(r.resolvedFileName);
      if (target && inSet.has(target) && target !== file) deps.add(target);
    }
    graph.set(file, [...deps].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function cyclicComponents(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** The shortest path from `start` back to itself inside `comp`. */
function oneCycle(graph, comp, start) {
  const members = new Set(comp);
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const cyc = [start];
        for (let u = v; u !== start; u = prev.get(u)) cyc.splice(1, 0, u);
        return [...cyc, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** The cycles among the .ts files under `dirs`, as paths relative to `root`. */
function findCycles(dirs, root = process.cwd()) {
  const files = dirs.flatMap((d) => tsFiles(path.resolve(root, d))).map((f) => path.resolve(f));
  const cfg = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
  const options = cfg
    ? ts.parseJsonConfigFileContent(ts.readConfigFile(cfg, ts.sys.readFile).config, ts.sys, root).options
    : { moduleResolution: ts.ModuleResolutionKind.Node10 };
  const graph = importGraph(files, options);
  const rel = (f) => path.relative(root, f).split(path.sep).join('/');
  const cycles = cyclicComponents(graph).map((comp) => ({
    files: comp.map(rel),
    cycle: oneCycle(graph, comp, comp[0]).map(rel),
    edges: comp.flatMap((f) =>
      graph
        .get(f)
        .filter((g) => comp.includes(g))
        .map((g) => `${rel(f)} > ${rel(g)}`),
    ),
  }));
  return { files: files.length, cycles };
}

module.exports = { findCycles };

if (require.main === module) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const dirs = args.filter((a) => a !== '--json');
  const r = findCycles(dirs.length ? dirs : ['src']);
  if (json) {
    process.stdout.write(JSON.stringify(r) + '\n');
  } else if (r.cycles.length === 0) {
    console.log(`check-cycles: no import cycles among ${r.files} files`);
  } else {
    console.error(`check-cycles: ${r.cycles.length} import cycle(s) among ${r.files} files:`);
    for (const c of r.cycles) {
      console.error(`\n  ${c.cycle.join(' > ')}`);
      if (c.files.length > c.cycle.length - 1)
        console.error(`  (one of the ways around ${c.files.join(', ')})`);
      for (const e of c.edges) console.error(`    ${e}`);
    }
  }
  process.exitCode = r.cycles.length ? 1 : 0;
}
