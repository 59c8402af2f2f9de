/**
 * @module features/webhooks/url-redaction
 * Webhook URLs are secrets in practice: receivers authenticate callers by a token in the path or
 * query (`https://hooks.example.com/services/T0/B0/XXXX`, `?token=…`). Whoever may not manage
 * webhooks sees only where deliveries go (scheme and host), never the rest.
 */

export const REDACTED_PATH = '/[redacted]';

export function redactWebhookUrl(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}${REDACTED_PATH}`;
  } catch {
    return REDACTED_PATH;
  }
}

/** A webhook (or anything shaped like one) with its URL redacted; other values pass unchanged. */
export function redactWebhook(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('url' in value)) return value;
  const { url } = value as { url: unknown };
  return { ...value, url: typeof url === 'string' ? redactWebhookUrl(url) : url };
}

/** Credentials in the URL (`https://user:pass@host/`) would be stored and shown as plain text. */
export function hasUserInfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
