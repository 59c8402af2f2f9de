/**
 * @module MurmurHash3 x86 32-bit, the hash behind every Cleave assignment.
 *
 * Reference: Austin Appleby, SMHasher, `MurmurHash3.cpp` (`MurmurHash3_x86_32`), public domain,
 * https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp. Any SDK that implements
 * that function over the same bytes reproduces Cleave's buckets (see docs/hashing.md).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * Hashes the first `length` bytes of `bytes` with MurmurHash3 x86 32-bit.
 *
 * `length` lets callers hash a prefix of a reusable scratch buffer without slicing it.
 * `Math.imul` gives the 32-bit wrapping multiplication the C reference relies on.
 *
 * @returns an unsigned 32-bit integer
 * @example
 * murmur3X86_32(new TextEncoder().encode('hello')); // 0x248bfa47
 */
export function murmur3X86_32(bytes: Uint8Array, length: number = bytes.length, seed = 0): number {
  let h = seed | 0;
  const blockEnd = length & ~3;
  let i = 0;
  for (; i < blockEnd; i += 4) {
    let k =
      (bytes[i] ?? 0) |
      ((bytes[i + 1] ?? 0) << 8) |
      ((bytes[i + 2] ?? 0) << 16) |
      ((bytes[i + 3] ?? 0) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= (bytes[i + 2] ?? 0) << 16;
    if (tail >= 2) k ^= (bytes[i + 1] ?? 0) << 8;
    k ^= bytes[i] ?? 0;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
