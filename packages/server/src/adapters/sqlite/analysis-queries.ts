/**
 * @module adapters/sqlite/analysis-queries
 * The analysis SQL dialect of the embedded store. Times are canonical ISO-8601 text
 * (`2026-11-25T12:00:00.000Z`), so they compare as strings and move with `strftime` modifiers
 * (millisecond-exact); JSON is text read with the JSON1 functions; SQLite has no percentile
 * aggregate, so the percentile is read off `row_number()` order statistics.
 */
import type { PropertyFilter } from '@cleave/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AnalysisQueries, EventsDerivedState } from '../../ports/analysis-queries.js';
import { FactAnalysisQueries, type FactsDialect } from '../sql/analysis-facts.js';
import type { AnalysisSqlDialect } from '../sql/analysis-sql.js';
import type { Database } from '../sql/database.js';

type Fragment = RawBuilder<unknown>;

/** A JSON path naming one top-level key, quoted so dots and spaces in names stay part of the key. */
function pathOf(name: string): string {
  return `$."${name}"`;
}

function scalarMatches(properties: Fragment, path: string, value: string | number | boolean): Fragment {
  const type = sql`json_type(${properties}, ${path})`;
  if (typeof value === 'boolean') return sql`coalesce(${type} = ${value ? 'true' : 'false'}, 0)`;
  const typeCheck = typeof value === 'number' ? sql`${type} in ('integer', 'real')` : sql`${type} = 'text'`;
  return sql`coalesce(${typeCheck} and json_extract(${properties}, ${path}) = ${value}, 0)`;
}

function equals(properties: Fragment, path: string, value: PropertyFilter['value']): Fragment {
  if (value === undefined) return sql`0`;
  if (Array.isArray(value)) {
    if (value.length === 0) return sql`0`;
    return sql`(${sql.join(
      value.map((item) => scalarMatches(properties, path, item)),
      sql` or `,
    )})`;
  }
  return scalarMatches(properties, path, value);
}

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export const sqliteAnalysisDialect: AnalysisSqlDialect = {
  time: (iso) => sql`${new Date(iso).toISOString()}`,
  plusSeconds: (time, seconds) =>
    sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${time}, ${`${seconds >= 0 ? '+' : ''}${seconds.toFixed(3)} seconds`})`,
  day: (time) => sql`substr(${time}, 1, 10)`,
  propertyMatches(properties, filter) {
    const path = pathOf(filter.property);
    const type = sql`json_type(${properties}, ${path})`;
    switch (filter.operator) {
      case 'exists':
        return sql`(${type} is not null)`;
      case 'not_exists':
        return sql`(${type} is null)`;
      case 'eq':
      case 'in':
        return equals(properties, path, filter.value);
      case 'neq':
      case 'not_in':
        return sql`(not ${equals(properties, path, filter.value)})`;
      default: {
        const operator = sql.raw(COMPARISONS[filter.operator]);
        const { value } = filter;
        if (typeof value === 'number')
          return sql`coalesce(${type} in ('integer', 'real') and json_extract(${properties}, ${path}) ${operator} ${value}, 0)`;
        if (typeof value === 'string')
          return sql`coalesce(${type} = 'text' and json_extract(${properties}, ${path}) ${operator} ${value}, 0)`;
        return sql`0`;
      }
    }
  },
  attributeText(properties, name) {
    const path = pathOf(name);
    return sql`case json_type(${properties}, ${path}) when 'true' then 'true' when 'false' then 'false'
      when 'null' then null else cast(json_extract(${properties}, ${path}) as text) end`;
  },
  // `occurred_at` is fixed-width text, so the smallest "time + properties" string is the first
  // exposure's, and what follows its 24 characters is that exposure's properties.
  firstProperties: () => sql`nullif(substr(min(occurred_at || coalesce(properties, '')), 25), '')`,
  percentile: (column, fraction) => {
    const value = sql.ref(column);
    return sql`(select lower_x + (h - lower_r) * (coalesce(upper_x, lower_x) - lower_x) from (
        select max(h) as h, max(lower_r) as lower_r,
          max(case when r = lower_r then x end) as lower_x,
          max(case when r = lower_r + 1 then x end) as upper_x
        from (
          select x, r, (c - 1) * ${fraction} as h, cast((c - 1) * ${fraction} as integer) as lower_r
          from (select ${value} as x, row_number() over (order by ${value}) - 1 as r, count(*) over () as c from unit_values)
        )
      ))`;
  },
  float: (value) => sql`cast(${value} as real)`,
};

/**
 * SQLite's `rowid` is the ingestion order: its one writer gives each new row the largest rowid so
 * far plus one, and commits in that order. (A deleted largest rowid can be handed out again: the
 * facts notice, since the event at their watermark is then another one or none.)
 */
export const sqliteFactsDialect: FactsDialect = {
  ingestOrder: 't.rowid',
  async takeCut(db) {
    const { rows } = await sql<{ cut: number; event_id: string }>`select rowid as cut, event_id from events
      where rowid = (select max(rowid) from events)`.execute(db);
    const row = rows[0];
    return row ? { order: Number(row.cut), eventId: String(row.event_id) } : { order: 0, eventId: null };
  },
  lockRows: false,
};

export function sqliteAnalysisQueries(db: Kysely<Database>): AnalysisQueries & EventsDerivedState {
  return new FactAnalysisQueries(db, sqliteAnalysisDialect, sqliteFactsDialect);
}
