#!/usr/bin/env node
// Import cycles, checked on two levels (part of `npm run lint`; docs/architecture.md "Folders"):
// - modules: no file reaches itself through its imports (madge --circular);
// - folders: each top-level folder of the tree (`src/xroad/`, `src/dhx/`, ...) is one node, and a file at
//   the top (`src/app.ts`) is a node of its own; an import from a file of one node to a file of another is
//   an edge. The folder graph must have no cycle.
// Usage: node scripts/check-layers.js [dir]   (default: src). Exit status 1 names each cycle found.
const fs = require('node:fs');
const path = require('node:path');
const madge = require('madge');

/**
 * Folder edges allowed although they close a cycle. Each names why and when it goes; an exception the
 * tree no longer needs (the edge is gone, or the graph has no cycle without it) fails the check, so it
 * cannot outlive its reason.
 */
const EXCEPTIONS = [];

/** The node a module belongs to: its top-level folder, or the file itself when it sits at the top. */
function nodeOf(file) {
  const i = file.indexOf('/');
  return i < 0 ? file : file.slice(0, i);
}

/** Folder graph: Map from node to Map of node to an example import ("from.ts → to.ts"). */
function folderGraph(modules) {
  const graph = new Map();
  for (const [file, deps] of Object.entries(modules)) {
    const from = nodeOf(file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const dep of deps) {
      const to = nodeOf(dep);
      if (to === from) continue;
      if (!graph.has(to)) graph.set(to, new Map());
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, `${file} → ${dep}`);
    }
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan), each sorted. */
function tangledComponents(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v).keys()) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), idx.get(w)));
      }
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

/** One cycle through `start` inside its component (breadth-first, so a shortest one), as a node list. */
function cycleThrough(graph, start, component) {
  const inside = new Set(component);
  const prev = new Map();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const v = queue.shift();
    for (const w of [...graph.get(v).keys()].sort()) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const pathBack = [v];
        while (pathBack[0] !== start) pathBack.unshift(prev.get(pathBack[0]));
        return [...pathBack, start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

function describeCycle(graph, cycle) {
  const steps = [];
  for (let i = 0; i + 1 < cycle.length; i++) steps.push(`  ${cycle[i]} → ${cycle[i + 1]}  (${graph.get(cycle[i]).get(cycle[i + 1])})`);
  return `${cycle.join(' → ')}\n${steps.join('\n')}`;
}

function reaches(graph, from, to) {
  const seen = new Set([from]);
  const todo = [from];
  while (todo.length) {
    const v = todo.pop();
    if (v === to) return true;
    for (const w of graph.get(v)?.keys() ?? []) if (!seen.has(w)) seen.add(w), todo.push(w);
  }
  return false;
}

function withoutExceptions(graph, exceptions) {
  const g = new Map([...graph].map(([k, v]) => [k, new Map(v)]));
  for (const e of exceptions) g.get(e.from)?.delete(e.to);
  return g;
}

/**
 * Checks `dir`: returns { moduleCycles: string[][], folderCycles: string[] (described), staleExceptions: string[] }.
 * `exceptions` defaults to EXCEPTIONS when `dir` is this repository's src/, to none otherwise.
 */
async function checkLayers(dir, options = {}) {
  const root = path.resolve(dir);
  const tsConfig = options.tsConfig ?? path.join(path.dirname(root), 'tsconfig.json');
  const result = await madge(root, {
    fileExtensions: ['ts'],
    ...(fs.existsSync(tsConfig) ? { tsConfig } : {}),
  });
  const modules = result.obj();
  const moduleCycles = result.circular();
  const exceptions = options.exceptions ?? (root === path.resolve(__dirname, '..', 'src') ? EXCEPTIONS : []);
  const graph = folderGraph(modules);
  const checked = withoutExceptions(graph, exceptions);
  const folderCycles = tangledComponents(checked).map((comp) => {
    const shortest = comp.map((v) => cycleThrough(checked, v, comp)).reduce((a, b) => (b.length < a.length ? b : a));
    return describeCycle(checked, shortest);
  });
  const staleExceptions = [];
  for (const e of exceptions) {
    if (!graph.get(e.from)?.has(e.to)) {
      staleExceptions.push(`${e.from} → ${e.to}: ${e.from}/ no longer imports ${e.to}/; delete the exception`);
      continue;
    }
    // The edge closes a cycle when its target reaches its source by the other imports.
    if (!reaches(withoutExceptions(graph, [e]), e.to, e.from)) {
      staleExceptions.push(`${e.from} → ${e.to}: the edge closes no cycle any more; delete the exception`);
    }
  }
  return { moduleCycles, folderCycles, staleExceptions, modules: Object.keys(modules).length };
}

async function main() {
  const dir = process.argv[2] ?? path.join(__dirname, '..', 'src');
  const r = await checkLayers(dir);
  const problems = [
    ...r.moduleCycles.map((c) => `module cycle: ${[...c, c[0]].join(' → ')}`),
    ...r.folderCycles.map((c) => `folder cycle: ${c}`),
    ...r.staleExceptions.map((s) => `stale exception in scripts/check-layers.js: ${s}`),
  ];
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`check-layers: ${r.modules} modules, no module cycle, no folder cycle\n`);
}

module.exports = { checkLayers, EXCEPTIONS };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 2;
  });
}
