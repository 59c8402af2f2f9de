/**
 * @module features/events/event-budget
 * How many events a key may send, counted in events (not requests) per minute, in two budgets:
 *
 * - per key: everything sent with the key, from every client (protects the pipeline and storage);
 * - per key and client address, for sdk keys only: an sdk key is public (every browser of the site
 *   holds it, thousands share it), so one client must not be able to spend the whole key's budget
 *   and lock every other browser out. Server keys are secret and usually sent from a few backends
 *   that forward many users' events, so they get the key budget alone.
 *
 * An empty batch costs nothing. Events refused for one budget are given back to the other, so a
 * client over its own budget never eats into the key's.
 */
import type { RateCounter } from '../../ports/rate-counter.js';
import { clientAddressKey } from '../auth/client-address.js';

export interface EventBudgetSettings {
  /** Events per minute per key, all clients together. */
  perKeyPerMinute: number;
  /** Events per minute per sdk key and client address. */
  perClientPerMinute: number;
}

export type EventBudgetAnswer =
  | { allowed: true }
  | { allowed: false; budget: 'key' | 'client'; limit: number; retryAfterMs: number };

const MINUTE_MS = 60_000;

export class EventBudget {
  constructor(
    private readonly counter: RateCounter,
    private readonly settings: EventBudgetSettings,
  ) {}

  async take(spend: {
    keyId: string;
    keyKind: 'sdk' | 'server';
    clientAddress: string;
    events: number;
  }): Promise<EventBudgetAnswer> {
    const { events } = spend;
    if (events <= 0) return { allowed: true };
    const keyCounter = `events:key:${spend.keyId}`;
    let clientCounter: string | undefined;
    if (spend.keyKind === 'sdk') {
      clientCounter = `events:client:${spend.keyId}:${clientAddressKey(spend.clientAddress)}`;
      const client = await this.counter.add(clientCounter, events, MINUTE_MS);
      if (client.count > this.settings.perClientPerMinute) {
        await this.counter.add(clientCounter, -events, MINUTE_MS);
        return refused('client', this.settings.perClientPerMinute, client.resetInMs);
      }
    }
    const key = await this.counter.add(keyCounter, events, MINUTE_MS);
    if (key.count > this.settings.perKeyPerMinute) {
      await this.counter.add(keyCounter, -events, MINUTE_MS);
      if (clientCounter) await this.counter.add(clientCounter, -events, MINUTE_MS);
      return refused('key', this.settings.perKeyPerMinute, key.resetInMs);
    }
    return { allowed: true };
  }
}

function refused(budget: 'key' | 'client', limit: number, resetInMs: number): EventBudgetAnswer {
  return { allowed: false, budget, limit, retryAfterMs: Math.max(resetInMs, 1_000) };
}
