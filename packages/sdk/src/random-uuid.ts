/**
 * @module Event ids: random UUIDs, generated client-side so that a retried batch is idempotent
 * on the server (it de-duplicates by id).
 */

/**
 * A version 4 UUID (RFC 9562 §5.4) from `crypto.getRandomValues`, which every supported runtime
 * has (Node ≥ 20, every browser, secure context or not; `crypto.randomUUID` is only offered in
 * secure contexts, so building it here serves plain-http pages too).
 */
export function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // Version 4 in the 7th byte's high nibble, RFC 9562's variant in the 9th byte's two high bits.
  bytes[6] = ((bytes[6] as number) & 15) | 64;
  bytes[8] = ((bytes[8] as number) & 63) | 128;
  let id = '';
  for (let i = 0; i < 16; i++)
    id +=
      (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') +
      ((bytes[i] as number) + 256).toString(16).slice(1);
  return id;
}
