/**
 * @module scripts/generate-api-types
 * Writes `src/api/schema.gen.ts` from the server's OpenAPI document, so the UI's client is typed
 * from one source and never written twice. Runs in `npm run build` (after the server is compiled)
 * and by hand after an API change (`npm run generate:api -w @cleave/web`); the file is committed so
 * type checks work before a build, and `schema-gen.test.ts` fails when it is out of date.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderApiTypes } from './api-types.js';

const OUTPUT = fileURLToPath(new URL('../src/api/schema.gen.ts', import.meta.url));
await writeFile(OUTPUT, await renderApiTypes());
