/**
 * @module adapters/memory/change-notifier
 * The embedded change notifier: an in-process event emitter, enough when one process serves
 * every client.
 */
import { EventEmitter } from 'node:events';
import type { ChangeNotifier } from '../../ports/change-notifier.js';

export function inProcessChangeNotifier(): ChangeNotifier {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    configChanged(bumps) {
      for (const bump of bumps) emitter.emit('config', bump);
    },
    webhooksQueued() {
      emitter.emit('webhooks');
    },
    onConfigChanged(listener) {
      emitter.on('config', listener);
      return () => emitter.off('config', listener);
    },
    onWebhooksQueued(listener) {
      emitter.on('webhooks', listener);
      return () => emitter.off('webhooks', listener);
    },
    // One process hears every notice it sends: nothing is ever missed.
    onResync() {
      return () => {};
    },
    accessRevoked(revocations) {
      for (const revocation of revocations) emitter.emit('revoked', revocation);
    },
    onAccessRevoked(listener) {
      emitter.on('revoked', listener);
      return () => emitter.off('revoked', listener);
    },
    projectChanged(changes) {
      for (const change of changes) emitter.emit('project', change);
    },
    onProjectChanged(listener) {
      emitter.on('project', listener);
      return () => emitter.off('project', listener);
    },
  };
}
