/**
 * @module Re-rendering when the configuration changes.
 */
import type { ConfigPayload } from '@cleave/core/evaluation';
import { useCallback, useSyncExternalStore } from 'react';
import type { CleaveClient } from '../client.js';

const noop = () => undefined;
const nothing = () => undefined;

/**
 * Subscribes to the client's configuration. The snapshot is the payload object, which the client
 * replaces on every change and keeps otherwise, so React compares it cheaply and a component
 * re-renders exactly when a new configuration arrives. Server rendering reads the same snapshot,
 * so a browser client bootstrapped with the server's payload hydrates to identical output.
 */
export function useConfiguration(client: CleaveClient | undefined): ConfigPayload | undefined {
  const subscribe = useCallback(
    (onChange: () => void) => (client === undefined ? noop : client.on('change', onChange)),
    [client],
  );
  const snapshot = useCallback(() => client?.getPayload(), [client]);
  return useSyncExternalStore(
    subscribe,
    client === undefined ? nothing : snapshot,
    client === undefined ? nothing : snapshot,
  );
}
