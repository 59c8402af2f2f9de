/**
 * @module Buckets: a unit's position in [0, 1) for one salt.
 *
 * Hash version 1: `bucket = murmur3_x86_32(utf8(salt + ":" + unitId), seed 0) / 2^32`.
 * The salt says what the bucket is for (an experiment's variations, its coverage, a rollout, a
 * layer, a holdout; see hash-salts.ts), so one unit gets independent buckets for each purpose.
 */
import { encodeUtf8Into, maxUtf8Length, utf8Bytes } from './encode-utf8.js';
import { finishHash, mixBlock } from './murmur3.js';

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

type HashState = Pick<HashSalt, 'state' | 'carry' | 'carryLength'>;

/** Runs murmur3's block mixing over `bytes[0, length)`, continuing from `from`. */
function absorb(from: HashState, bytes: Uint8Array, length: number): HashState {
  let state = from.state;
  let carry = from.carry;
  let shift = from.carryLength * 8;
  for (let i = 0; i < length; i++) {
    carry |= (bytes[i] ?? 0) << shift;
    shift += 8;
    if (shift === 32) {
      state = mixBlock(state, carry);
      carry = 0;
      shift = 0;
    }
  }
  return { state, carry, carryLength: shift >>> 3 };
}

/** Pre-encodes a salt; do this when compiling a config, not per evaluation. */
export function createHashSalt(salt: string): HashSalt {
  const prefix = utf8Bytes(`${salt}:`);
  const { state, carry, carryLength } = absorb({ state: 0, carry: 0, carryLength: 0 }, prefix, prefix.length);
  return { salt, prefix, state, carry, carryLength };
}

// One scratch buffer for every non-ASCII unit id: JavaScript runs one hash at a time and hashing
// never calls out, so sharing it is safe.
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
  return finishHash(state, block, salt.prefix.length + length);
}

/** `hashUnit` for unit ids with characters beyond ASCII: encoded to UTF-8, then hashed on from the salt's state. */
function hashEncoded(salt: HashSalt, unitId: string): number {
  const needed = maxUtf8Length(unitId);
  if (needed > scratch.length) scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
  const length = encodeUtf8Into(unitId, scratch, 0);
  const { state, carry } = absorb(salt, scratch, length);
  return finishHash(state, carry, salt.prefix.length + length);
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
