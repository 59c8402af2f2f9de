/**
 * @module UTF-8 encoding into a caller-owned buffer.
 *
 * Hashing runs on every evaluation, but only unit ids with non-ASCII characters are encoded at all
 * (hash-bucket.ts hashes ASCII ids from their char codes): for those, `encodeInto` writing into a
 * scratch buffer, through one subarray view, costs less than the bundle bytes of a hand-written
 * encoder (issue #14). `TextEncoder` replaces lone surrogates by U+FFFD (EF BF BD), as the
 * WHATWG spec says; the tests check the bytes.
 */

const encoder = new TextEncoder();

/** The UTF-8 bytes of `text`, exactly as `TextEncoder` produces them (allocates; not for hot paths). */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The most bytes `text` can take in UTF-8: each UTF-16 code unit needs at most three. */
export function maxUtf8Length(text: string): number {
  return text.length * 3;
}

/**
 * Writes the UTF-8 encoding of `text` into `target` from `offset` and returns the offset after
 * the last byte written. The caller guarantees `target.length >= offset + maxUtf8Length(text)`.
 */
export function encodeUtf8Into(text: string, target: Uint8Array, offset: number): number {
  return offset + encoder.encodeInto(text, target.subarray(offset)).written;
}
