import { describe, expect, it } from 'vitest';
import { utf8Bytes } from './encode-utf8.js';
import { murmur3X86_32 } from './murmur3.js';

// Reference values of MurmurHash3_x86_32 as computed by Austin Appleby's SMHasher
// (src/MurmurHash3.cpp), collected in the widely cited test-vector list by Ian Boyd
// (https://stackoverflow.com/a/31929528) and on Wikipedia's MurmurHash page.
const REFERENCE: [string, number, number][] = [
  ['', 0, 0x00000000],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['hello', 0, 0x248bfa47],
  ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ['test', 0, 0xba6bd213],
  ['Hello, world!', 0, 0xc0363e43],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['abc', 0, 0xb3dd93fa],
];

describe('murmur3X86_32', () => {
  it.each(REFERENCE)('hashes %j with seed %i to the reference value', (text, seed, expected) => {
    expect(murmur3X86_32(utf8Bytes(text), undefined, seed)).toBe(expected);
  });

  it('hashes only the first `length` bytes of a buffer', () => {
    const buffer = new Uint8Array(64);
    buffer.set(utf8Bytes('hello'));
    expect(murmur3X86_32(buffer, 5)).toBe(0x248bfa47);
  });

  it('always returns an unsigned 32-bit integer', () => {
    for (let i = 0; i < 1000; i++) {
      const hash = murmur3X86_32(utf8Bytes(`unit-${i}`));
      expect(Number.isInteger(hash) && hash >= 0 && hash <= 0xffffffff).toBe(true);
    }
  });
});
