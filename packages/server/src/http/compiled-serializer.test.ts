import { REASONS } from '@cleave/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializerCompiler, serializationSchemaOf } from './compiled-serializer.js';
import { EvaluationDetails } from './evaluation-details.js';

const Answer = z.object({
  configVersion: z.number().int(),
  flags: z.array(EvaluationDetails),
});

const serializerFor = (schema: z.ZodType) =>
  compiledSerializerCompiler({ schema, method: 'POST', url: '/x', httpStatus: '200' });

/** What the zod serializer wrote: the parsed (stripped) answer through JSON.stringify. */
const zodWrites = (schema: z.ZodType, data: unknown) => JSON.stringify(schema.parse(data));

describe('compiled serializers', () => {
  const samples = [
    { configVersion: 3, flags: [] },
    {
      configVersion: 7,
      flags: [
        {
          key: 'a',
          value: true,
          variant: 'on',
          reason: 'TARGETING_MATCH',
          metadata: { team: 'web', weight: 2 },
        },
        { key: 'b', value: { nested: [1, 'two', null] }, reason: 'DEFAULT', metadata: {} },
        {
          key: 'missing',
          value: null,
          reason: 'ERROR',
          errorCode: 'FLAG_NOT_FOUND',
          errorMessage: 'no "missing"',
          metadata: {},
        },
        {
          key: 'c',
          value: 'x\u2028"quoted"',
          reason: 'SPLIT',
          metadata: {},
          trace: [{ rule: 'r1', matched: false, conditions: [{ attribute: 'plan' }] }],
        },
      ],
    },
  ];

  it.each(samples)('write what zod parse + JSON.stringify wrote (%#)', (sample) => {
    const written = serializerFor(Answer)(sample);
    expect(JSON.parse(written)).toEqual(JSON.parse(zodWrites(Answer, sample)));
  });

  it('leave out fields the schema does not declare, as the zod parse did', () => {
    const written = serializerFor(Answer)({
      configVersion: 1,
      internal: 'secret',
      flags: [{ key: 'a', value: 1, reason: 'STATIC', metadata: {}, assignment: { experiment: 'e' } }],
    });
    expect(written).not.toContain('secret');
    expect(written).not.toContain('assignment');
    expect(JSON.parse(written)).toEqual({
      configVersion: 1,
      flags: [{ key: 'a', value: 1, reason: 'STATIC', metadata: {} }],
    });
  });

  it('write an absent unknown value as absent rather than failing', () => {
    const schema = z.object({ key: z.string(), value: z.unknown() });
    expect(serializationSchemaOf(schema).required).toEqual(['key']);
    expect(serializerFor(schema)({ key: 'k' })).toBe('{"key":"k"}');
  });

  it('refuse schemas that are not zod', () => {
    expect(() =>
      compiledSerializerCompiler({ schema: { type: 'object' }, method: 'GET', url: '/', httpStatus: '200' }),
    ).toThrow('zod');
  });

  it('know every reason', () => {
    for (const reason of REASONS) {
      const written = serializerFor(EvaluationDetails)({ key: 'a', value: 0, reason, metadata: {} });
      expect(JSON.parse(written).reason).toBe(reason);
    }
  });
});
