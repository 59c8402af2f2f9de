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
    const k =
      (bytes[i] ?? 0) |
      ((bytes[i + 1] ?? 0) << 8) |
      ((bytes[i + 2] ?? 0) << 16) |
      ((bytes[i + 3] ?? 0) << 24);
    h = mixBlock(h, k);
  }
  const tail = length & 3;
  let k = 0;
  if (tail === 3) k ^= (bytes[i + 2] ?? 0) << 16;
  if (tail >= 2) k ^= (bytes[i + 1] ?? 0) << 8;
  if (tail >= 1) k ^= bytes[i] ?? 0;
  return finishHash(h, k, length);
}

/** murmur3's scrambling of a 4-byte block (or of the packed tail, which scrambles 0 to 0). */
function scramble(k: number): number {
  const block = Math.imul(k, C1);
  return Math.imul((block << 15) | (block >>> 17), C2);
}

/** Mixes one 4-byte block `k` (little-endian) into the state `h`; returns the new state. */
export function mixBlock(h: number, k: number): number {
  const state = h ^ scramble(k);
  return (Math.imul((state << 13) | (state >>> 19), 5) + 0xe6546b64) | 0;
}

/**
 * The hash from the state `h` after the whole blocks, the 0–3 bytes left over packed
 * little-endian in `tail` (0 when none are), and the input's total length in bytes.
 */
export function finishHash(h: number, tail: number, length: number): number {
  let state = h ^ scramble(tail) ^ length;
  state ^= state >>> 16;
  state = Math.imul(state, 0x85ebca6b);
  state ^= state >>> 13;
  state = Math.imul(state, 0xc2b2ae35);
  state ^= state >>> 16;
  return state >>> 0;
}
