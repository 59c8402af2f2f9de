/**
 * @module features/sdk-delivery/evaluation-counter
 * Counts server-side flag evaluations (remote evaluation and OFREP) by project, flag and reason.
 *
 * Cardinality stays bounded whatever clients send: reasons are core's fixed set; a key that names
 * no flag (clients choose which keys to ask for) is counted as `_unknown`, never under its own
 * name; and past `maxSeries` distinct project and flag pairs, further pairs share `_other`, so
 * many projects with many flags cost a fixed number of series. (Keys start with a letter or digit,
 * so neither label can be a real key.)
 *
 * Counting is on every evaluation request, so it is a few map reads and a number increment: no
 * label string is built and nothing is hashed. The counts are added to the Prometheus counter when
 * it is read (prom-client calls a metric's `collect` before every scrape), where prom-client's
 * per-increment label hashing costs once per series instead of once per evaluation.
 */
import type { EvaluationResult, Reason } from '@cleave/core';
import type { Counter } from 'prom-client';

export const UNKNOWN_FLAG = '_unknown';
export const OTHER = '_other';

/** One project and flag pair's counts since the last read, by reason. */
interface Tally {
  readonly project: string;
  readonly flag: string;
  readonly counts: Map<Reason, number>;
}

type CounterWithCollect = Counter<'project' | 'flag' | 'reason'> & { collect?: () => unknown };

export class EvaluationCounter {
  /** Project → flag → tally, for pairs with a series of their own (at most `maxSeries`). */
  private readonly tallies = new Map<string, Map<string, Tally>>();
  private pairs = 0;
  private readonly other: Tally = { project: OTHER, flag: OTHER, counts: new Map() };

  constructor(
    private readonly counter: Counter<'project' | 'flag' | 'reason'>,
    private readonly maxSeries = 1_000,
  ) {
    const metric = counter as CounterWithCollect;
    const previous = metric.collect;
    metric.collect = () => {
      this.flush();
      return previous?.call(metric);
    };
  }

  count(projectKey: string, results: readonly EvaluationResult[]): void {
    for (const result of results) this.countOne(projectKey, result);
  }

  countOne(projectKey: string, result: EvaluationResult): void {
    const flag = result.errorCode === 'FLAG_NOT_FOUND' ? UNKNOWN_FLAG : result.flagKey;
    const tally = this.tallies.get(projectKey)?.get(flag) ?? this.tallyFor(projectKey, flag);
    tally.counts.set(result.reason, (tally.counts.get(result.reason) ?? 0) + 1);
  }

  /** Adds the pending counts to the Prometheus counter (before each read of it). */
  flush(): void {
    for (const flags of this.tallies.values()) for (const tally of flags.values()) this.fold(tally);
    this.fold(this.other);
  }

  /** A new pair's tally; past the bound, the shared `_other` one (not remembered per pair). */
  private tallyFor(project: string, flag: string): Tally {
    if (this.pairs >= this.maxSeries) return this.other;
    let flags = this.tallies.get(project);
    if (flags === undefined) {
      flags = new Map();
      this.tallies.set(project, flags);
    }
    const tally: Tally = { project, flag, counts: new Map() };
    flags.set(flag, tally);
    this.pairs++;
    return tally;
  }

  private fold(tally: Tally): void {
    for (const [reason, count] of tally.counts) {
      if (count === 0) continue;
      this.counter.inc({ project: tally.project, flag: tally.flag, reason }, count);
      tally.counts.set(reason, 0);
    }
  }
}
