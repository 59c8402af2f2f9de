/**
 * @module http/rate-limit-store
 * A store for @fastify/rate-limit over our RateCounter port, so per-route limits (sign-in) count
 * where every other budget does: in Redis shared by all API nodes, in-process while Redis fails
 * (adapters/failover-rate-counter), in-process alone without Redis. The plugin's own Redis store
 * can only fail (and `skipOnError` then drops the limit); this one never lets a limit lapse.
 *
 * A counter that fails even so (no fallback behind it) makes the limited route answer 503: a limit
 * that cannot be counted refuses rather than lets everything through.
 *
 * Plain fixed windows only: the counter has no notion of `continueExceeding` or
 * `exponentialBackoff`, so a route asking for them is refused when it is registered rather than
 * silently limited differently.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateCounter } from '../ports/rate-counter.js';
import { ServiceUnavailableError } from './errors.js';

type IncrementCallback = Parameters<FastifyRateLimitStore['incr']>[1];

interface RouteLimitOptions {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  routeInfo?: { method?: string | string[]; url?: string };
}

class CounterRateLimitStore implements FastifyRateLimitStore {
  constructor(
    private readonly counter: RateCounter,
    private readonly prefix: string,
  ) {}

  incr(key: string, callback: IncrementCallback, timeWindow: number): void {
    this.counter.add(this.prefix + key, 1, timeWindow).then(
      (state) => callback(null, { current: state.count, ttl: state.resetInMs }),
      (error: unknown) => callback(uncounted(error)),
    );
  }

  /** For `createRateLimit(…)(request, { increment: false })`: the state without counting. */
  read(key: string, callback: IncrementCallback): void {
    this.counter.peek(this.prefix + key).then(
      (state) => callback(null, { current: state.count, ttl: state.resetInMs }),
      (error: unknown) => callback(uncounted(error)),
    );
  }

  // The plugin passes the route's merged limit options (typed as route options in its .d.ts).
  child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    const limit = routeOptions as unknown as RouteLimitOptions;
    if (limit.continueExceeding || limit.exponentialBackoff)
      throw new Error('rate limits counted by a RateCounter support fixed windows only');
    const method = [limit.routeInfo?.method ?? ''].flat().join(',');
    // One namespace per route, as the plugin's own stores keep, so two limited routes never share a count.
    return new CounterRateLimitStore(this.counter, `${this.prefix}${method}${limit.routeInfo?.url ?? ''}:`);
  }
}

function uncounted(error: unknown): ServiceUnavailableError {
  const unavailable = new ServiceUnavailableError(
    'This request cannot be rate limited right now; try again shortly.',
  );
  // Logged with the 503, never shown to the client (it may name Redis and its address).
  unavailable.cause = error;
  return unavailable;
}

/** The store class to hand to @fastify/rate-limit as `store`; counters are named `rate-limit:…`. */
export function rateLimitStoreOver(counter: RateCounter): FastifyRateLimitStoreCtor {
  return class extends CounterRateLimitStore {
    constructor() {
      super(counter, 'rate-limit:');
    }
  };
}
