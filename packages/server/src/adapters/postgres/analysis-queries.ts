/**
 * @module adapters/postgres/analysis-queries
 * The analysis SQL dialect of PostgreSQL: `timestamptz` arithmetic with intervals, `jsonb`
 * operators for filters and attributes, `percentile_cont` (linear interpolation between order
 * statistics, the definition the analysis promises), and planner settings for analytical joins.
 */
import type { PropertyFilter } from '@cleave/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AnalysisQueries, EventsDerivedState } from '../../ports/analysis-queries.js';
import { FactAnalysisQueries, type FactsDialect } from '../sql/analysis-facts.js';
import { type AnalysisSqlDialect, SqlAnalysisQueries } from '../sql/analysis-sql.js';
import type { Database } from '../sql/database.js';

type Fragment = RawBuilder<unknown>;

function equals(properties: Fragment, name: string, value: PropertyFilter['value']): Fragment {
  if (value === undefined) return sql`false`;
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) return sql`false`;
  // jsonb equality compares type and value (1 and 1.0 are equal numbers; "1" is not 1).
  return sql`coalesce((${properties} -> ${name}::text) in (${sql.join(
    values.map((item) => sql`${JSON.stringify(item)}::jsonb`),
  )}), false)`;
}

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export const postgresAnalysisDialect: AnalysisSqlDialect = {
  time: (iso) => sql`${new Date(iso).toISOString()}::timestamptz`,
  plusSeconds: (time, seconds) => sql`(${time} + ${seconds}::double precision * interval '1 second')`,
  day: (time) => sql`to_char(${time} at time zone 'UTC', 'YYYY-MM-DD')`,
  propertyMatches(properties, filter) {
    const name = filter.property;
    const attribute = sql`(${properties} -> ${name}::text)`;
    switch (filter.operator) {
      case 'exists':
        return sql`(${attribute} is not null)`;
      case 'not_exists':
        return sql`(${attribute} is null)`;
      case 'eq':
      case 'in':
        return equals(properties, name, filter.value);
      case 'neq':
      case 'not_in':
        return sql`(not ${equals(properties, name, filter.value)})`;
      default: {
        const operator = sql.raw(COMPARISONS[filter.operator]);
        const { value } = filter;
        // CASE, not AND: PostgreSQL may evaluate AND's operands in any order, and casting a
        // non-number to double precision would fail the whole query.
        if (typeof value === 'number')
          return sql`(case when jsonb_typeof(${attribute}) = 'number' then (${properties} ->> ${name}::text)::double precision ${operator} ${value}::double precision else false end)`;
        if (typeof value === 'string')
          return sql`(case when jsonb_typeof(${attribute}) = 'string' then (${properties} ->> ${name}::text) collate "C" ${operator} ${value}::text else false end)`;
        return sql`false`;
      }
    }
  },
  attributeText: (properties, name) => sql`(${properties} ->> ${name}::text)`,
  firstProperties: () => sql`(array_agg(properties order by occurred_at))[1]`,
  // percentile_cont's definition (linear between the order statistics at floor and ceil of
  // (n − 1)·fraction), but reading only the values from that rank up: a bounded top-N sort of the
  // largest few percent instead of sorting every unit's value, the analysis' most costly step.
  percentile: (column, fraction) => {
    const value = sql.ref(column);
    const rank = sql`(c - 1) * ${fraction}::double precision`;
    return sql`(with counted as (select count(*) as c from unit_values),
        top as (select ${value} as x from unit_values order by ${value} desc
          limit (select c - floor(${rank})::bigint from counted)),
        around as (select x from top order by x limit 2)
      select min(x) + (select ${rank} - floor(${rank}) from counted) * (max(x) - min(x)) from around)`;
  },
  float: (value) => sql`cast(${value} as double precision)`,
  // The per-unit CTEs come from aggregates PostgreSQL cannot estimate (it guesses one row), and a
  // nested loop over a million "one-row" units into the events table never ends: analysis is a
  // few big hash joins and aggregates, so plan it that way, with memory to keep them in RAM.
  // Disabling nested loops inflates plan costs past the JIT threshold, and compiling these large
  // queries took seconds (longer than running them), so no JIT either.
  querySettings: [
    'set local enable_nestloop = off',
    'set local enable_sort = off',
    'set local jit = off',
    "set local work_mem = '128MB'",
  ],
};

export const postgresFactsDialect: FactsDialect = {
  ingestOrder: 't.ingest_seq',
  async takeCut(db) {
    return db.transaction().execute(async (trx) => {
      // SHARE conflicts with the ROW EXCLUSIVE every insert holds while it draws numbers from the
      // sequence: once granted, every numbered row is committed (or gone), so none can appear
      // below the cut later. Writers wait only for this short transaction.
      await sql`lock table events in share mode`.execute(trx);
      const { rows } = await sql<{ cut: string | null; next: string; called: boolean }>`
        select (select max(ingest_seq) from events) as cut, last_value as next, is_called as called
        from events_ingest_seq`.execute(trx);
      const row = rows[0];
      const order = Number(row?.cut ?? 0);
      const issued = row ? Number(row.next) - (row.called ? 0 : 1) : 0;
      if (issued < order) {
        // Rows carry numbers the sequence has not issued (a restore copied them): new rows would
        // get numbers below the facts' watermarks. Move the sequence on and rebuild every fact set.
        await sql`select setval('events_ingest_seq', ${order})`.execute(trx);
        await sql`delete from analysis_unit_days`.execute(trx);
        await sql`delete from analysis_unit_metrics`.execute(trx);
        await sql`delete from analysis_fact_metrics`.execute(trx);
        await sql`delete from analysis_unit_exposures`.execute(trx);
        await sql`delete from analysis_fact_sets`.execute(trx);
      }
      if (order === 0) return { order, eventId: null };
      const event = await sql<{ event_id: string }>`select event_id from events
        where ingest_seq = ${order}`.execute(trx);
      return { order, eventId: event.rows[0] ? String(event.rows[0].event_id) : null };
    });
  },
  afterBuild: 'analyze analysis_unit_exposures, analysis_unit_metrics, analysis_unit_days',
  lockRows: true,
};

export function postgresAnalysisQueries(
  db: Kysely<Database>,
  readDb: Kysely<Database> = db,
): AnalysisQueries & EventsDerivedState {
  // The facts are written, so they live on the primary; the reference computation (dimension
  // breakdowns, the daily series) reads the events wherever the analysis database points.
  return new FactAnalysisQueries(
    db,
    postgresAnalysisDialect,
    postgresFactsDialect,
    new SqlAnalysisQueries(readDb, postgresAnalysisDialect),
  );
}
