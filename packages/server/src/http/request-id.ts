/**
 * @module request-id
 * Request ids tie every log line of a request together and are echoed to the client in
 * `x-request-id`. A caller's own id is kept when it looks safe, so ids can follow a request across
 * services; anything else is replaced, so logs can't be polluted through the header.
 */
import type { IncomingMessage } from 'node:http';
import { uuidv7 } from 'uuidv7';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : uuidv7();
}
