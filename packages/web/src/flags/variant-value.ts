/**
 * @module flags/variant-value
 * A variant's value as the person types it, and back: booleans and numbers as written, strings as
 * they are, JSON parsed as you type so a mistake is shown before saving.
 */
import type { FlagType } from './queries.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type ParsedValue = { ok: true; value: JsonValue } | { ok: false; message: string };

export function parseVariantValue(type: FlagType, text: string): ParsedValue {
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'boolean':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, message: 'must be true or false' };
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value))
        return { ok: false, message: 'must be a finite number' };
      return { ok: true, value };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as JsonValue };
      } catch (error) {
        return { ok: false, message: `invalid JSON: ${(error as Error).message}` };
      }
  }
}

export function formatVariantValue(type: FlagType, value: unknown): string {
  if (type === 'string' && typeof value === 'string') return value;
  if (type === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

/** The value a new variant of each type starts with. */
export function defaultVariantText(type: FlagType, index: number): string {
  switch (type) {
    case 'boolean':
      return index === 0 ? 'false' : 'true';
    case 'number':
      return String(index);
    case 'string':
      return index === 0 ? 'control' : `treatment-${index}`;
    case 'json':
      return '{}';
  }
}
