import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_LIMITS, RawEvent, validateEvent } from './event-validation.js';

const now = Date.parse('2026-11-25T12:00:00.000Z');

const valid = [
  {
    id: randomUUID(),
    type: 'exposure',
    unitId: 'u-1',
    experiment: 'cta',
    variant: 'b',
    timestamp: '2026-11-25T11:59:00Z',
  },
  {
    id: randomUUID().toUpperCase(),
    type: 'track',
    unitId: 'u',
    event: 'purchase',
    value: 0,
    timestamp: '2026-11-25T11:00:00.123+01:00',
  },
  {
    id: randomUUID(),
    type: 'track',
    unitId: 'u',
    event: 'x',
    properties: { a: 1 },
    timestamp: '2026-11-25T11:59:59.123456789Z',
  },
  {
    id: randomUUID(),
    type: 'exposure',
    unitId: 'u',
    experiment: 'e',
    variant: 'v',
    attributes: {},
    timestamp: '2026-11-25T11:59:00Z',
    extra: 1,
  },
  {
    id: '00000000-0000-0000-0000-000000000000',
    type: 'track',
    unitId: 'u',
    event: 'x',
    timestamp: '2026-11-25T11:59:00Z',
  },
];

const invalid = [
  null,
  'event',
  [],
  {},
  { ...valid[0], id: 'not-a-uuid' },
  { ...valid[0], id: '12345678-1234-9234-8234-123456789012' },
  { ...valid[0], unitId: '' },
  { ...valid[0], unitId: 'x'.repeat(501) },
  { ...valid[0], timestamp: '2026-11-25 11:59:00' },
  { ...valid[0], timestamp: '2026-11-25T11:59:00' },
  { ...valid[0], timestamp: '2026-13-25T11:59:00Z' },
  { ...valid[0], timestamp: '2026-11-25T24:00:00Z' },
  { ...valid[0], experiment: '' },
  { ...valid[0], variant: 'v'.repeat(101) },
  { ...valid[0], attributes: [] },
  { ...valid[0], attributes: { ['k'.repeat(201)]: 1 } },
  { ...valid[0], attributes: { big: 'x'.repeat(9_000) } },
  { ...valid[1], value: 'twelve' },
  { ...valid[1], value: Number.POSITIVE_INFINITY },
  { ...valid[1], event: 'e'.repeat(201) },
  { ...valid[1], properties: null },
  { ...valid[1], type: 'click' },
];

describe('validateEvent', () => {
  it('accepts exactly what the schema accepts, with the same value', () => {
    for (const candidate of [...valid, ...invalid]) {
      const schema = RawEvent.safeParse(candidate);
      const result = validateEvent(candidate, now, {
        maxAgeMs: Number.POSITIVE_INFINITY,
        maxFutureMs: Number.POSITIVE_INFINITY,
      });
      expect({ candidate, ok: result.ok }).toEqual({ candidate, ok: schema.success });
      if (result.ok && schema.success) {
        expect(result.event.eventId).toBe(schema.data.id.toLowerCase());
        expect(result.event.occurredAt).toBe(new Date(schema.data.timestamp).toISOString());
      }
    }
  });

  it('names the bad field of a rejected event', () => {
    const result = validateEvent({ ...valid[0], id: 'nope' }, now, DEFAULT_EVENT_LIMITS);
    expect(result).toEqual({ ok: false, code: 'invalid_event', message: expect.stringMatching(/^id: /) });
  });

  it('normalises times to UTC milliseconds and refuses events too old or too new', () => {
    const result = validateEvent(valid[1], now, DEFAULT_EVENT_LIMITS);
    expect(result).toMatchObject({ ok: true, event: { occurredAt: '2026-11-25T10:00:00.123Z', value: 0 } });
    expect(
      validateEvent({ ...valid[0], timestamp: '2026-11-01T00:00:00Z' }, now, DEFAULT_EVENT_LIMITS),
    ).toMatchObject({
      ok: false,
      code: 'timestamp_too_old',
    });
    expect(
      validateEvent({ ...valid[0], timestamp: '2026-11-25T12:10:00Z' }, now, DEFAULT_EVENT_LIMITS),
    ).toMatchObject({
      ok: false,
      code: 'timestamp_in_future',
    });
  });
});
