/**
 * @module The committed size budgets and goals of the SDK's browser bundles (budget.json), and
 * the comparison of measured sizes against them.
 */
import { readFileSync } from 'node:fs';
import type { EntrySize } from './sizes.js';

export interface SizeLimits {
  readonly minified?: number;
  readonly gzip?: number;
  readonly addedMinified?: number;
  readonly addedGzip?: number;
  /** What the entry loads only when a configuration needs it (`import()`). */
  readonly onDemandGzip?: number;
}

export interface BudgetFile {
  readonly goals: Readonly<Record<string, SizeLimits>>;
  readonly budgets: Readonly<Record<string, SizeLimits>>;
}

export const BUDGET_PATH = new URL('./budget.json', import.meta.url);

export function readBudgetFile(): BudgetFile {
  return JSON.parse(readFileSync(BUDGET_PATH, 'utf8')) as BudgetFile;
}

/** One limit of one entry, with the measured figure. */
export interface LimitCheck {
  readonly entry: string;
  readonly measure: keyof SizeLimits;
  readonly limit: number;
  readonly actual: number;
  readonly within: boolean;
}

/** Every limit of `limits` checked against `sizes` (an entry not measured is a failed check). */
export function checkLimits(
  sizes: readonly EntrySize[],
  limits: Readonly<Record<string, SizeLimits>>,
): LimitCheck[] {
  const checks: LimitCheck[] = [];
  for (const [entry, entryLimits] of Object.entries(limits)) {
    const size = sizes.find((candidate) => candidate.name === entry);
    const actualOf: Record<keyof SizeLimits, number | undefined> = {
      minified: size?.minifiedBytes,
      gzip: size?.gzipBytes,
      addedMinified: size?.addedMinifiedBytes,
      addedGzip: size?.addedGzipBytes,
      onDemandGzip: size?.onDemandGzipBytes,
    };
    for (const [measure, limit] of Object.entries(entryLimits) as [keyof SizeLimits, number][]) {
      const actual = actualOf[measure] ?? Number.POSITIVE_INFINITY;
      checks.push({ entry, measure, limit, actual, within: actual <= limit });
    }
  }
  return checks;
}
