/**
 * Replays vectors/evaluation.json: whole evaluations any SDK must reproduce.
 */
import { describe, expect, it } from 'vitest';
import vectors from '../../vectors/evaluation.json' with { type: 'json' };
import type { FlagType, FlagValue } from '../model/flag-value.js';
import { type CompiledConfig, compileConfig } from './compile-config.js';
import type { EvaluationContext } from './context.js';
import { evaluate } from './evaluate.js';

interface VectorCase {
  name: string;
  payload: string;
  flagKey: string;
  context: EvaluationContext;
  options?: { now?: string; expectedType?: FlagType; defaultValue?: FlagValue };
  expected: {
    value: FlagValue;
    variant: string | null;
    reason: string;
    errorCode?: string;
    flagMetadata?: Record<string, unknown>;
    assignment?: Record<string, unknown>;
  };
}

const payloads = vectors.payloads as Record<string, unknown>;
const compiled = new Map<string, CompiledConfig>();
const compiledPayload = (name: string): CompiledConfig => {
  let config = compiled.get(name);
  if (config === undefined) {
    config = compileConfig(payloads[name]);
    compiled.set(name, config);
  }
  return config;
};

describe('evaluation vectors', () => {
  it('use valid payloads', () => {
    expect(vectors.specVersion).toBe(1);
    for (const name of Object.keys(payloads)) expect(compiledPayload(name).issues).toEqual([]);
  });

  it.each((vectors.cases as VectorCase[]).map((entry) => [entry.name, entry] as const))(
    '%s',
    (_name, entry) => {
      const options = {
        now: entry.options?.now === undefined ? undefined : Date.parse(entry.options.now),
        expectedType: entry.options?.expectedType,
        defaultValue: entry.options?.defaultValue,
      };
      const result = evaluate(compiledPayload(entry.payload), entry.flagKey, entry.context, options);
      expect(result.value).toEqual(entry.expected.value);
      expect(result.variant ?? null).toBe(entry.expected.variant);
      expect(result.reason).toBe(entry.expected.reason);
      expect(result.errorCode).toBe(entry.expected.errorCode);
      expect(result.flagMetadata).toEqual(entry.expected.flagMetadata ?? {});
      if (entry.expected.assignment === undefined) expect(result.assignment).toBeUndefined();
      else expect(result.assignment).toMatchObject(entry.expected.assignment);
    },
  );
});
