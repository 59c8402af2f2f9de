/**
 * @module http/request-body
 * Reads a request's body as text for a content-type parser, with the answers Fastify's own
 * `parseAs: 'string'` reading gives (the same limits, the same errors), and one shortcut.
 *
 * Fastify reads every body through stream events: three listeners added and removed, `resume()`,
 * `data` on the next tick and `end` on another, a chunk array and closures per request. An SDK's
 * evaluation request is a few hundred bytes that arrive with the headers, so by the time the
 * parser runs (after the asynchronous `onRequest` hooks) Node's HTTP parser has usually buffered
 * the whole body. Such a body is taken with one synchronous `read()`; any other (still arriving,
 * transformed by a `preParsing` stream, chunked, over a limit) is read as Fastify reads it.
 */
import type { IncomingMessage } from 'node:http';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';

type Done = (error: Error | null, body?: string) => void;

/** What a `preParsing` hook may return in place of the request (Fastify counts its encoded bytes). */
type BodyStream = NodeJS.ReadableStream & {
  receivedEncodedLength?: number;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
};

export interface BodyReader {
  /** The body as UTF-8 text when it has fully arrived and is within every limit; else undefined. */
  takeBuffered(request: FastifyRequest, payload: BodyStream | undefined): string | undefined;
  /** Calls `done` with the body as UTF-8 text, or with Fastify's error for it. */
  read(request: FastifyRequest, payload: BodyStream | undefined, done: Done): void;
}

/**
 * A reader for `app`'s content-type parsers. It must be created before routes are added: it
 * learns each route's `bodyLimit` as the route is added, and takes a body synchronously only when
 * it is within every route's limit (so it never needs to look up which route it serves).
 */
export function bodyReaderFor(app: FastifyInstance): BodyReader {
  const serverLimit = app.initialConfig.bodyLimit ?? 1_048_576;
  let smallestLimit = serverLimit;
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit !== undefined && route.bodyLimit < smallestLimit) smallestLimit = route.bodyLimit;
  });
  return {
    takeBuffered(request, payload) {
      const raw = request.raw;
      const contentLength = Number(request.headers['content-length']);
      // Only the request itself (no preParsing stream), framed by Content-Length, and every byte
      // of it buffered already: Node's HTTP parser never buffers more than Content-Length bytes,
      // so nothing more can belong to this body (the message is marked complete a turn later).
      if (
        (payload === undefined || (payload as unknown) === raw) &&
        contentLength > 0 &&
        contentLength <= smallestLimit &&
        raw.readableLength === contentLength &&
        request.headers['transfer-encoding'] === undefined
      ) {
        const body = (raw.read() as Buffer).toString('utf8');
        // Flowing, the request still ends and closes as it does when Fastify reads it ('end',
        // then 'close', which Node and abort hooks wait for).
        raw.resume();
        return body;
      }
      return undefined;
    },
    read(request, payload, done) {
      readAsFastifyDoes(
        payload ?? request.raw,
        Number(request.headers['content-length']),
        request.routeOptions.bodyLimit ?? serverLimit,
        done,
      );
    },
  };
}

/** Fastify's `rawBody` for `parseAs: 'string'` (fastify/lib/content-type-parser.js), answer for answer. */
function readAsFastifyDoes(payload: BodyStream, contentLength: number, limit: number, done: Done): void {
  if (contentLength > limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    return;
  }
  let receivedLength = 0;
  const chunks: Buffer[] = [];
  const stop = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(received: Buffer | string): void {
    // A custom preParsing stream may still emit strings.
    const chunk = typeof received === 'string' ? Buffer.from(received) : received;
    receivedLength += chunk.length;
    const encodedLength = payload.receivedEncodedLength ?? 0;
    // The decoded length must stay within the limit too (a zip bomb).
    if (receivedLength > limit || encodedLength > limit) {
      stop();
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    chunks.push(chunk);
  }
  function onEnd(error?: Error & { statusCode?: number }): void {
    stop();
    if (error != null) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      done(error);
      return;
    }
    if (!Number.isNaN(contentLength) && (payload.receivedEncodedLength || receivedLength) !== contentLength) {
      done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      return;
    }
    // Decoded once, whole, so multi-byte characters split across chunks stay intact.
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, receivedLength);
    done(null, body.toString('utf8'));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  (payload as IncomingMessage).resume();
}
