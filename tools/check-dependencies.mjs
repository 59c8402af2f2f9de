#!/usr/bin/env node
/**
 * The server's dependency rules, checked in `npm run lint` (docs/architecture.md explains them):
 * - a feature's store is its own: no feature imports another feature's `store.ts`/`*-store.ts`;
 * - adapters never import features; ports and domain import neither features nor adapters;
 * - nothing imports the composition root but the process entry points;
 * - no cycle between folders (each feature, each adapter, each top-level folder is one node).
 * Test files and test-support are left out: tests may reach anything they exercise.
 */
import { cruise } from 'dependency-cruiser';

const SRC = '^packages/server/src/';
const rules = [
  {
    name: 'feature-store-is-private',
    comment: "Another feature's data is reached through its service or a read interface it exports.",
    from: { path: `${SRC}features/([^/]+)/` },
    to: { path: `${SRC}features/[^/]+/[a-z-]*store\\.ts$`, pathNot: `${SRC}features/$1/` },
  },
  {
    name: 'adapters-do-not-import-features',
    comment: 'Adapters implement ports; the vocabulary they need lives in ports/, domain/ or @cleave/core.',
    from: { path: `${SRC}adapters/` },
    to: { path: `${SRC}(features|composition)/` },
  },
  {
    name: 'ports-and-domain-are-leaves',
    from: { path: `${SRC}(ports|domain)/` },
    to: { path: `${SRC}(features|adapters|composition|http|runtime|cli)/` },
  },
  {
    name: 'only-entry-points-import-the-composition-root',
    from: { path: SRC, pathNot: `${SRC}(composition/|main\\.ts$|cli/)` },
    to: { path: `${SRC}composition/` },
  },
].map((rule) => ({ severity: 'error', ...rule }));

const result = await cruise(['packages/server/src'], {
  exclude: { path: ['\\.test\\.tsx?$', `${SRC}test-support/`] },
  doNotFollow: { path: 'node_modules' },
  tsPreCompilationDeps: true,
  ruleSet: { forbidden: rules },
  validate: true,
});
const { modules, summary } = result.output;
const problems = summary.violations.map(
  (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
);

/** The folder a module belongs to: features/<name>, adapters/<name>, or its top-level folder. */
function folderOf(source) {
  const relative = source.replace(/^packages\/server\/src\//, '');
  const parts = relative.split('/');
  if (parts.length === 1) return '(root)';
  if ((parts[0] === 'features' || parts[0] === 'adapters') && parts.length > 2)
    return `${parts[0]}/${parts[1]}`;
  return parts[0];
}
const edges = new Map();
for (const module of modules) {
  if (!module.source.startsWith('packages/server/src/')) continue;
  const from = folderOf(module.source);
  for (const dependency of module.dependencies) {
    if (!dependency.resolved.startsWith('packages/server/src/')) continue;
    const to = folderOf(dependency.resolved);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    edges.get(from).set(to, `${module.source} → ${dependency.resolved}`);
  }
}
// Tarjan's strongly connected components over folders: any component of two or more is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const cycles = [];
function visit(node) {
  state.set(node, { index, low: index, onStack: true });
  index += 1;
  stack.push(node);
  for (const next of edges.get(node)?.keys() ?? []) {
    if (!state.has(next)) {
      visit(next);
      state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
    } else if (state.get(next).onStack) {
      state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
    }
  }
  if (state.get(node).low === state.get(node).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component);
  }
}
for (const node of edges.keys()) if (!state.has(node)) visit(node);
for (const component of cycles) {
  const members = new Set(component);
  const examples = component.flatMap((from) =>
    [...(edges.get(from) ?? new Map())]
      .filter(([to]) => members.has(to))
      .map(([, example]) => `    ${example}`),
  );
  problems.push(`folder-cycle: ${component.sort().join(' ↔ ')}\n${examples.join('\n')}`);
}

if (problems.length > 0) {
  console.error(`Dependency rules broken (${problems.length}):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`Dependency rules hold (${modules.length} modules, ${edges.size} folders, no folder cycles).`);
