/**
 * @module adapters/postgres/event-partitions
 * Day partitions of the events table: created on demand before a write, dropped whole by
 * retention. Creation is idempotent and safe to race (IF NOT EXISTS, plus tolerance of the
 * duplicate-object error two writers can still hit).
 */
import type pg from 'pg';

/** `events_20261125` for 2026-11-25 (UTC). */
export function partitionName(day: string): string {
  return `events_${day.replaceAll('-', '')}`;
}

export function dayOf(isoTime: string): string {
  return isoTime.slice(0, 10);
}

export class EventPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly pool: pg.Pool) {}

  async ensure(days: Iterable<string>): Promise<void> {
    for (const day of days) {
      if (this.known.has(day)) continue;
      const from = `${day}T00:00:00Z`;
      const to = new Date(Date.parse(from) + 86_400_000).toISOString();
      try {
        await this.pool.query(
          `create table if not exists ${partitionName(day)} partition of events for values from ('${from}') to ('${to}')`,
        );
      } catch (error) {
        // 42P07 duplicate_table: another writer created it between our check and create.
        if ((error as { code?: string }).code !== '42P07') throw error;
      }
      this.known.add(day);
    }
  }

  /** Forgets which partitions exist, e.g. after another process dropped some. */
  forget(): void {
    this.known.clear();
  }

  /** Drops every partition wholly before `cutoff`; returns how many. */
  async dropBefore(cutoff: Date): Promise<number> {
    const { rows } = await this.pool.query<{ name: string }>(
      `select child.relname as name from pg_inherits
         join pg_class parent on parent.oid = pg_inherits.inhparent
         join pg_class child on child.oid = pg_inherits.inhrelid
        where parent.relname = 'events'`,
    );
    const cutoffDay = cutoff.toISOString().slice(0, 10).replaceAll('-', '');
    let dropped = 0;
    for (const { name } of rows) {
      const match = /^events_(\d{8})$/.exec(name);
      // A partition for day D holds [D, D+1): it is wholly old when D+1 <= cutoff day.
      if (match?.[1] && match[1] < cutoffDay) {
        await this.pool.query(`drop table if exists ${name}`);
        this.known.delete(`${match[1].slice(0, 4)}-${match[1].slice(4, 6)}-${match[1].slice(6, 8)}`);
        dropped += 1;
      }
    }
    return dropped;
  }
}
