/**
 * @module runtime/tracing
 * Starts OpenTelemetry tracing for the process when the configuration asks for it: a tracer
 * provider registered globally (with the AsyncLocalStorage context manager and the W3C trace
 * context propagator), spans batched to an OTLP/HTTP endpoint or printed to the console. The rest
 * of the server only uses `@opentelemetry/api` (runtime/trace-context.ts), which does nothing
 * until a provider is registered: with `OTEL_*` unset, no span is ever made.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from './config.js';
import { CLEAVE_VERSION } from './version.js';

export interface Tracing {
  /** Exports the spans still buffered, then unregisters the provider. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where spans go instead of the configured exporter (tests: an `InMemorySpanExporter`). */
  exporter?: SpanExporter;
}

export function startTracing(config: TracingConfig, options: TracingOptions = {}): Tracing {
  const exporter =
    options.exporter ??
    (config.exporter === 'console'
      ? new ConsoleSpanExporter()
      : new OTLPTraceExporter({ url: config.endpoint, headers: config.headers }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      'service.name': config.serviceName,
      'service.version': CLEAVE_VERSION,
    }),
    sampler: samplerFor(config),
    // A test's exporter sees each span as it ends; production batches them off the request path.
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

function samplerFor(config: TracingConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.samplerRatio);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
