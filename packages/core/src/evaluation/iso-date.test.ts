import { describe, expect, it } from 'vitest';
import { parseIsoDate } from './iso-date.js';

describe('parseIsoDate', () => {
  it.each([
    ['2025-03-01', Date.UTC(2025, 2, 1)],
    ['2025-03-01T12:30', Date.UTC(2025, 2, 1, 12, 30)],
    ['2025-03-01T12:30:15Z', Date.UTC(2025, 2, 1, 12, 30, 15)],
    ['2025-03-01T12:30:15.250Z', Date.UTC(2025, 2, 1, 12, 30, 15, 250)],
    ['2025-03-01T12:00:00+01:00', Date.UTC(2025, 2, 1, 11)],
    ['2025-03-01T12:00:00-05:30', Date.UTC(2025, 2, 1, 17, 30)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['0050-06-15', new Date(Date.UTC(2000, 5, 15)).setUTCFullYear(50)],
  ])('parses %s (no offset means UTC)', (text, expected) => {
    expect(parseIsoDate(text)).toBe(expected);
  });

  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-01-32',
    '2025-01-01T24:00',
    '2025-1-1',
    'yesterday',
    '',
    '1735689600000',
  ])('rejects %j', (text) => {
    expect(parseIsoDate(text)).toBeNaN();
  });
});
