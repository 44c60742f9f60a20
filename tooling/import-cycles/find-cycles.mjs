// The import graph of each package's src, read from the text (type-only imports count: a circle
// of types still means two modules that cannot be read, moved or split one without the other).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const sourceExtensions = ['.ts', '.tsx', '.mts'];
// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`, across lines.
const specifierPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function listSources(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : listSources(full);
    return sourceExtensions.some((ext) => entry.endsWith(ext)) && !entry.endsWith('.d.ts') ? [full] : [];
  });
}

/** Resolves `./x.js`, `./x` or `./dir` to the source file it names, as TypeScript's NodeNext/bundler resolution would. */
function resolveSource(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [base, ...sourceExtensions.map((ext) => stem + ext), ...sourceExtensions.map((ext) => path.join(base, `index${ext}`))];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile() && sourceExtensions.some((ext) => file.endsWith(ext)));
}

/** The relative-import graph of one src folder: file → the files it imports. */
export function readImportGraph(srcDir) {
  const graph = new Map();
  for (const file of listSources(srcDir)) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const targets = new Set();
    for (const match of text.matchAll(specifierPattern)) {
      const target = resolveSource(file, match[1]);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** Every import circle of a graph, each once, as the list of files around it (Tarjan's strongly connected components). */
export function findCycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  function visit(node) {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** The packages and apps with a src folder, by folder. */
export function listPackageSources(root) {
  return ['packages', 'apps'].flatMap((group) => {
    const dir = path.join(root, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => path.join(dir, name, 'src'))
      .filter((src) => existsSync(src));
  });
}
