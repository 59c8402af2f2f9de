import { afterEach, describe, expect, it, vi } from 'vitest';
import { reconnectDelay, type StreamRetryOptions } from './config-synchronizer.js';

const retry: StreamRetryOptions = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  unreachableMaxDelayMs: 1_000,
  pollingFallbackAfter: 3,
};
const almostOne = () => 0.999_999;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('reconnectDelay', () => {
  it('backs a server that answers with errors off up to maxDelayMs', () => {
    expect(reconnectDelay(10, { responded: true }, retry, undefined, almostOne)).toBeGreaterThan(29_000);
  });

  it('keeps trying within unreachableMaxDelayMs while the server gives no answer at all', () => {
    for (const attempt of [0, 3, 10, 30]) {
      expect(reconnectDelay(attempt, { responded: false }, retry, undefined, almostOne)).toBeLessThan(1_000);
    }
    // The server's retry hint still sets the first window.
    expect(reconnectDelay(0, { responded: false }, retry, 50, almostOne)).toBeLessThan(50);
  });

  it('backs off fully on a device that knows it is offline', () => {
    vi.stubGlobal('navigator', { onLine: false });
    expect(reconnectDelay(10, { responded: false }, retry, undefined, almostOne)).toBeGreaterThan(29_000);
  });
});
