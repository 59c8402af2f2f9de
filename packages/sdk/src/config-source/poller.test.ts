import { afterEach, describe, expect, it, vi } from 'vitest';
import { Poller } from './poller.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Poller', () => {
  it('starts an immediate first poll synchronously, not on a timer (a Node script must not exit first)', () => {
    vi.useFakeTimers();
    const poll = vi.fn(() => Promise.resolve());
    const poller = new Poller(30_000, poll);
    poller.start({ immediately: true });
    // No timer has run: the SDK's timers are unref'd and would not keep a process alive.
    expect(poll).toHaveBeenCalledTimes(1);
    poller.stop();
  });

  it('polls again intervalMs after the previous poll finished, and not after stop()', async () => {
    vi.useFakeTimers();
    const poll = vi.fn(() => Promise.resolve());
    const poller = new Poller(1_000, poll);
    poller.start({ immediately: false });
    expect(poll).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(poll).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(poll).toHaveBeenCalledTimes(2);
    poller.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(poll).toHaveBeenCalledTimes(2);
  });

  it('goes on polling after a poll that throws', async () => {
    vi.useFakeTimers();
    const poll = vi.fn((): Promise<void> => {
      throw new Error('broken');
    });
    const poller = new Poller(1_000, poll);
    poller.start({ immediately: true });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(poll).toHaveBeenCalledTimes(2);
    poller.stop();
  });
});
