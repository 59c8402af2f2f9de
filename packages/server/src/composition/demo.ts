/**
 * @module composition/demo
 * Builds the demo feature on the running services. Its definitions are created through services
 * identical to the running ones but on a clock set in the demo's past, so the history it seeds
 * (experiments started two weeks ago) is told the way it would have happened.
 */
import path from 'node:path';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import { DemoService } from '../features/demo/service.js';
import type { EventStore } from '../ports/event-store.js';
import { createServices, type Services } from './services.js';

export function createDemo(
  database: SqlDatabase,
  services: Services,
  eventStore: EventStore,
  dataDirectory: string,
): DemoService {
  return new DemoService({
    transactor: services.transactor,
    clock: services.clock,
    services: {
      ...services,
      needsFirstUser: () => services.auth.needsFirstUser(),
    },
    servicesAt: (now) => createServices(database, { notifier: services.notifier, now }),
    eventStore,
    keyFile: path.join(dataDirectory, 'demo-key'),
  });
}
