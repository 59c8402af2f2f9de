/**
 * @module features/auth/secrets
 * Random tokens and their digests. Session tokens and API keys are 256-bit random values; only
 * their SHA-256 digests are stored. A fast hash is right here (unlike passwords): the input has
 * full entropy, so there is nothing to brute-force.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
