/**
 * @module domain/clock
 * Time and identity for new records, in one place so tests can fix them.
 */
import { uuidv7 } from 'uuidv7';

export interface Clock {
  now(): Date;
  /** A new sortable id (UUIDv7). */
  newId(): string;
}

export const systemClock: Clock = { now: () => new Date(), newId: uuidv7 };

/** The system clock with `now` replaced, for tests that need a fixed time. */
export function clockAt(now: () => Date): Clock {
  return { now, newId: uuidv7 };
}
