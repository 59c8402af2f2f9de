import { describe, expect, it } from 'vitest';
import { formatVariantValue, parseVariantValue } from './variant-value.js';

describe('variant values as typed', () => {
  it('parses each type and refuses what does not fit it', () => {
    expect(parseVariantValue('boolean', 'true')).toEqual({ ok: true, value: true });
    expect(parseVariantValue('boolean', 'yes')).toEqual({ ok: false, message: 'must be true or false' });
    expect(parseVariantValue('number', '2.5')).toEqual({ ok: true, value: 2.5 });
    expect(parseVariantValue('number', '')).toMatchObject({ ok: false });
    expect(parseVariantValue('number', 'Infinity')).toMatchObject({ ok: false });
    expect(parseVariantValue('string', ' a b ')).toEqual({ ok: true, value: ' a b ' });
    expect(parseVariantValue('json', '{"a":[1,null]}')).toEqual({ ok: true, value: { a: [1, null] } });
    const broken = parseVariantValue('json', '{"a":');
    expect(broken.ok).toBe(false);
    expect(broken.ok === false && broken.message).toMatch(/^invalid JSON/);
  });

  it('formats values back into text that parses to the same value', () => {
    const value = { colours: ['red', 'blue'], size: 3 };
    const text = formatVariantValue('json', value);
    expect(parseVariantValue('json', text)).toEqual({ ok: true, value });
    expect(formatVariantValue('number', 4)).toBe('4');
    expect(formatVariantValue('boolean', false)).toBe('false');
  });
});
