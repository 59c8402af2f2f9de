import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVENT_LIMITS,
  type EventLimits,
  EventRejection,
  type IngestContext,
  RawEvent,
  validateEvent,
} from './event-validation.js';

const now = Date.parse('2026-11-25T12:00:00.000Z');

function context(limits: EventLimits = DEFAULT_EVENT_LIMITS): IngestContext {
  return { projectId: 'p1', environmentId: 'e1', now, receivedAt: new Date(now).toISOString(), limits };
}

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
  {
    id: randomUUID(),
    type: 'track',
    unitId: 'u',
    event: 'x',
    value: -1.5e-7,
    properties: {
      nested: { list: [1, 'two', null] },
      quote: '"',
      line: '\n',
      escaped: '\\u0000',
      pair: '😀',
    },
    timestamp: '2024-02-29T23:59:59.999Z',
  },
  {
    id: randomUUID(),
    type: 'exposure',
    unitId: 'ü-ñ',
    experiment: 'e',
    variant: 'v',
    timestamp: '2026-11-25T11:59:00.100-03:30',
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
  { ...valid[0], timestamp: '2026-02-29T11:59:00Z' },
  { ...valid[0], timestamp: '2026-02-30T11:59:00.000Z' },
  { ...valid[0], timestamp: '2026-04-31T11:59:00Z' },
  { ...valid[0], timestamp: '2100-02-29T11:59:00Z' },
  { ...valid[0], timestamp: '2026-11-25T11:59:00.000z' },
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
  { ...valid[0], unitId: 'u\u0000' },
  { ...valid[0], experiment: '\u0000' },
  { ...valid[1], event: 'buy\u0000now' },
  { ...valid[1], properties: { note: 'a\u0000b' } },
  { ...valid[1], properties: { 'k\u0000': 1 } },
  { ...valid[0], unitId: 'u\ud800' },
  { ...valid[1], properties: { note: ['\udc00'] } },
  {
    ...valid[1],
    properties: { deep: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['too deep']]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] },
  },
];

describe('validateEvent', () => {
  it('accepts exactly what the schema accepts, and stores the same event either way', () => {
    const unlimited = context({ maxAgeMs: Number.POSITIVE_INFINITY, maxFutureMs: Number.POSITIVE_INFINITY });
    for (const candidate of [...valid, ...invalid]) {
      const schema = RawEvent.safeParse(candidate);
      const result = validateEvent(candidate, unlimited);
      expect({ candidate, ok: !(result instanceof EventRejection) }).toEqual({
        candidate,
        ok: schema.success,
      });
      if (!schema.success) continue;
      const data = schema.data;
      const properties = data.type === 'exposure' ? data.attributes : data.properties;
      expect(result).toEqual({
        eventId: data.id.toLowerCase(),
        projectId: 'p1',
        environmentId: 'e1',
        type: data.type,
        unitId: data.unitId,
        experiment: data.type === 'exposure' ? data.experiment : null,
        variant: data.type === 'exposure' ? data.variant : null,
        eventName: data.type === 'track' ? data.event : null,
        value: data.type === 'track' ? (data.value ?? null) : null,
        properties: properties === undefined ? null : JSON.stringify(properties),
        occurredAt: new Date(data.timestamp).toISOString(),
        receivedAt: unlimited.receivedAt,
      });
    }
  });

  it('names the bad field of a rejected event', () => {
    const result = validateEvent({ ...valid[0], id: 'nope' }, context());
    expect(result).toEqual(new EventRejection('invalid_event', expect.stringMatching(/^id: /)));
  });

  it('normalises times to UTC milliseconds and refuses events too old or too new', () => {
    expect(validateEvent(valid[1], context())).toMatchObject({
      occurredAt: '2026-11-25T10:00:00.123Z',
      value: 0,
    });
    expect(validateEvent({ ...valid[0], timestamp: '2026-11-01T00:00:00.000Z' }, context())).toMatchObject({
      code: 'timestamp_too_old',
    });
    expect(validateEvent({ ...valid[0], timestamp: '2026-11-25T12:10:00.000Z' }, context())).toMatchObject({
      code: 'timestamp_in_future',
    });
    expect(
      validateEvent({ ...valid[0], id: 'x', timestamp: '2026-11-25T12:10:00.000Z' }, context()),
    ).toMatchObject({ code: 'invalid_event' });
  });
});
