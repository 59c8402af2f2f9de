/**
 * @module Buckets: a unit's position in [0, 1) for one salt.
 *
 * Hash version 1: `bucket = murmur3_x86_32(utf8(salt + ":" + unitId), seed 0) / 2^32`.
 * The salt says what the bucket is for (an experiment's variations, its coverage, a rollout, a
 * layer, a holdout; see hash-salts.ts), so one unit gets independent buckets for each purpose.
 */
import { encodeUtf8Into, maxUtf8Length, utf8Bytes } from './encode-utf8.js';
import { finishHash, mixBlock, murmur3X86_32 } from './murmur3.js';

/** 2^32: dividing an unsigned 32-bit hash by it maps it into [0, 1) exactly (doubles hold 53 bits). */
const TWO_POW_32 = 4294967296;

/**
 * A salt compiled once: the UTF-8 bytes of `salt + ":"`, and murmur3 already run over them, so
 * that evaluation hashes only the unit id: `state` after the prefix's whole 4-byte blocks, and
 * the 0–3 bytes left over (`carryLength`), packed little-endian in `carry`.
 */
export interface HashSalt {
  readonly salt: string;
  readonly prefix: Uint8Array;
  readonly state: number;
  readonly carry: number;
  readonly carryLength: number;
}

/** Pre-encodes a salt; do this when compiling a config, not per evaluation. */
export function createHashSalt(salt: string): HashSalt {
  const prefix = utf8Bytes(`${salt}:`);
  const blockEnd = prefix.length & ~3;
  let state = 0;
  for (let i = 0; i < blockEnd; i += 4) {
    state = mixBlock(
      state,
      (prefix[i] ?? 0) |
        ((prefix[i + 1] ?? 0) << 8) |
        ((prefix[i + 2] ?? 0) << 16) |
        ((prefix[i + 3] ?? 0) << 24),
    );
  }
  let carry = 0;
  for (let i = blockEnd; i < prefix.length; i++) carry |= (prefix[i] ?? 0) << ((i - blockEnd) * 8);
  return { salt, prefix, state, carry, carryLength: prefix.length - blockEnd };
}

// One scratch buffer for every hash: JavaScript runs one hash at a time and hashing never calls
// out, so sharing it is safe and evaluation allocates nothing to hash.
let scratch = new Uint8Array(256);

/**
 * The 32-bit hash of `salt:unitId` (hash version 1). An ASCII unit id (the usual kind) is hashed
 * from its characters as they are read, continuing from the salt's precomputed state: no bytes
 * are copied or encoded. Any other goes through UTF-8 encoding.
 */
export function hashUnit(salt: HashSalt, unitId: string): number {
  let state = salt.state;
  let block = salt.carry;
  let shift = salt.carryLength * 8;
  const length = unitId.length;
  for (let i = 0; i < length; i++) {
    const unit = unitId.charCodeAt(i);
    if (unit >= 0x80) return hashEncoded(salt, unitId);
    block |= unit << shift;
    shift += 8;
    if (shift === 32) {
      state = mixBlock(state, block);
      block = 0;
      shift = 0;
    }
  }
  return finishHash(state, block, shift >>> 3, salt.prefix.length + length);
}

/** `hashUnit` for unit ids with characters beyond ASCII: encoded to UTF-8, then hashed whole. */
function hashEncoded(salt: HashSalt, unitId: string): number {
  const prefixLength = salt.prefix.length;
  const needed = prefixLength + maxUtf8Length(unitId);
  if (needed > scratch.length) scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
  scratch.set(salt.prefix, 0);
  const end = encodeUtf8Into(unitId, scratch, prefixLength);
  return murmur3X86_32(scratch, end, 0);
}

/**
 * The unit's bucket in [0, 1) for a compiled salt.
 *
 * @example
 * const salt = createHashSalt('checkout-button');
 * bucketOf(salt, 'user-42'); // same number in every process, SDK and version
 */
export function bucketOf(salt: HashSalt, unitId: string): number {
  return hashUnit(salt, unitId) / TWO_POW_32;
}

/**
 * Convenience form of {@link bucketOf} for one-off use (encodes the salt on every call).
 *
 * @example
 * hashBucket('checkout-button', 'user-42'); // ∈ [0, 1)
 */
export function hashBucket(salt: string, unitId: string): number {
  return bucketOf(createHashSalt(salt), unitId);
}
