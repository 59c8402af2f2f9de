/**
 * @module features/auth/sign-in-throttle
 * A budget of failed sign-ins per client address, across every email: the per-(address, email)
 * limit alone let one address try a password against any number of accounts. Past
 * `freeFailures`, each further failure doubles the wait before the address may try again (1 s,
 * 2 s, 4 s … up to `maxBackoffMs`); the count is forgotten after `forgetAfterMs` without failures.
 *
 * Only failures count, and a wrong password for a known account fails exactly like any password
 * for an unknown one (same answer, same hashing time), so the throttle reveals nothing about which
 * accounts exist. Successes don't reset the count: an attacker with one account of their own could
 * otherwise sign in to it between guesses.
 */
import type { RateCounter } from '../../ports/rate-counter.js';
import { clientAddressKey } from './client-address.js';

export interface SignInThrottleSettings {
  freeFailures: number;
  maxBackoffMs: number;
  forgetAfterMs: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleSettings = {
  freeFailures: 20,
  maxBackoffMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

export class SignInThrottle {
  constructor(
    private readonly counter: RateCounter,
    private readonly settings: SignInThrottleSettings = DEFAULT_SIGN_IN_THROTTLE,
  ) {}

  /** How long this address must still wait before its next attempt; 0 when it may try now. */
  async waitMs(address: string): Promise<number> {
    const blocked = await this.counter.peek(blockKey(address));
    return blocked.count > 0 ? blocked.resetInMs : 0;
  }

  async recordFailure(address: string): Promise<void> {
    const { count } = await this.counter.add(failuresKey(address), 1, this.settings.forgetAfterMs, {
      slide: true,
    });
    const beyond = count - this.settings.freeFailures;
    if (beyond <= 0) return;
    const backoffMs = Math.min(1_000 * 2 ** Math.min(beyond - 1, 30), this.settings.maxBackoffMs);
    await this.counter.add(blockKey(address), 1, backoffMs, { slide: true });
  }
}

const failuresKey = (address: string) => `sign-in:failures:${clientAddressKey(address)}`;
const blockKey = (address: string) => `sign-in:wait:${clientAddressKey(address)}`;
