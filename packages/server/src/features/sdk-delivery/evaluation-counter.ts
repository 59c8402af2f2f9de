/**
 * @module features/sdk-delivery/evaluation-counter
 * Counts server-side flag evaluations (remote evaluation and OFREP) by project, flag and reason.
 *
 * Cardinality stays bounded whatever clients send: reasons are core's fixed set; a key that names
 * no flag (clients choose which keys to ask for) is counted as `_unknown`, never under its own
 * name; and past `maxSeries` distinct project and flag pairs, further pairs share `_other`, so
 * many projects with many flags cost a fixed number of series. (Keys start with a letter or digit,
 * so neither label can be a real key.)
 */
import type { EvaluationResult } from '@cleave/core';
import type { Counter } from 'prom-client';

export const UNKNOWN_FLAG = '_unknown';
export const OTHER = '_other';

/** A series' counter, labels already bound (prom-client hashes labels on every unbound `inc`). */
interface Series {
  inc(value?: number): void;
}

export class EvaluationCounter {
  /** Bound series by `project \0 flag \0 reason`; `pairs` holds the project and flag pairs seen. */
  private readonly series = new Map<string, Series>();
  private readonly pairs = new Set<string>();

  constructor(
    private readonly counter: Counter<'project' | 'flag' | 'reason'>,
    private readonly maxSeries = 1_000,
  ) {}

  count(projectKey: string, results: readonly EvaluationResult[]): void {
    for (const result of results) this.countOne(projectKey, result);
  }

  countOne(projectKey: string, result: EvaluationResult): void {
    const flag = result.errorCode === 'FLAG_NOT_FOUND' ? UNKNOWN_FLAG : result.flagKey;
    const key = `${projectKey}\u0000${flag}\u0000${result.reason}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = this.counter.labels({ ...this.labelsFor(projectKey, flag), reason: result.reason });
      // Pairs past the bound all map to the one `_other` series; remembering each would grow
      // this map without bound, so only pairs that have their own series are cached.
      if (this.pairs.has(`${projectKey}\u0000${flag}`)) this.series.set(key, series);
    }
    series.inc();
  }

  private labelsFor(project: string, flag: string): { project: string; flag: string } {
    const pair = `${project}\u0000${flag}`;
    if (this.pairs.has(pair)) return { project, flag };
    if (this.pairs.size >= this.maxSeries) return { project: OTHER, flag: OTHER };
    this.pairs.add(pair);
    return { project, flag };
  }
}
