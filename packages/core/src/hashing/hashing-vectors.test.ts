/**
 * Replays vectors/hashing.json: the guard that assignments stay the same across processes,
 * versions and SDKs. If this fails, units would move between variations: do not update the
 * file, introduce a new hash version instead (docs/hashing.md).
 */
import { describe, expect, it } from 'vitest';
import vectors from '../../vectors/hashing.json' with { type: 'json' };
import { utf8Bytes } from './encode-utf8.js';
import { bucketOf, createHashSalt, hashUnit } from './hash-bucket.js';
import { coverageSalt, holdoutSalt, layerSalt, rolloutSalt, variationSalt } from './hash-salts.js';
import { murmur3X86_32 } from './murmur3.js';
import { chooseVariation, variationRanges } from './variation-ranges.js';

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

const SALTS: Record<string, (seed: string) => string> = {
  variation: variationSalt,
  coverage: coverageSalt,
  rollout: rolloutSalt,
  layer: layerSalt,
  holdout: holdoutSalt,
};

describe('hashing vectors', () => {
  it('are spec version 1 for hash version 1', () => {
    expect(vectors.specVersion).toBe(1);
    expect(vectors.hashVersion).toBe(1);
  });

  it.each(vectors.murmur3.map((entry) => [entry.name, entry] as const))('murmur3: %s', (_name, entry) => {
    const bytes = utf8Bytes(entry.input);
    expect(hex(bytes)).toBe(entry.inputUtf8Hex);
    expect(murmur3X86_32(bytes, undefined, entry.seed)).toBe(entry.hash);
    expect(entry.hash.toString(16).padStart(8, '0')).toBe(entry.hashHex);
  });

  it.each(vectors.salts.map((entry) => [entry.purpose, entry.salt, entry] as const))(
    'salt: %s → %s',
    (purpose, salt, entry) => {
      expect(SALTS[purpose]?.(entry.seed)).toBe(salt);
    },
  );

  it.each(vectors.buckets.map((entry) => [entry.hashInput, entry] as const))(
    'bucket: %j',
    (_input, entry) => {
      const salt = createHashSalt(entry.salt);
      expect(`${entry.salt}:${entry.unitId}`).toBe(entry.hashInput);
      expect(hashUnit(salt, entry.unitId)).toBe(entry.hash);
      expect(bucketOf(salt, entry.unitId)).toBe(entry.bucket);
    },
  );

  it.each(vectors.variations.map((entry) => [entry.weights.join('/'), entry.bucket, entry] as const))(
    'variation: weights %s, bucket %d',
    (_weights, _bucket, entry) => {
      expect(chooseVariation(entry.bucket, variationRanges(entry.weights))).toBe(entry.variationIndex);
    },
  );

  it.each(vectors.assignments.map((entry) => [entry.unitId, entry] as const))(
    'assignment: %s',
    (unitId, entry) => {
      const coverageBucket = bucketOf(createHashSalt(coverageSalt(entry.seed)), unitId);
      const variationBucket = bucketOf(createHashSalt(variationSalt(entry.seed)), unitId);
      expect(coverageBucket).toBe(entry.coverageBucket);
      expect(variationBucket).toBe(entry.variationBucket);
      expect(coverageBucket < entry.coverage).toBe(entry.inCoverage);
      const index = entry.inCoverage
        ? chooseVariation(variationBucket, variationRanges(entry.weights))
        : null;
      expect(index).toBe(entry.variationIndex);
    },
  );
});
