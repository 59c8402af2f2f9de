/**
 * @module features/webhooks/signature
 * How a receiver knows a delivery came from Cleave and is fresh (the scheme of Stripe's webhooks):
 *
 *   x-cleave-timestamp: <unix seconds when this attempt was sent>
 *   x-cleave-signature: sha256=<hex HMAC-SHA256(key = the webhook secret, message = "<timestamp>.<raw body>")>
 *
 * The timestamp is inside the signed message, so an attacker who captured a delivery cannot replay it
 * later with a fresh timestamp: receivers reject timestamps older than a few minutes. Receivers must
 * compute the HMAC over the raw request bytes (not re-serialised JSON) and compare in constant time.
 * `docs/webhooks.md` shows verification code; keep the two in step.
 */
import { createHmac } from 'node:crypto';
import { randomToken } from '../auth/secrets.js';

export const SIGNATURE_HEADER = 'x-cleave-signature';
export const TIMESTAMP_HEADER = 'x-cleave-timestamp';
export const EVENT_HEADER = 'x-cleave-event';
export const DELIVERY_HEADER = 'x-cleave-delivery';

/** `clv_whsec_` + 256 random bits: recognisable to secret scanners, like API keys. */
export function newWebhookSecret(): string {
  return `clv_whsec_${randomToken(32)}`;
}

/** The `x-cleave-signature` value for one attempt. */
export function signWebhookPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
