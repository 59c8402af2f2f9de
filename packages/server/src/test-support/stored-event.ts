/**
 * @module A stored event for tests: a tracked `purchase` of unit `u-1` with a fresh id, every
 * field overridable.
 */
import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../ports/stored-event.js';

export function storedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    eventId: randomUUID(),
    projectId: 'p1',
    environmentId: 'e1',
    type: 'track',
    unitId: 'u-1',
    experiment: null,
    variant: null,
    eventName: 'purchase',
    value: null,
    properties: null,
    occurredAt: '2026-11-25T12:00:00.000Z',
    receivedAt: '2026-11-25T12:00:01.000Z',
    ...overrides,
  };
}
