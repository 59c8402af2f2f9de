import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLimits, readBudgetFile } from './budget.js';
import { bytesByModule, type EntrySize, measureAll } from './sizes.js';

/**
 * Core's modules that define the model's zod schemas or validate with them: the server's, never
 * the SDK's. Core's compile step checks shapes with model/payload-shape.ts instead.
 */
const ZOD_MODULES = [
  'packages/core/src/model/condition.ts',
  'packages/core/src/model/config-payload.ts',
  'packages/core/src/model/experiment.ts',
  'packages/core/src/model/flag-value.ts',
  'packages/core/src/model/flag.ts',
  'packages/core/src/model/holdout.ts',
  'packages/core/src/model/key.ts',
  'packages/core/src/model/layer.ts',
  'packages/core/src/model/metric.ts',
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

  it('measures core’s engine alone, as the part of the sdk entry that is not the SDK’s own code', () => {
    const gzipOf = (name: string) => sizes.find((size) => size.name === name)?.gzipBytes ?? Number.NaN;
    expect(gzipOf('core-engine')).toBeGreaterThan(0);
    expect(gzipOf('core-engine')).toBeLessThan(gzipOf('sdk'));
  });
});

describe('the SDK bundle’s module graph', () => {
  const graphOf = (name: string) => {
    const size = sizes.find((candidate) => candidate.name === name);
    if (size === undefined) throw new Error(`no ${name} entry`);
    return size.metafile.inputs;
  };

  it('reaches core only through @cleave/core/evaluation, and its regex engine only through import()', () => {
    const inputs = graphOf('sdk');
    expect(Object.keys(inputs)).not.toContain('packages/core/src/index.ts');
    const sdkImportsOfCore = Object.entries(inputs)
      .filter(([module]) => module.startsWith('packages/sdk/'))
      .flatMap(([, input]) => input.imports)
      .filter((imported) => imported.path.startsWith('packages/core/'))
      .map((imported) => `${imported.kind} ${imported.path}`);
    expect([...new Set(sdkImportsOfCore)].sort()).toEqual([
      'dynamic-import packages/core/src/regex-entry.ts',
      'import-statement packages/core/src/evaluation-entry.ts',
    ]);
  });

  it('loads the regex engine on demand: none of its modules is in what a page loads at start', () => {
    const size = sizes.find((candidate) => candidate.name === 'sdk');
    const atStart = bytesByModule(size?.metafile ?? { inputs: {}, outputs: {} }).map((entry) => entry.module);
    expect(atStart).toContain('packages/core/src/evaluation/compile-condition.ts');
    expect(atStart.filter((module) => module.includes('/evaluation/regex/regex.ts'))).toEqual([]);
    expect(atStart.filter((module) => module.includes('/evaluation/regex/parse-regex.ts'))).toEqual([]);
    expect(size?.onDemandGzipBytes).toBeGreaterThan(2000);
  });

  it.each(['sdk', 'react', 'openfeature-web'])('%s: never reaches zod or the model’s zod schemas', (name) => {
    const modules = Object.keys(graphOf(name));
    expect(modules.filter((module) => module.includes('node_modules/zod/'))).toEqual([]);
    expect(modules.filter((module) => ZOD_MODULES.includes(module))).toEqual([]);
    // The list above names real files: a renamed schema module must not slip out of the check.
    for (const module of ZOD_MODULES)
      expect(existsSync(new URL(`../../${module}`, import.meta.url))).toBe(true);
  });
});
