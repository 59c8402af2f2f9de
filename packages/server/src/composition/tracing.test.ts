import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { jetstreamManager } from '@nats-io/jetstream';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectNats } from '../adapters/nats/connect.js';
import { JetStreamEventLog } from '../adapters/nats/event-log.js';
import { DEFAULT_EVENT_STREAM } from '../adapters/nats/event-stream.js';
import { loadConfig } from '../runtime/config.js';
import { createLogger } from '../runtime/logger.js';
import { startTracing, type Tracing } from '../runtime/tracing.js';
import { createPostgresDatabase, type TestDatabase } from '../test-support/databases.js';
import { TEST_NATS_URL } from '../test-support/services.js';
import { storedEvent } from '../test-support/stored-event.js';
import { type RunningServer, startServer } from './server.js';

const SDK_KEY = `clv_sdk_${'T'.repeat(40)}`;
const ADMIN_TOKEN = `clv_admin_${'T'.repeat(40)}`;
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
const lines: Array<Record<string, unknown>> = [];
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});

beforeAll(() => {
  const config = loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracing;
  if (!config) throw new Error('tracing config expected');
  tracing = startTracing(config, { exporter });
});
afterAll(async () => {
  await tracing?.shutdown();
});
beforeEach(() => {
  exporter.reset();
  lines.length = 0;
});

async function spanNamed(name: string, traceId: string, timeoutMs = 15_000): Promise<ReadableSpan> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = exporter
      .getFinishedSpans()
      .find((span) => span.name === name && span.spanContext().traceId === traceId);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(
        `no span ${name}; got ${exporter
          .getFinishedSpans()
          .map((span) => span.name)
          .join(', ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

function traceparent(): { header: string; traceId: string; parentId: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${parentId}-01`, traceId, parentId };
}

describe('tracing across API → event log → writer → database (PostgreSQL + NATS JetStream)', () => {
  let database: TestDatabase;
  let directory: string;
  let server: RunningServer;
  const stream = `TRACE_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    directory = mkdtempSync(path.join(tmpdir(), 'cleave-tracing-'));
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: database.location,
        NATS_URL: TEST_NATS_URL,
        CLEAVE_NATS_STREAM: stream,
        CLEAVE_INIT_SDK_KEY: SDK_KEY,
        CLEAVE_INIT_ADMIN_TOKEN: ADMIN_TOKEN,
        OTEL_TRACES_EXPORTER: 'console',
      },
      directory,
    );
    server = await startServer(config, createLogger('info', { traceIds: true, destination: logs }));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    const nats = await connectNats(TEST_NATS_URL);
    await (await jetstreamManager(nats.connection)).streams.delete(stream).catch(() => {});
    await nats.close();
    await database?.destroy();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("continues the caller's trace into the request, the publish, the writer's commit and its COPY", async () => {
    const caller = traceparent();
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SDK_KEY}`,
        'content-type': 'application/json',
        traceparent: caller.header,
      },
      body: JSON.stringify({
        events: [
          {
            id: randomUUID(),
            type: 'track',
            unitId: 'u-1',
            event: 'purchase',
            timestamp: new Date().toISOString(),
          },
        ],
      }),
    });
    expect(response.status).toBe(202);

    const request = await spanNamed('POST /api/v1/events', caller.traceId);
    expect(parentOf(request)).toBe(caller.parentId);
    expect(request.attributes).toMatchObject({
      'http.route': '/api/v1/events',
      'http.response.status_code': 202,
    });
    const publish = await spanNamed('events publish', caller.traceId);
    expect(parentOf(publish)).toBe(request.spanContext().spanId);
    expect(publish.attributes).toMatchObject({ 'messaging.system': 'nats' });
    const commit = await spanNamed('events commit', caller.traceId);
    expect(parentOf(commit)).toBe(publish.spanContext().spanId);
    const copy = await spanNamed('COPY events', caller.traceId);
    expect(parentOf(copy)).toBe(commit.spanContext().spanId);
    expect(copy.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.operation.batch.size': 1 });

    // The request's log lines carry its trace; lines outside any span carry none.
    const requestLines = lines.filter((line) => line.traceId === caller.traceId);
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.map((line) => line.spanId)).toContain(request.spanContext().spanId);
    expect(lines.find((line) => line.msg === 'database ready')).toBeUndefined();
  });

  it('publishes requests that share a message under the first one, linked to the others', async () => {
    const nats = await connectNats(TEST_NATS_URL);
    try {
      const log = new JetStreamEventLog(nats.connection, { ...DEFAULT_EVENT_STREAM, stream });
      const tracer = trace.getTracer('test');
      const first = tracer.startSpan('first request');
      const second = tracer.startSpan('second request');
      // Two appends in one turn of the event loop travel in one message.
      const appended = [first, second].map((span) =>
        context.with(trace.setSpan(context.active(), span), () => log.append([storedEvent()])),
      );
      await Promise.all(appended);
      first.end();
      second.end();
      const publish = await spanNamed('events publish', first.spanContext().traceId);
      expect(parentOf(publish)).toBe(first.spanContext().spanId);
      expect(publish.links.map((link) => link.context.spanId)).toEqual([second.spanContext().spanId]);
      expect(publish.attributes['cleave.events']).toBe(2);
    } finally {
      await nats.close();
    }
  });

  it('gives a request without a caller trace a trace of its own, with its queries as child spans', async () => {
    const response = await fetch(`${server.url}/api/v1/projects/default/flags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: 'traced',
        type: 'boolean',
        variants: [
          { key: 'on', value: true },
          { key: 'off', value: false },
        ],
        defaultVariant: 'on',
        offVariant: 'off',
      }),
    });
    expect(response.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const request = exporter
      .getFinishedSpans()
      .find((span) => /^POST \/api\/v1\/projects\/:\w+\/flags$/.test(span.name));
    expect(request).toBeDefined();
    expect(parentOf(request as ReadableSpan)).toBeUndefined();
    const queries = exporter
      .getFinishedSpans()
      .filter(
        (span) => parentOf(span) === request?.spanContext().spanId && span.name.endsWith(' postgresql'),
      );
    expect(queries.map((span) => span.name)).toContain('INSERT postgresql');
    expect(queries[0]?.attributes['db.query.text']).toEqual(expect.any(String));
  });
});

describe('log lines and spans', () => {
  it('carry trace ids only when the logger is made for tracing', () => {
    const seen: Array<Record<string, unknown>> = [];
    const sink = (into: typeof seen) =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          into.push(JSON.parse(chunk.toString()));
          done();
        },
      });
    const traced = createLogger('info', { traceIds: true, destination: sink(seen) });
    const plain: Array<Record<string, unknown>> = [];
    const untraced = createLogger('info', { destination: sink(plain) });
    const span = trace.getTracer('test').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => {
      traced.info('inside');
      untraced.info('inside');
    });
    traced.info('outside');
    span.end();
    expect(seen[0]).toMatchObject({
      msg: 'inside',
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
    });
    expect(seen[1]).not.toHaveProperty('traceId');
    expect(plain[0]).not.toHaveProperty('traceId');
  });
});
