import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const policy = { initialDelayMs: 500, maxDelayMs: 30_000 };

describe('backoffDelay', () => {
  it('draws uniformly below initial · 2^attempt', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(0);
    expect(backoffDelay(0, policy, () => 0.999)).toBe(499);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2_000);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(backoffDelay(10, policy, () => 0.999)).toBe(29_970);
    expect(backoffDelay(10_000, policy, () => 0.999)).toBe(29_970);
    for (let attempt = 0; attempt < 50; attempt++) {
      const delay = backoffDelay(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(30_000);
    }
  });
});
