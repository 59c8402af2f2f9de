/**
 * @module tooling
 * What the repository's own tooling outside this package uses from the server: the end-to-end
 * tests (the real app on a real database) and the ingestion benchmark (the server's own event
 * validation and COPY encoding, so its raw-COPY ceiling writes exactly the rows the writer would).
 * The browser tests of the UI start the real server process (`startMain`).
 * Reached as `@cleave/server/tooling`; not a public API.
 */
export { COPY_COLUMNS, csvLine } from './adapters/postgres/copy-event-store.js';
export { DEFAULT_EVENT_LIMITS, EventRejection, validateEvent } from './features/events/event-validation.js';
export {
  hostileValue,
  type JsonSchema,
  resolverFor,
  type SchemaArbitraryOptions,
  schemaArbitrary,
} from './test-support/schema-arbitrary.js';
export { type ServerProcess, startMain } from './test-support/server-process.js';
export { type Credentials, createTestApp, type TestApp } from './test-support/test-app.js';
