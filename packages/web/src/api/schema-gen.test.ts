import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderApiTypes } from '../../scripts/api-types.js';

describe('the UI API types', () => {
  it("match the server's OpenAPI document (after an API change: npm run generate:api -w @cleave/web)", async () => {
    const committed = await readFile(new URL('./schema.gen.ts', import.meta.url), 'utf8');
    expect(committed === (await renderApiTypes())).toBe(true);
  });
});
