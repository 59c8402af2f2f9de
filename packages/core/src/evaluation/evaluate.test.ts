import { describe, expect, it } from 'vitest';
import type { ConfigPayload } from '../model/config-payload.js';
import { booleanFlag, payloadOf } from '../test-support/payload.js';
import { compileConfig } from './compile-config.js';
import { evaluate, evaluateAll } from './evaluate.js';

const nl = { attribute: 'country', operator: 'eq', value: 'NL' } as const;

const payload: ConfigPayload = payloadOf({
  flags: [
    booleanFlag('static'),
    booleanFlag('targeted', { rules: [{ id: 'nl', type: 'force', variant: 'on', conditions: [nl] }] }),
    booleanFlag('disabled', {
      enabled: false,
      defaultVariant: 'on',
      rules: [{ id: 'all', type: 'force', variant: 'on' }],
    }),
    booleanFlag('rollout', { rules: [{ id: 'all', type: 'rollout', variant: 'on', fraction: 1 }] }),
    {
      key: 'banner',
      type: 'json',
      variants: [
        { key: 'none', value: null },
        { key: 'sale', value: { text: 'Sale!', colors: ['red', 'white'] } },
      ],
      defaultVariant: 'sale',
      offVariant: 'none',
      enabled: true,
    },
    {
      key: 'limit',
      type: 'number',
      variants: [{ key: 'ten', value: 10 }],
      defaultVariant: 'ten',
      offVariant: 'ten',
      enabled: true,
    },
  ],
});

const compiled = compileConfig(payload);

describe('evaluate', () => {
  it('serves the default variant with STATIC when a flag has no targeting', () => {
    expect(evaluate(compiled, 'static', { targetingKey: 'u1' })).toEqual({
      flagKey: 'static',
      value: false,
      variant: 'off',
      reason: 'STATIC',
      errorCode: undefined,
      errorMessage: undefined,
      flagMetadata: {},
      assignment: undefined,
      trace: undefined,
    });
  });

  it('serves a force rule with TARGETING_MATCH and names the rule', () => {
    const result = evaluate(compiled, 'targeted', { country: 'NL' });
    expect(result).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(result.flagMetadata).toEqual({ ruleId: 'nl', ruleIndex: 0 });
  });

  it('serves the default variant with DEFAULT when rules exist but none matched', () => {
    expect(evaluate(compiled, 'targeted', { country: 'DE' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });

  it('serves the off variant with DISABLED when the kill switch is off', () => {
    expect(evaluate(compiled, 'disabled', { targetingKey: 'u1' })).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DISABLED',
    });
  });

  it('serves a rollout with SPLIT', () => {
    expect(evaluate(compiled, 'rollout', { targetingKey: 'u1' })).toMatchObject({
      value: true,
      reason: 'SPLIT',
    });
  });

  it('returns JSON values frozen, so callers cannot alter the config', () => {
    const value = evaluate(compiled, 'banner', {}).value as { colors: string[] };
    expect(value).toEqual({ text: 'Sale!', colors: ['red', 'white'] });
    expect(Object.isFrozen(value) && Object.isFrozen(value.colors)).toBe(true);
    expect(evaluate(compiled, 'banner', {}).value).toBe(value);
  });

  it('reports FLAG_NOT_FOUND with the caller default', () => {
    expect(evaluate(compiled, 'nope', {}, { defaultValue: 'fallback' })).toMatchObject({
      value: 'fallback',
      variant: undefined,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(evaluate(compiled, 'nope', {}).value).toBeNull();
  });

  it('reports TYPE_MISMATCH with the caller default when the expected type differs', () => {
    expect(evaluate(compiled, 'limit', {}, { expectedType: 'boolean', defaultValue: true })).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
    expect(evaluate(compiled, 'limit', {}, { expectedType: 'number' })).toMatchObject({
      value: 10,
      reason: 'STATIC',
    });
    expect(evaluate(compiled, 'banner', {}, { expectedType: 'json' }).errorCode).toBeUndefined();
  });

  it('treats a missing or non-object context as empty', () => {
    for (const context of [undefined, null, 42, 'user']) {
      expect(evaluate(compiled, 'targeted', context as never)).toMatchObject({
        reason: 'DEFAULT',
        value: false,
      });
    }
  });
});

describe('evaluateAll', () => {
  it('evaluates every flag in payload order', () => {
    const results = evaluateAll(compiled, { targetingKey: 'u1', country: 'NL' });
    expect(results.map((result) => [result.flagKey, result.reason])).toEqual([
      ['static', 'STATIC'],
      ['targeted', 'TARGETING_MATCH'],
      ['disabled', 'DISABLED'],
      ['rollout', 'SPLIT'],
      ['banner', 'STATIC'],
      ['limit', 'STATIC'],
    ]);
  });

  it('returns traces for every flag on request', () => {
    const results = evaluateAll(compiled, { country: 'NL' }, { explain: true });
    expect(results.every((result) => Array.isArray(result.trace))).toBe(true);
  });

  it('returns nothing rather than throwing for a bogus config', () => {
    expect(evaluateAll(null as never, {})).toEqual([]);
    expect(evaluateAll({} as never, {})).toEqual([]);
  });
});

describe('results served to every unit alike', () => {
  it('are built once and shared, frozen so no caller can change what the next one gets', () => {
    const compiled = compileConfig(payload);
    const context = { targetingKey: 'u-1', country: 'NL' };
    for (const key of ['static', 'targeted', 'disabled', 'rollout']) {
      const first = evaluate(compiled, key, context);
      expect(evaluate(compiled, key, { targetingKey: 'u-2', country: 'NL' })).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
      expect(() => {
        (first as { value: unknown }).value = 'tampered';
      }).toThrow(TypeError);
    }
    // With a trace, every result is its own (the trace is per call).
    const explained = evaluate(compiled, 'targeted', context, { explain: true });
    expect(explained).not.toBe(evaluate(compiled, 'targeted', context, { explain: true }));
    expect(explained).toEqual({ ...evaluate(compiled, 'targeted', context), trace: expect.any(Array) });
  });
});

describe('evaluation never throws', () => {
  it('turns a bogus compiled config into GENERAL', () => {
    for (const config of [null, undefined, {}, { flags: 42 }, { error: null, flags: { get: () => ({}) } }]) {
      const result = evaluate(config as never, 'flag', {}, { defaultValue: 'safe' });
      expect(result).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL', value: 'safe' });
    }
  });

  it('turns a throwing context into the default with GENERAL', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(evaluate(compiled, 'targeted', hostile)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'ERROR',
      errorCode: 'GENERAL',
    });
    expect(evaluate(compiled, 'targeted', hostile).errorMessage).toMatch(/boom/);
  });
});
