/**
 * @module adapters/sql/query-tracing
 * A client span per SQL query, as a child of whatever span is active when the query runs (a
 * request, a writer's commit), from Kysely's query log: Kysely reports each query with its
 * duration once it has run, so the span is recorded after the fact, with its true start time.
 * Queries outside any span (background jobs) make none.
 */
import type { LogEvent } from 'kysely';
import { recordChildSpan, SpanKind } from '../../runtime/trace-context.js';
import type { SqlDialect } from './sql-database.js';

export function queryTracer(dialect: SqlDialect): (event: LogEvent) => void {
  const system = dialect === 'postgres' ? 'postgresql' : 'sqlite';
  return (event) => {
    const text = event.query.sql;
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
    recordChildSpan(`${operation} ${system}`, event.queryDurationMillis, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': system, 'db.operation.name': operation, 'db.query.text': text },
      ...(event.level === 'error' && { error: event.error }),
    });
  };
}
