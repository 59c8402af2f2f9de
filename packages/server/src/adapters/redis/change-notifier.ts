/**
 * @module adapters/redis/change-notifier
 * Config-change fan-out through Redis pub/sub, so an SSE client connected to any API node hears a
 * change made through any other. Every node, the publishing one included, learns of a change from
 * Redis, which keeps one code path and one ordering for all of them. Notices published while Redis
 * is down are lost to the other nodes; when the subscription is back, listeners are told to resync
 * (re-read versions), so streams on every node catch up and no node keeps serving an old version.
 * The publishing node hears its own notice at once in that case (every listener is idempotent), so
 * it neither serves a change it made as if it had not happened nor keeps a key it revoked.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { isAccessRevocation } from '../../domain/access-revocation.js';
import { type ChangeNotifier, type ConfigBump, isProjectChange } from '../../ports/change-notifier.js';

const CONFIG_CHANNEL = 'cleave:config-changed';
const WEBHOOK_CHANNEL = 'cleave:webhooks-queued';
const REVOKED_CHANNEL = 'cleave:access-revoked';
const PROJECT_CHANNEL = 'cleave:project-changed';

export interface RedisChangeNotifier extends ChangeNotifier {
  close(): Promise<void>;
}

export async function redisChangeNotifier(
  publisher: Redis,
  onError: (error: Error) => void,
): Promise<RedisChangeNotifier> {
  // A subscribed connection can't issue other commands, so it gets its own.
  const subscriber = publisher.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on('error', onError);
  const local = new EventEmitter();
  local.setMaxListeners(0);
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === WEBHOOK_CHANNEL) {
      local.emit('webhooks');
      return;
    }
    try {
      if (channel === CONFIG_CHANNEL) {
        for (const bump of JSON.parse(message) as ConfigBump[]) local.emit('config', bump);
      } else if (channel === REVOKED_CHANNEL) {
        // Checked, not cast: a notice that closes streams must name exactly what it revokes.
        const revocations: unknown = JSON.parse(message);
        for (const revocation of Array.isArray(revocations) ? revocations : []) {
          if (isAccessRevocation(revocation)) local.emit('revoked', revocation);
        }
      } else if (channel === PROJECT_CHANNEL) {
        const changes: unknown = JSON.parse(message);
        for (const change of Array.isArray(changes) ? changes : []) {
          if (isProjectChange(change)) local.emit('project', change);
        }
      }
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
    }
  });
  await subscriber.subscribe(CONFIG_CHANNEL, WEBHOOK_CHANNEL, REVOKED_CHANNEL, PROJECT_CHANNEL);
  // ioredis resubscribes by itself on reconnect; `ready` after a lost connection is the moment
  // notices may have been missed.
  let interrupted = false;
  subscriber.on('close', () => {
    interrupted = true;
  });
  subscriber.on('ready', () => {
    if (!interrupted) return;
    interrupted = false;
    local.emit('resync');
    // Webhook deliveries queued meanwhile were announced to nobody either.
    local.emit('webhooks');
  });

  const publish = (channel: string, message: string, hearLocally: () => void) => {
    publisher.publish(channel, message).catch((error: Error) => {
      // Streams re-sync on reconnect (Last-Event-ID) and pollers by ETag, so a lost notice delays a
      // change on the other nodes rather than losing it; log it so the outage is visible.
      onError(error);
      hearLocally();
    });
  };
  return {
    configChanged(bumps) {
      if (bumps.length > 0)
        publish(CONFIG_CHANNEL, JSON.stringify(bumps), () => {
          for (const bump of bumps) local.emit('config', bump);
        });
    },
    webhooksQueued() {
      publish(WEBHOOK_CHANNEL, '1', () => local.emit('webhooks'));
    },
    onConfigChanged(listener) {
      local.on('config', listener);
      return () => local.off('config', listener);
    },
    onWebhooksQueued(listener) {
      local.on('webhooks', listener);
      return () => local.off('webhooks', listener);
    },
    onResync(listener) {
      local.on('resync', listener);
      return () => local.off('resync', listener);
    },
    accessRevoked(revocations) {
      if (revocations.length > 0)
        publish(REVOKED_CHANNEL, JSON.stringify(revocations), () => {
          for (const revocation of revocations) local.emit('revoked', revocation);
        });
    },
    onAccessRevoked(listener) {
      local.on('revoked', listener);
      return () => local.off('revoked', listener);
    },
    projectChanged(changes) {
      if (changes.length > 0)
        publish(PROJECT_CHANNEL, JSON.stringify(changes), () => {
          for (const change of changes) local.emit('project', change);
        });
    },
    onProjectChanged(listener) {
      local.on('project', listener);
      return () => local.off('project', listener);
    },
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
