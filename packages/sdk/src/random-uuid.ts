/**
 * @module Event ids: random UUIDs, generated client-side so that a retried batch is idempotent
 * on the server (it de-duplicates by id).
 */

function formatUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A version 4 UUID: `crypto.randomUUID()` where available. Browsers only offer it in secure
 * contexts (https, localhost), so elsewhere the UUID is built from `crypto.getRandomValues`
 * (RFC 9562 §5.4), and from `Math.random` as a last resort (ids stay unique enough to
 * de-duplicate retries; they need not be unguessable).
 */
export function randomUuid(): string {
  const source: Partial<Crypto> | undefined = globalThis.crypto;
  if (typeof source?.randomUUID === 'function') return source.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof source?.getRandomValues === 'function') source.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return formatUuid(bytes);
}
