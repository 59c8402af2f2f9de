/**
 * @module OpenFeature evaluation contexts and tracking details as Cleave contexts.
 */
import type { ContextValue, EvaluationContext, JsonValue } from '@cleave/core/evaluation';
import type {
  EvaluationContextValue,
  EvaluationContext as OpenFeatureContext,
  TrackingEventValue,
} from '@openfeature/core';

type OpenFeatureValue = EvaluationContextValue | TrackingEventValue | undefined;

/** Dates become ISO-8601 strings (what Cleave's date operators compare); undefined entries are dropped. */
function convert(value: OpenFeatureValue): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => convert(item) ?? null);
  if (typeof value === 'object' && value !== null) {
    const result: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = convert(item);
      if (converted !== undefined) result[key] = converted;
    }
    return result;
  }
  return value;
}

/**
 * @example
 * toCleaveContext({ targetingKey: 'user-42', signedUpAt: new Date('2026-01-01') });
 * // → { targetingKey: 'user-42', signedUpAt: '2026-01-01T00:00:00.000Z' }
 */
export function toCleaveContext(context: OpenFeatureContext | undefined): EvaluationContext {
  if (context === undefined || context === null || typeof context !== 'object') return {};
  const converted = convert(context as OpenFeatureValue);
  return typeof converted === 'object' && converted !== null && !Array.isArray(converted)
    ? (converted as { [key: string]: ContextValue })
    : {};
}

/** OpenFeature tracking details (`value` plus anything else) as Cleave's value and properties. */
export function toTrackOptions(
  details: { value?: number; [key: string]: TrackingEventValue | undefined } | undefined,
): {
  value: number | undefined;
  properties: { [key: string]: JsonValue } | undefined;
} {
  if (details === undefined || details === null || typeof details !== 'object') {
    return { value: undefined, properties: undefined };
  }
  const { value, ...rest } = details;
  const properties = convert(rest as OpenFeatureValue) as { [key: string]: JsonValue };
  return {
    value: typeof value === 'number' ? value : undefined,
    properties: Object.keys(properties).length > 0 ? properties : undefined,
  };
}
