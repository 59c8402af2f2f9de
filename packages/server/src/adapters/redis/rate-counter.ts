/**
 * @module adapters/redis/rate-counter
 * The RateCounter every API node shares: one Redis key per counter, changed and given its expiry in
 * one script, so concurrent adds on several nodes never lose an increment or leave a counter that
 * never expires.
 */
import type { Redis } from 'ioredis';
import type { CounterState, RateCounter } from '../../ports/rate-counter.js';

// KEYS[1] counter; ARGV amount, window ms, slide (1/0). Returns { count, ms until it expires }.
const ADD = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or ARGV[3] == '1' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return { count, ttl }
`;

const PEEK = `
local count = redis.call('GET', KEYS[1])
if not count then return { 0, 0 } end
return { tonumber(count), math.max(redis.call('PTTL', KEYS[1]), 0) }
`;

export function redisRateCounter(redis: Redis, prefix = 'cleave:rate:'): RateCounter {
  const toState = (reply: unknown): CounterState => {
    const [count, resetInMs] = reply as [number, number];
    return { count: Number(count), resetInMs: Number(resetInMs) };
  };
  return {
    async add(key, amount, windowMs, { slide = false } = {}) {
      const reply = await redis.eval(
        ADD,
        1,
        prefix + key,
        String(Math.trunc(amount)),
        String(Math.max(1, Math.ceil(windowMs))),
        slide ? '1' : '0',
      );
      return toState(reply);
    },
    async peek(key) {
      return toState(await redis.eval(PEEK, 1, prefix + key));
    },
  };
}
