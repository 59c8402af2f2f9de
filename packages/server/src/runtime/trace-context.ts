/**
 * @module runtime/trace-context
 * The small part of OpenTelemetry the server's code uses, on `@opentelemetry/api` alone: spans
 * around work, and the trace context carried across the event log as W3C `traceparent` headers.
 * Every helper first asks whether a span is active (or a carrier was handed over): with tracing
 * off nothing is, so each costs a lookup and makes nothing.
 */
import {
  type Attributes,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { CLEAVE_VERSION } from './version.js';

/** A trace context as text headers (`traceparent`, `tracestate`), as it travels in a message. */
export type TraceCarrier = Readonly<Record<string, string>>;

export { SpanKind };

const tracer = () => trace.getTracer('cleave', CLEAVE_VERSION);

/** The active trace context as headers, or undefined when no span is active. */
export function currentTraceCarrier(): TraceCarrier | undefined {
  if (!trace.getSpan(context.active())) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The trace id and span id of the active span, for log lines; undefined when none is active. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` in a child span of the active span, ending it when `work` settles (an error marks
 * it failed). Without an active span, runs `work` alone.
 */
export async function inChildSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span?: Span) => Promise<T>,
): Promise<T> {
  if (!trace.getSpan(context.active())) return work();
  return tracer().startActiveSpan(name, options, (span) => settle(span, work));
}

/**
 * Runs `work` in a span whose parent is the first carrier's context, linked to the others' (a
 * writer's commit takes messages from several requests). Without carriers, runs `work` alone.
 */
export async function inSpanContinuing<T>(
  name: string,
  carriers: readonly TraceCarrier[],
  options: SpanOptions,
  work: () => Promise<T>,
): Promise<T> {
  const [first, ...rest] = carriers;
  if (!first) return work();
  const parent = propagation.extract(ROOT_CONTEXT, first);
  const links: Link[] = [];
  for (const carrier of rest) {
    const linked = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
    if (linked) links.push({ context: linked });
  }
  return tracer().startActiveSpan(name, { ...options, links }, parent, (span) => settle(span, work));
}

/**
 * Records a span that already happened, as a child of the active span: a database query reported
 * by Kysely after it ran. Nothing happens without an active span.
 */
export function recordChildSpan(
  name: string,
  durationMs: number,
  options: SpanOptions & { error?: unknown },
): void {
  if (!trace.getSpan(context.active())) return;
  const end = Date.now();
  const span = tracer().startSpan(name, { ...options, startTime: end - durationMs });
  if (options.error !== undefined) fail(span, options.error);
  span.end(end);
}

async function settle<T>(span: Span, work: (span: Span) => Promise<T>): Promise<T> {
  try {
    return await work(span);
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function fail(span: Span, error: unknown): void {
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
  if (error instanceof Error) span.recordException(error);
}
