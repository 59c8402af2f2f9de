/**
 * @module features/sdk-delivery/event-stream
 * Server-Sent Events over a hijacked Fastify reply: headers that stop proxies buffering, a
 * heartbeat comment so idle connections survive load balancers and clients can detect a dead
 * stream, and cleanup when either side goes away.
 */
import type { FastifyReply } from 'fastify';

export interface EventStream {
  send(event: { event?: string; id?: string | number; data: string }): void;
  close(): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

export interface EventStreamOptions {
  heartbeatMs: number;
  /** Reconnect delay suggested to clients. */
  retryMs: number;
}

export function openEventStream(reply: FastifyReply, options: EventStreamOptions): EventStream {
  reply.hijack();
  const response = reply.raw;
  // The reply is hijacked, so headers set by hooks (CORS) must be carried over by hand.
  const inherited = reply.getHeaders() as Record<string, string>;
  response.writeHead(200, {
    ...inherited,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // The socket ends with the stream, so shutdown never waits on an idle keep-alive SSE socket.
    connection: 'close',
    // nginx and some load balancers buffer responses unless told not to.
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  response.write(`retry: ${options.retryMs}\n\n`);

  const listeners: Array<() => void> = [];
  let closed = false;
  const heartbeat = setInterval(() => {
    if (!closed) response.write(': ping\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    // The client went away: release the socket now rather than when TCP notices.
    if (!response.writableEnded) response.destroy();
    for (const listener of listeners) listener();
  };
  reply.request.raw.on('close', finish);
  response.on('close', finish);
  response.on('error', finish);

  return {
    send({ event, id, data }) {
      if (closed) return;
      let frame = '';
      if (event) frame += `event: ${event}\n`;
      if (id !== undefined) frame += `id: ${id}\n`;
      // A data field may not contain newlines; each line gets its own `data:` prefix.
      for (const line of data.split('\n')) frame += `data: ${line}\n`;
      response.write(`${frame}\n`);
    },
    close() {
      // The socket goes with the stream: a stream socket is never reused, and shutdown must not wait for it.
      if (!closed) response.end(() => response.socket?.destroy());
      finish();
    },
    get closed() {
      return closed;
    },
    onClose(listener) {
      listeners.push(listener);
    },
  };
}
