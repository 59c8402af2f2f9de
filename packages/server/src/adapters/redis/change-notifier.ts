/**
 * @module adapters/redis/change-notifier
 * Config-change fan-out through Redis pub/sub, so an SSE client connected to any API node hears a
 * change made through any other. Every node, the publishing one included, learns of a change from
 * Redis, which keeps one code path and one ordering for all of them.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { isAccessRevocation } from '../../domain/access-revocation.js';
import type { ChangeNotifier, ConfigBump } from '../../ports/change-notifier.js';

const CONFIG_CHANNEL = 'cleave:config-changed';
const WEBHOOK_CHANNEL = 'cleave:webhooks-queued';
const REVOKED_CHANNEL = 'cleave:access-revoked';

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
      }
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
    }
  });
  await subscriber.subscribe(CONFIG_CHANNEL, WEBHOOK_CHANNEL, REVOKED_CHANNEL);

  const publish = (channel: string, message: string) => {
    publisher.publish(channel, message).catch((error: Error) => {
      // Streams re-sync on reconnect (Last-Event-ID) and pollers by ETag, so a lost notice delays a
      // change rather than losing it; log it so the outage is visible.
      onError(error);
    });
  };
  return {
    configChanged(bumps) {
      if (bumps.length > 0) publish(CONFIG_CHANNEL, JSON.stringify(bumps));
    },
    webhooksQueued() {
      publish(WEBHOOK_CHANNEL, '1');
    },
    onConfigChanged(listener) {
      local.on('config', listener);
      return () => local.off('config', listener);
    },
    onWebhooksQueued(listener) {
      local.on('webhooks', listener);
      return () => local.off('webhooks', listener);
    },
    accessRevoked(revocations) {
      if (revocations.length > 0) publish(REVOKED_CHANNEL, JSON.stringify(revocations));
    },
    onAccessRevoked(listener) {
      local.on('revoked', listener);
      return () => local.off('revoked', listener);
    },
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
