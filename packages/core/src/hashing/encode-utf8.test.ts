import { describe, expect, it } from 'vitest';
import { encodeUtf8Into, maxUtf8Length, utf8Bytes } from './encode-utf8.js';

function encode(text: string): Uint8Array {
  const buffer = new Uint8Array(maxUtf8Length(text) + 4);
  const end = encodeUtf8Into(text, buffer, 2);
  return buffer.slice(2, end);
}

describe('encodeUtf8Into', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'user-42'],
    ['two-byte', 'Zürich ñ'],
    ['three-byte', '東京 €'],
    ['four-byte (surrogate pairs)', '😀 𝄞'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00b'],
    ['high surrogate at the end', 'ab\ud83d'],
    ['reversed pair', '\ude00\ud83d'],
  ])('matches TextEncoder for %s text', (_name, text) => {
    expect(encode(text)).toEqual(utf8Bytes(text));
  });

  it('matches TextEncoder on every BMP code unit', () => {
    let text = '';
    for (let unit = 0; unit < 0x10000; unit += 7) text += String.fromCharCode(unit);
    expect(encode(text)).toEqual(utf8Bytes(text));
  });
});
