/**
 * @module UTF-8 encoding into a caller-owned buffer.
 *
 * Hashing runs on every evaluation; `TextEncoder.encode` would allocate a fresh array per call,
 * and `encodeInto` needs a subarray view (another allocation) to write after a prefix. This
 * encoder writes straight into a scratch buffer and matches `TextEncoder` byte for byte,
 * including its replacement of lone surrogates by U+FFFD (EF BF BD), which the tests check.
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
  let at = offset;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      target[at++] = unit;
    } else if (unit < 0x800) {
      target[at++] = 0xc0 | (unit >> 6);
      target[at++] = 0x80 | (unit & 0x3f);
    } else if (unit < 0xd800 || unit > 0xdfff) {
      target[at++] = 0xe0 | (unit >> 12);
      target[at++] = 0x80 | ((unit >> 6) & 0x3f);
      target[at++] = 0x80 | (unit & 0x3f);
    } else {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const codePoint = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
        target[at++] = 0xf0 | (codePoint >> 18);
        target[at++] = 0x80 | ((codePoint >> 12) & 0x3f);
        target[at++] = 0x80 | ((codePoint >> 6) & 0x3f);
        target[at++] = 0x80 | (codePoint & 0x3f);
        i++;
      } else {
        // A lone surrogate is not valid UTF-16; TextEncoder (and the WHATWG spec) emit U+FFFD.
        target[at++] = 0xef;
        target[at++] = 0xbf;
        target[at++] = 0xbd;
      }
    }
  }
  return at;
}
