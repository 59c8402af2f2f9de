/**
 * @module A real HTTP server implementing the SDK's server contract, for SDK tests:
 * `GET /api/v1/sdk/config` (ETag, 304), `GET /api/v1/sdk/stream` (SSE with Last-Event-ID, pushes,
 * kills, failures, silence) and `POST /api/v1/events` (recorded batches, forced 503/429/413).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ConfigPayload } from '@cleave/core';
import type { SdkEvent } from '../events/event-types.js';

export const TEST_SDK_KEY = 'sdk-test-key';

export interface ForcedResponse {
  readonly status: number;
  readonly retryAfter?: string;
  readonly body?: unknown;
}

export interface StreamConnectionRecord {
  readonly lastEventId: string | undefined;
  readonly authorization: string | undefined;
  readonly at: number;
}

export interface ConfigRequestRecord {
  readonly ifNoneMatch: string | undefined;
  readonly status: number;
}

export class ContractServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #streams = new Set<ServerResponse>();
  #port = 0;
  /** What `/sdk/config` serves and the stream pushes: a payload, or any JSON value to test refusals. */
  #config: unknown;
  #version: number;

  /** `ok`, or `error` (503 for every request), or `silent` (stream: 200 and then nothing). */
  configMode: 'ok' | 'error' = 'ok';
  streamMode: 'ok' | 'error' | 'silent' = 'ok';
  /** The `retry:` hint sent at stream start. */
  retryHintMs = 50;
  /** Batches larger than this get 413. */
  maxEventsPerRequest = 500;
  /** Responses the events endpoint gives next, before accepting again. */
  readonly forcedEventResponses: ForcedResponse[] = [];
  /** Every batch the events endpoint accepted (202). */
  readonly batches: SdkEvent[][] = [];
  /** Every events request, with the status it got. */
  readonly eventRequests: { size: number; status: number; at: number }[] = [];
  readonly configRequests: ConfigRequestRecord[] = [];
  readonly streamConnections: StreamConnectionRecord[] = [];

  private constructor(config: ConfigPayload) {
    this.#config = config;
    this.#version = config.version;
    this.#server = createServer((request, response) => this.#handle(request, response));
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(config: ConfigPayload, port = 0): Promise<ContractServer> {
    const server = new ContractServer(config);
    await server.listen(port);
    return server;
  }

  /** A port with nothing listening (yet): to start clients against a server that is down. */
  static async freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  get events(): SdkEvent[] {
    return this.batches.flat();
  }

  async listen(port = this.#port): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening and cuts every connection (the server is "down"); `listen()` brings it back. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#streams.clear();
    await closed;
  }

  /** Serves a new payload and pushes it to every open stream. */
  publish(payload: ConfigPayload): void {
    this.#config = payload;
    this.#version = payload.version;
    for (const stream of this.#streams) this.#sendConfig(stream);
  }

  /** Serves and pushes anything (an invalid payload) under a new version number. */
  publishRaw(config: unknown, version: number): void {
    this.#config = config;
    this.#version = version;
    for (const stream of this.#streams) this.#sendConfig(stream);
  }

  /** Sends a raw frame to every open stream. */
  pushRaw(frame: string): void {
    for (const stream of this.#streams) stream.write(frame);
  }

  /** Drops every open stream connection (as a crashed proxy would). */
  killStreams(): void {
    for (const stream of this.#streams) stream.socket?.destroy();
    this.#streams.clear();
  }

  #authorized(request: IncomingMessage, url: URL): boolean {
    return (
      request.headers.authorization === `Bearer ${TEST_SDK_KEY}` ||
      url.searchParams.get('key') === TEST_SDK_KEY
    );
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!this.#authorized(request, url)) {
      sendJson(response, 401, { error: { code: 'unauthorized', message: 'invalid SDK key' } });
    } else if (request.method === 'GET' && url.pathname === '/api/v1/sdk/config') {
      this.#handleConfig(request, response);
    } else if (request.method === 'GET' && url.pathname === '/api/v1/sdk/stream') {
      this.#handleStream(request, response);
    } else if (request.method === 'POST' && url.pathname === '/api/v1/events') {
      this.#handleEvents(request, response);
    } else {
      sendJson(response, 404, { error: { code: 'not_found', message: 'no such route' } });
    }
  }

  #handleConfig(request: IncomingMessage, response: ServerResponse): void {
    const ifNoneMatch = request.headers['if-none-match'];
    const record = (status: number) => this.configRequests.push({ ifNoneMatch, status });
    if (this.configMode === 'error') {
      record(503);
      sendJson(response, 503, { error: { code: 'unavailable', message: 'config store down' } });
      return;
    }
    const etag = `"${this.#version}"`;
    if (ifNoneMatch === etag) {
      record(304);
      response.writeHead(304, { ETag: etag }).end();
      return;
    }
    record(200);
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ETag: etag });
    response.end(JSON.stringify(this.#config));
  }

  #handleStream(request: IncomingMessage, response: ServerResponse): void {
    const lastEventId = request.headers['last-event-id'];
    this.streamConnections.push({
      lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
      authorization: request.headers.authorization,
      at: Date.now(),
    });
    if (this.streamMode === 'error') {
      sendJson(response, 503, { error: { code: 'unavailable', message: 'stream unavailable' } });
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'close',
    });
    response.flushHeaders();
    if (this.streamMode === 'silent') {
      this.#streams.add(response);
      response.on('close', () => this.#streams.delete(response));
      return;
    }
    response.write(`retry: ${this.retryHintMs}\n\n`);
    this.#streams.add(response);
    response.on('close', () => this.#streams.delete(response));
    if (lastEventId !== String(this.#version)) this.#sendConfig(response);
  }

  #sendConfig(stream: ServerResponse): void {
    stream.write(`event: config\nid: ${this.#version}\ndata: ${JSON.stringify(this.#config)}\n\n`);
  }

  #handleEvents(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let events: SdkEvent[] = [];
      try {
        events = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: SdkEvent[] }).events;
      } catch {
        this.eventRequests.push({ size: 0, status: 400, at: Date.now() });
        sendJson(response, 400, { error: { code: 'invalid_body', message: 'not JSON' } });
        return;
      }
      const forced = this.forcedEventResponses.shift();
      if (forced !== undefined) {
        this.eventRequests.push({ size: events.length, status: forced.status, at: Date.now() });
        const headers: Record<string, string> = {};
        if (forced.retryAfter !== undefined) headers['Retry-After'] = forced.retryAfter;
        sendJson(
          response,
          forced.status,
          forced.body ?? { error: { code: 'forced', message: 'forced by the test' } },
          headers,
        );
        return;
      }
      if (events.length > this.maxEventsPerRequest) {
        this.eventRequests.push({ size: events.length, status: 413, at: Date.now() });
        sendJson(response, 413, { error: { code: 'batch_too_large', message: 'too many events' } });
        return;
      }
      this.eventRequests.push({ size: events.length, status: 202, at: Date.now() });
      this.batches.push(events);
      sendJson(response, 202, { accepted: events.length, duplicates: 0, rejected: [] });
    });
  }
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}
