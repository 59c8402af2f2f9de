/**
 * @module telemetry
 * Prometheus metrics, one registry per process (tests build their own). Names follow Prometheus
 * conventions: `_total` counters, base units (seconds), low-cardinality labels only.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { monitorEventLoopLag } from './event-loop-lag.js';

export interface Telemetry {
  registry: Registry;
  eventsAccepted: Counter;
  eventsDuplicate: Counter;
  eventsRejected: Counter<'code'>;
  writerRows: Counter;
  writerBatches: Counter<'outcome'>;
  writerBatchSeconds: Histogram;
  /** Events the store refused as data, moved to the dead letters. */
  writerDeadLettered: Counter;
  writerDroppedDeletedProject: Counter;
  /** Events in the log not yet committed to the store. */
  writerLag: Gauge;
  httpRequestSeconds: Histogram<'method' | 'route' | 'status'>;
  /** Server-side evaluations; count through `EvaluationCounter`, which bounds the labels. */
  flagEvaluations: Counter<'project' | 'flag' | 'reason'>;
  /** Seconds per analysis job attempt by outcome (succeeded, retried, failed). */
  analysisJobSeconds: Histogram<'outcome'>;
  /** Analysis jobs that ended failed, after their last attempt or a permanent error. */
  analysisJobFailures: Counter;
  /** Server-sent event streams open now, by stream (`sdk`: SDK configuration streams). */
  sseConnections: Gauge<'stream'>;
}

export function createTelemetry(options: { processMetrics?: boolean } = {}): Telemetry {
  const registry = new Registry();
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'cleave_' });
    monitorEventLoopLag(registry, { prefix: 'cleave_' });
  }
  const registers = [registry];
  return {
    registry,
    eventsAccepted: new Counter({
      name: 'cleave_events_accepted_total',
      help: 'New events accepted by ingestion (durable in the log)',
      registers,
    }),
    eventsDuplicate: new Counter({
      name: 'cleave_events_duplicate_total',
      help: 'Events recognised as already received',
      registers,
    }),
    eventsRejected: new Counter({
      name: 'cleave_events_rejected_total',
      help: 'Events refused by validation',
      labelNames: ['code'],
      registers,
    }),
    writerRows: new Counter({
      name: 'cleave_event_writer_rows_total',
      help: 'Events committed to the events store by the writer',
      registers,
    }),
    writerBatches: new Counter({
      name: 'cleave_event_writer_batches_total',
      help: 'Writer batches by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    writerDeadLettered: new Counter({
      name: 'cleave_event_writer_dead_lettered_total',
      help: 'Events the events store refused as data, moved to the dead-letter stream',
      registers,
    }),
    writerDroppedDeletedProject: new Counter({
      name: 'cleave_event_writer_dropped_deleted_project_total',
      help: 'Events the writer dropped because their project was deleted while they waited in the log',
      registers,
    }),
    writerBatchSeconds: new Histogram({
      name: 'cleave_event_writer_batch_seconds',
      help: 'Time to commit one writer batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    writerLag: new Gauge({
      name: 'cleave_event_writer_lag_events',
      help: 'Events in the log waiting to be committed',
      registers,
    }),
    httpRequestSeconds: new Histogram({
      name: 'cleave_http_request_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    flagEvaluations: new Counter({
      name: 'cleave_flag_evaluations_total',
      help: 'Flags evaluated by the server (remote evaluation and OFREP) by project, flag and reason',
      labelNames: ['project', 'flag', 'reason'],
      registers,
    }),
    analysisJobSeconds: new Histogram({
      name: 'cleave_analysis_job_seconds',
      help: 'Duration of analysis job attempts by outcome (succeeded, retried, failed)',
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    analysisJobFailures: new Counter({
      name: 'cleave_analysis_job_failures_total',
      help: 'Analysis jobs that ended failed (no retry follows)',
      registers,
    }),
    sseConnections: new Gauge({
      name: 'cleave_sse_connections',
      help: 'Server-sent event streams open now, by stream',
      labelNames: ['stream'],
      registers,
    }),
  };
}
