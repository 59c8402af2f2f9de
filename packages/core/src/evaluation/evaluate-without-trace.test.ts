/**
 * `evaluateWithoutTrace` is `evaluate` minus the trace: the same result for every evaluation
 * vector, with or without `explain`.
 */
import { describe, expect, it } from 'vitest';
import vectors from '../../vectors/evaluation.json' with { type: 'json' };
import type { FlagType, FlagValue } from '../model/flag-value.js';
import { compileConfig } from './compile-config.js';
import type { EvaluationContext } from './context.js';
import { evaluate, evaluateWithoutTrace } from './evaluate.js';

interface VectorCase {
  name: string;
  payload: string;
  flagKey: string;
  context: EvaluationContext;
  options?: { now?: string; expectedType?: FlagType; defaultValue?: FlagValue };
}

const payloads = vectors.payloads as Record<string, unknown>;
const cases = vectors.cases as VectorCase[];

describe('evaluateWithoutTrace', () => {
  it.each(cases.map((entry) => [entry.name, entry] as const))(
    '%s: as evaluate, never a trace',
    (_name, entry) => {
      const compiled = compileConfig(payloads[entry.payload]);
      const options = {
        now: entry.options?.now === undefined ? undefined : Date.parse(entry.options.now),
        expectedType: entry.options?.expectedType,
        defaultValue: entry.options?.defaultValue,
      };
      const expected = evaluate(compiled, entry.flagKey, entry.context, options);
      expect(evaluateWithoutTrace(compiled, entry.flagKey, entry.context, options)).toEqual(expected);
      const explained = evaluateWithoutTrace(compiled, entry.flagKey, entry.context, {
        ...options,
        explain: true,
      });
      expect(explained).toEqual(expected);
      expect(explained.trace).toBeUndefined();
      // evaluate itself still explains.
      const traced = evaluate(compiled, entry.flagKey, entry.context, { ...options, explain: true });
      expect(traced.trace?.length).toBeGreaterThan(0);
      expect({ ...traced, trace: undefined }).toEqual(expected);
    },
  );

  it('never throws either', () => {
    for (const config of [null, undefined, {}, { flags: 42 }, { error: null, flags: { get: () => ({}) } }]) {
      const result = evaluateWithoutTrace(config as never, 'flag', {}, { defaultValue: 'safe' });
      expect(result).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL', value: 'safe' });
    }
  });
});
