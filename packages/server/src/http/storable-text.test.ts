import { describe, expect, it } from 'vitest';
import { hasUnstorableText, isStorableJson, isStorableText } from './storable-text.js';

describe('storable text', () => {
  it('refuses NUL and unpaired surrogates, keeps pairs and everything else', () => {
    expect(isStorableText('plain, ünïcode, 😀 (a surrogate pair)')).toBe(true);
    expect(isStorableText('\\u0000 written out')).toBe(true);
    for (const bad of ['a\u0000b', '\ud800', 'x\udc00', '\ud83dx', '😀\ude00'])
      expect(isStorableText(bad)).toBe(false);
  });

  it('reads JSON.stringify output exactly, escaped backslashes included', () => {
    const cases: Array<[unknown, boolean]> = [
      [{ a: 'fine 😀' }, true],
      [{ a: '\\u0000 as text' }, true],
      [{ a: '\\\\\ud800' }, false],
      [{ a: 'a\u0000' }, false],
      [{ 'k\ud800': 1 }, false],
      [['\udfff'], false],
    ];
    for (const [value, storable] of cases) {
      expect({ value, storable: isStorableJson(JSON.stringify(value)) }).toEqual({ value, storable });
      expect({ value, storable: !hasUnstorableText(value) }).toEqual({ value, storable });
    }
  });
});
