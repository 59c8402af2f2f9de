/**
 * @module http/client-error
 * Answers requests Node's HTTP parser refuses before Fastify sees them — headers or a URL over the
 * size limit (431), a request that took too long to arrive (408), malformed HTTP (400) — with
 * Cleave's error body and a request id, like every other 4xx, instead of Fastify's own body.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { uuidv7 } from 'uuidv7';
import type { ErrorBody } from './errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';

interface ClientErrorAnswer {
  status: number;
  code: string;
  message: string;
}

function answerFor(error: NodeJS.ErrnoException): ClientErrorAnswer {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'headers_too_large',
        message: 'The URL and headers together exceed the 16 KB the server accepts; shorten the URL.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'The request did not arrive in time.' };
    default:
      return { status: 400, code: 'bad_request', message: 'The request is not valid HTTP.' };
  }
}

/** For Fastify's `clientErrorHandler` option (bound to the instance, hence `log`). */
export function clientErrorHandler(
  this: { log: FastifyBaseLogger },
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  // The peer is gone: there is nobody to answer (Node's own behaviour).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = answerFor(error);
  const requestId = uuidv7();
  this.log.debug({ err: error, requestId }, `client error ${answer.status}`);
  if (socket.writable) {
    const body: ErrorBody = { error: { code: answer.code, message: answer.message } };
    const json = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}
