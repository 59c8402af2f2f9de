/**
 * @module pagination
 * Cursor pagination for every list: `?limit=&cursor=` in, `{ items, nextCursor }` out. Cursors are
 * opaque to clients (base64url JSON of the last sort key), so the sort key can change without
 * breaking them, and pages stay stable while rows are inserted (unlike offsets).
 */
import { z } from 'zod';
import { ValidationError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(500).optional(),
});

export function pageResponse<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export function encodeCursor(after: string | number): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

/** @throws ValidationError for a cursor this server did not make. */
export function decodeCursor(cursor: string | undefined): string | number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'after' in parsed) {
      const after = (parsed as { after: unknown }).after;
      if (typeof after === 'string' || typeof after === 'number') return after;
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('The cursor is not valid; start again without it.', {
    issues: [{ path: '/query/cursor', message: 'is not a cursor from this API' }],
  });
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that another page exists.
 */
export function toPage<T>(rows: T[], limit: number, sortKeyOf: (row: T) => string | number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(sortKeyOf(last)) : null,
  };
}
