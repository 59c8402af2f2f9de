/**
 * @module features/changes/change-recorder
 * The one way a service makes a change. `transaction(work)` opens the unit of work; inside it,
 * `record(change)` writes the audit record, bumps the config version of every affected
 * environment (what SDK delivery streams) and lets subscribers add their own rows (the webhook
 * outbox), all in the same transaction. Only after the commit does the notifier announce the
 * bumps and the access the change ended, so no listener ever sees a change that might still roll
 * back.
 *
 * The recorder knows nothing of projects or webhooks: the composition root hands it the
 * environment directory and the subscribers, which keeps this feature free of cycles.
 */
import type { SqlExecutor, Transactor } from '../../adapters/sql/transactor.js';
import type { AccessRevocation } from '../../domain/access-revocation.js';
import type { Actor } from '../../domain/audit.js';
import type { Clock } from '../../domain/clock.js';
import type { ChangeNotifier, ConfigBump, ProjectChange } from '../../ports/change-notifier.js';
import type { AuditLog } from '../audit/audit-log.js';
import { KyselyConfigChangeStore } from './config-change-store.js';

export interface Change {
  projectId: string;
  actor: Actor;
  requestId: string | null;
  /** `resource.verb`, e.g. `flag.updated`; also the webhook event type. */
  action: string;
  resourceType: string;
  resourceId: string | null;
  resourceKey: string;
  before: unknown;
  after: unknown;
  /** Which environments' SDK payloads change: every one, some (ids), or none. */
  environments: 'all' | 'none' | readonly string[];
  /** Access the change ends: once it commits, every node closes the open streams it covers. */
  revokes?: readonly AccessRevocation[];
}

/** What work inside a change transaction gets. */
export interface ChangeScope {
  /** The transaction: build the feature's own stores on it, and pass it to services that join. */
  tx: SqlExecutor;
  /** The change's time, ISO-8601. */
  now: string;
  newId(): string;
  record(change: Change): Promise<void>;
}

/** Where a change's environments come from when it names `'all'` (the projects feature). */
export interface EnvironmentDirectory {
  environmentIdsOf(tx: SqlExecutor, projectId: string): Promise<string[]>;
}

/** Adds rows of its own to a change's transaction; returns whether it queued anything to announce. */
export interface ChangeSubscriber {
  onChange(
    tx: SqlExecutor,
    change: Change,
    context: { eventId: string; now: string; newId(): string },
  ): Promise<boolean>;
  /** Called after a commit in which `onChange` queued something. */
  afterCommit(): void;
}

export interface ChangeRecorderOptions {
  transactor: Transactor;
  notifier: ChangeNotifier;
  clock: Clock;
  audit: AuditLog;
  environments: EnvironmentDirectory;
  subscribers?: readonly ChangeSubscriber[];
}

export class ChangeRecorder {
  private readonly subscribers: ChangeSubscriber[];

  constructor(private readonly options: ChangeRecorderOptions) {
    this.subscribers = [...(options.subscribers ?? [])];
  }

  get clock(): Clock {
    return this.options.clock;
  }

  /** Subscribers that are built after the recorder (they record changes of their own). */
  subscribe(subscriber: ChangeSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** When each resource of a type last changed an environment's SDK payload (ISO-8601 by key). */
  lastChanges(environmentId: string, resourceType: string): Promise<Map<string, string>> {
    return new KyselyConfigChangeStore(this.options.transactor.db).lastChanges(environmentId, resourceType);
  }

  async transaction<T>(work: (scope: ChangeScope) => Promise<T>): Promise<T> {
    const { clock, transactor, notifier } = this.options;
    const now = clock.now().toISOString();
    const bumps: ConfigBump[] = [];
    const revocations: AccessRevocation[] = [];
    const projectChanges: ProjectChange[] = [];
    const announce = new Set<ChangeSubscriber>();
    const result = await transactor.run((tx) =>
      work({
        tx,
        now,
        newId: () => clock.newId(),
        record: async (change) => {
          const written = await this.write(tx, change, now);
          bumps.push(...written.bumps);
          projectChanges.push({
            id: written.eventId,
            projectId: change.projectId,
            resourceType: change.resourceType,
            resourceKey: change.resourceKey,
            action: change.action,
            at: now,
          });
          revocations.push(...(change.revokes ?? []));
          for (const subscriber of this.subscribers) {
            const context = { eventId: written.eventId, now, newId: () => clock.newId() };
            if (await subscriber.onChange(tx, change, context)) announce.add(subscriber);
          }
        },
      }),
    );
    if (bumps.length > 0) notifier.configChanged(bumps);
    if (revocations.length > 0) notifier.accessRevoked(revocations);
    if (projectChanges.length > 0) notifier.projectChanged(projectChanges);
    for (const subscriber of announce) subscriber.afterCommit();
    return result;
  }

  /**
   * Announces, to the live-update streams only, a change that is no management change of its own
   * and leaves no audit record (new results of an analysis). Call it after the write committed.
   */
  announce(change: Omit<ProjectChange, 'id' | 'at'> & { id?: string }): void {
    const { clock, notifier } = this.options;
    notifier.projectChanged([{ id: clock.newId(), at: clock.now().toISOString(), ...change }]);
  }

  /** Writes the audit record (its id is the change's event id, which webhooks carry) and the bumps. */
  private async write(
    tx: SqlExecutor,
    change: Change,
    now: string,
  ): Promise<{ eventId: string; bumps: ConfigBump[] }> {
    const eventId = this.options.clock.newId();
    await this.options.audit.append(tx, {
      id: eventId,
      now,
      projectId: change.projectId,
      actor: change.actor,
      action: change.action,
      resourceType: change.resourceType,
      resourceId: change.resourceId,
      before: change.before,
      after: change.after,
      requestId: change.requestId,
    });
    const environmentIds =
      change.environments === 'all'
        ? await this.options.environments.environmentIdsOf(tx, change.projectId)
        : change.environments === 'none'
          ? []
          : change.environments;
    if (environmentIds.length === 0) return { eventId, bumps: [] };
    const bumps = await new KyselyConfigChangeStore(tx).bump({
      projectId: change.projectId,
      environmentIds,
      resourceType: change.resourceType,
      resourceKey: change.resourceKey,
      action: change.action,
      now,
    });
    return { eventId, bumps };
  }
}
