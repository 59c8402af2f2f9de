/**
 * @module http/request-tracing
 * A server span per HTTP request, when tracing is on: continued from the caller's `traceparent`,
 * active while Fastify handles the request (the request and response emitters are bound to its
 * context, so body parsing and every hook after it stay inside the span), named after the route
 * once routing has matched, and ended when the response is finished or the connection closes.
 * Fastify's `serverFactory` is the one place that runs code around the whole request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { CLEAVE_VERSION } from '../runtime/version.js';

const spans = new WeakMap<IncomingMessage, Span>();

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** For Fastify's `serverFactory`: an HTTP server whose every request runs in its own span. */
export function tracedServerFactory(handler: RequestHandler): Server {
  const tracer = trace.getTracer('cleave', CLEAVE_VERSION);
  return createServer((request, response) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const method = request.method ?? 'GET';
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': method, 'url.path': (request.url ?? '/').split('?')[0] ?? '/' },
      },
      parent,
    );
    spans.set(request, span);
    const active = trace.setSpan(parent, span);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    context.bind(active, request);
    context.bind(active, response);
    context.with(active, () => handler(request, response));
  });
}

/** Names each request's span after its route (`POST /api/v1/events`) once Fastify has matched it. */
export function registerRequestSpanNames(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const span = spans.get(request.raw);
    if (!span) return;
    const route = request.routeOptions.url;
    if (route) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('cleave.request_id', request.id);
  });
}
