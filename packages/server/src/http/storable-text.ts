/**
 * @module storable-text
 * Text every database can store. SQLite keeps any JavaScript string; PostgreSQL's text refuses
 * the NUL character and its jsonb also refuses unpaired UTF-16 surrogates (`"\ud800"`), so without
 * these checks the same request succeeded on one and failed with a 500 on the other — and an
 * event holding such text failed its writer's whole COPY, again and again.
 */

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_TEXT =
  'must not contain the NUL character or unpaired surrogates (\\u0000, \\ud800–\\udfff)';

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

/**
 * For `JSON.stringify` output: it writes NUL and unpaired surrogates only as escapes (lower-case
 * hex), and an escape counts only after an even number of backslashes (`\\u0000` is text).
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

export function isStorableJson(serialised: string): boolean {
  return !serialised.includes('\\u') || !UNSTORABLE_ESCAPE.test(serialised);
}

/** Whether any string or key in a parsed JSON value is unstorable; recursion is bounded by the caller's depth check. */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return !isStorableText(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  for (const [key, entry] of Object.entries(value)) {
    if (!isStorableText(key) || hasUnstorableText(entry)) return true;
  }
  return false;
}
