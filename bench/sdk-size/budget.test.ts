import { beforeAll, describe, expect, it } from 'vitest';
import { checkLimits, readBudgetFile } from './budget.js';
import { type EntrySize, measureAll } from './sizes.js';

/**
 * The modules through which zod still reaches the SDK's browser bundle: core's compile step
 * (packages/core/src/evaluation/compile-*.ts parses each flag, rule and definition with the
 * model's zod schemas) and those schemas. Nothing else may bring zod in. This list may only
 * shrink: once the compile step checks shapes without zod it is empty, and the `sdk` budget in
 * budget.json drops by ~90 KB gzip.
 */
const ZOD_REACHED_ONLY_THROUGH = [
  'packages/core/src/evaluation/compile-config.ts',
  'packages/core/src/evaluation/compile-flag.ts',
  'packages/core/src/model/condition.ts',
  'packages/core/src/model/config-payload.ts',
  'packages/core/src/model/experiment.ts',
  'packages/core/src/model/flag-value.ts',
  'packages/core/src/model/flag.ts',
  'packages/core/src/model/holdout.ts',
  'packages/core/src/model/key.ts',
  'packages/core/src/model/layer.ts',
  'packages/core/src/model/rule.ts',
  'packages/core/src/model/segment.ts',
  'packages/core/src/model/validate.ts',
];

let sizes: EntrySize[];

beforeAll(async () => {
  sizes = await measureAll();
}, 60_000);

describe('SDK browser bundle sizes (bench/sdk-size/budget.json)', () => {
  it('stays within every committed budget', () => {
    const over = checkLimits(sizes, readBudgetFile().budgets).filter((check) => !check.within);
    expect(over).toEqual([]);
  });

  it('measures every entry point the budgets name, and GrowthBook beside them', () => {
    const names = sizes.map((size) => size.name);
    for (const entry of Object.keys(readBudgetFile().budgets)) expect(names).toContain(entry);
    expect(names).toContain('growthbook');
    for (const size of sizes) expect(size.gzipBytes).toBeGreaterThan(0);
  });
});

describe('the SDK bundle’s module graph', () => {
  const graphOf = (name: string) => {
    const size = sizes.find((candidate) => candidate.name === name);
    if (size === undefined) throw new Error(`no ${name} entry`);
    return size.metafile.inputs;
  };

  it('reaches core only through @cleave/core/evaluation, never its main entry', () => {
    const inputs = graphOf('sdk');
    expect(Object.keys(inputs)).not.toContain('packages/core/src/index.ts');
    const sdkImportsOfCore = Object.entries(inputs)
      .filter(([module]) => module.startsWith('packages/sdk/'))
      .flatMap(([, input]) => input.imports.map((imported) => imported.path))
      .filter((imported) => imported.startsWith('packages/core/'));
    expect([...new Set(sdkImportsOfCore)]).toEqual(['packages/core/src/evaluation-entry.ts']);
  });

  it('reaches zod and model/validate only through the compile step', () => {
    const inputs = graphOf('sdk');
    // Zod's own modules import each other; the question is who, outside zod, imports it.
    const importersOf = (target: (path: string) => boolean) =>
      Object.entries(inputs)
        .filter(([module]) => !module.startsWith('node_modules/zod/'))
        .filter(([, input]) => input.imports.some((imported) => target(imported.path)))
        .map(([module]) => module)
        .sort();
    expect(importersOf((path) => path.includes('node_modules/zod/'))).toEqual(
      ZOD_REACHED_ONLY_THROUGH.filter((module) => module in inputs).sort(),
    );
    expect(importersOf((path) => path === 'packages/core/src/model/validate.ts')).toEqual([
      'packages/core/src/evaluation/compile-config.ts',
    ]);
    expect(Object.keys(inputs)).not.toContain('packages/core/src/model/metric.ts');
  });
});
