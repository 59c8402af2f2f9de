/**
 * @module features/changes/record-change
 * The one way a service records a change, inside its transaction: the audit record, the config
 * version bump of every affected environment (what SDK delivery streams), and the webhook
 * deliveries (an outbox, so a committed change is always announced and a rolled-back one never).
 */

import type { Actor } from '../../domain/audit.js';
import type { Stores } from '../../stores.js';
import { subscribes } from '../webhooks/webhook.js';
import type { ConfigBump } from './config-change-store.js';

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
  /** Which environments' SDK payloads change: every one, some, or none. */
  environments: 'all' | 'none' | readonly string[];
}

export interface RecordedChange {
  bumps: ConfigBump[];
  webhookDeliveries: number;
}

export interface ChangeContext {
  now: string;
  newId: () => string;
}

export async function recordChange(
  stores: Stores,
  change: Change,
  context: ChangeContext,
): Promise<RecordedChange> {
  const eventId = context.newId();
  await stores.audit.record({
    id: eventId,
    now: context.now,
    projectId: change.projectId,
    actor: change.actor,
    action: change.action,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    before: change.before,
    after: change.after,
    requestId: change.requestId,
  });

  let environmentIds: readonly string[] = [];
  if (change.environments === 'all') {
    environmentIds = (await stores.projects.listEnvironments(change.projectId)).map(
      (environment) => environment.id,
    );
  } else if (change.environments !== 'none') {
    environmentIds = change.environments;
  }
  const bumps =
    environmentIds.length === 0
      ? []
      : await stores.configChanges.bump({
          projectId: change.projectId,
          environmentIds,
          resourceType: change.resourceType,
          resourceKey: change.resourceKey,
          action: change.action,
          now: context.now,
        });

  const webhooks = (await stores.webhooks.enabledFor(change.projectId)).filter((webhook) =>
    subscribes(webhook.events, change.action),
  );
  const payload = {
    id: eventId,
    type: change.action,
    occurredAt: context.now,
    projectId: change.projectId,
    resource: { type: change.resourceType, id: change.resourceId, key: change.resourceKey },
    actor: change.actor,
    before: change.before ?? null,
    after: change.after ?? null,
  };
  for (const webhook of webhooks) {
    await stores.webhooks.enqueue({
      id: context.newId(),
      webhookId: webhook.id,
      eventId,
      eventType: change.action,
      payload,
      now: context.now,
    });
  }
  return { bumps, webhookDeliveries: webhooks.length };
}
