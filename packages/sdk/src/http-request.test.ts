import { describe, expect, it } from 'vitest';
import { apiUrl, parseRetryAfter } from './http-request.js';

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});

describe('apiUrl', () => {
  it('joins the host and the API path, with or without a trailing slash', () => {
    expect(apiUrl('https://cleave.example.com/', '/sdk/config')).toBe(
      'https://cleave.example.com/api/v1/sdk/config',
    );
    expect(apiUrl('http://127.0.0.1:8080', '/events')).toBe('http://127.0.0.1:8080/api/v1/events');
  });
});
