import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BodyReader, bodyReaderFor } from './request-body.js';

const ROUTE_LIMIT = 64;

/**
 * An app that answers with the body text it was given, read by Cleave's reader or by Fastify's
 * own `parseAs: 'string'` (the reference). An asynchronous `onRequest` hook, as in the real app,
 * lets a body sent with its headers be buffered before the parser runs.
 */
async function textApp(reading: 'cleave' | 'fastify', taken: { buffered: number }): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 });
  app.removeContentTypeParser('application/json');
  if (reading === 'cleave') {
    const reader: BodyReader = bodyReaderFor(app);
    app.addContentTypeParser('application/json', (request, payload, done) => {
      const buffered = reader.takeBuffered(request, payload);
      if (buffered !== undefined) {
        taken.buffered++;
        done(null, { text: buffered });
        return;
      }
      reader.read(request, payload, (error, text) => (error ? done(error) : done(null, { text })));
    });
  } else {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) =>
      done(null, { text }),
    );
  }
  app.addHook('onRequest', async () => {});
  app.post('/text', async (request) => request.body);
  app.post('/small', { bodyLimit: ROUTE_LIMIT }, async (request) => request.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return address.port;
}

/** Writes `parts` to a new connection (with a pause between them) and resolves with the raw answer. */
function exchange(port: number, parts: readonly (string | Buffer)[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(received).toString('utf8')));
    socket.once('connect', async () => {
      for (const [index, part] of parts.entries()) {
        if (index > 0) await new Promise((wait) => setTimeout(wait, 20));
        socket.write(part);
      }
    });
  });
}

/** Status line and body of an answer (the headers carry a date). */
function essence(answer: string): { status: string; body: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: head.split('\r\n')[0] ?? '', body };
}

function request(path: string, body: Buffer, extraHeaders = ''): string {
  return `POST ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n${extraHeaders}content-length: ${body.length}\r\n\r\n`;
}

describe('reading request bodies', () => {
  const taken = { buffered: 0 };
  let cleave: FastifyInstance;
  let fastify: FastifyInstance;
  beforeAll(async () => {
    cleave = await textApp('cleave', taken);
    fastify = await textApp('fastify', { buffered: 0 });
  });
  afterAll(async () => {
    await cleave.close();
    await fastify.close();
  });

  const cafe = Buffer.from('{"name":"café ☕"}');
  const cases: [string, (port: number) => Promise<string>][] = [
    [
      'a body sent with its headers',
      (port) => exchange(port, [Buffer.concat([Buffer.from(request('/text', cafe)), cafe])]),
    ],
    ['a body sent after its headers', (port) => exchange(port, [request('/text', cafe), cafe])],
    [
      'a body split inside a UTF-8 character',
      (port) =>
        exchange(port, [
          Buffer.concat([Buffer.from(request('/text', cafe)), cafe.subarray(0, 15)]),
          cafe.subarray(15),
        ]),
    ],
    [
      'a chunked body',
      (port) =>
        exchange(port, [
          'POST /text HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n',
        ]),
    ],
    ['an empty body', (port) => exchange(port, [request('/text', Buffer.alloc(0))])],
    [
      "a body over the server's limit",
      (port) => {
        const big = Buffer.from(`{"a":"${'x'.repeat(2000)}"}`);
        return exchange(port, [Buffer.concat([Buffer.from(request('/text', big)), big])]);
      },
    ],
    [
      "a body over the route's limit",
      (port) => {
        const body = Buffer.from(`{"a":"${'x'.repeat(ROUTE_LIMIT)}"}`);
        return exchange(port, [Buffer.concat([Buffer.from(request('/small', body)), body])]);
      },
    ],
    [
      "a body within the route's limit",
      (port) => {
        const body = Buffer.from('{"a":1}');
        return exchange(port, [Buffer.concat([Buffer.from(request('/small', body)), body])]);
      },
    ],
    [
      'a chunked body over the limit',
      (port) =>
        exchange(port, [
          `POST /small HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n50\r\n${'x'.repeat(80)}\r\n0\r\n\r\n`,
        ]),
    ],
  ];

  it.each(cases)('answers %s as Fastify’s own reading does', async (_name, send) => {
    const [ours, reference] = await Promise.all([send(portOf(cleave)), send(portOf(fastify))]);
    expect(essence(ours)).toEqual(essence(reference));
    expect(essence(reference).status).not.toBe('');
  });

  it('takes a body that arrived with its headers without waiting for stream events', async () => {
    const before = taken.buffered;
    const answer = await exchange(portOf(cleave), [
      Buffer.concat([Buffer.from(request('/text', cafe)), cafe]),
    ]);
    expect(essence(answer)).toEqual({
      status: 'HTTP/1.1 200 OK',
      body: JSON.stringify({ text: cafe.toString() }),
    });
    expect(taken.buffered).toBe(before + 1);
  });

  it('still ends and closes the request after taking its body', async () => {
    const app = Fastify({ logger: false });
    const reader = bodyReaderFor(app);
    const events: string[] = [];
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', (request, payload, done) => {
      const text = reader.takeBuffered(request, payload);
      events.push(text === undefined ? 'not buffered' : 'buffered');
      done(null, { text });
    });
    app.addHook('onRequest', async (request) => {
      request.raw.on('end', () => events.push('end'));
      request.raw.on('close', () => events.push('close'));
    });
    app.post('/text', async (request) => request.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const body = Buffer.from('{"a":1}');
      await exchange(portOf(app), [Buffer.concat([Buffer.from(request('/text', body)), body])]);
      await new Promise((wait) => setTimeout(wait, 50));
      expect(events).toEqual(['buffered', 'end', 'close']);
    } finally {
      await app.close();
    }
  });
});
