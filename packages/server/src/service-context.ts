/**
 * @module service-context
 * What every service needs besides its own stores: a transactor, a clock, an id source, and the
 * notifier that announces committed changes. Tests pass a fixed clock.
 */
import { uuidv7 } from 'uuidv7';
import type { Change, RecordedChange } from './features/changes/record-change.js';
import { recordChange } from './features/changes/record-change.js';
import type { ChangeNotifier } from './ports/change-notifier.js';
import type { Stores, Transactor } from './stores.js';

export interface ServiceContext {
  transactor: Transactor;
  /** Reads outside a transaction. */
  stores: Stores;
  now: () => Date;
  newId: () => string;
  notifier: ChangeNotifier;
}

export function createServiceContext(
  parts: Pick<ServiceContext, 'transactor' | 'stores' | 'notifier'> &
    Partial<Pick<ServiceContext, 'now' | 'newId'>>,
): ServiceContext {
  return { now: () => new Date(), newId: uuidv7, ...parts };
}

/**
 * Runs `work` in a transaction; `work` reports its changes through `record`, and once the
 * transaction has committed the notifier announces them (never before, so no listener can see a
 * change that might still roll back).
 */
export async function changeInTransaction<T>(
  context: ServiceContext,
  work: (stores: Stores, record: (change: Change) => Promise<RecordedChange>, now: string) => Promise<T>,
): Promise<T> {
  const now = context.now().toISOString();
  const recorded: RecordedChange[] = [];
  const result = await context.transactor.run((stores) =>
    work(
      stores,
      async (change) => {
        const outcome = await recordChange(stores, change, { now, newId: context.newId });
        recorded.push(outcome);
        return outcome;
      },
      now,
    ),
  );
  const bumps = recorded.flatMap((outcome) => outcome.bumps);
  if (bumps.length > 0) context.notifier.configChanged(bumps);
  if (recorded.some((outcome) => outcome.webhookDeliveries > 0)) context.notifier.webhooksQueued();
  return result;
}
