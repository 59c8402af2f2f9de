/**
 * @module Telling a client from client options (providers accept either).
 */
import { CleaveClient } from '../client.js';

/** A CleaveClient, including one from another copy of the package (duck-typed). */
export function isClient(value: unknown): value is CleaveClient {
  if (value instanceof CleaveClient) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CleaveClient).getBooleanDetails === 'function' &&
    typeof (value as CleaveClient).ready === 'function'
  );
}
