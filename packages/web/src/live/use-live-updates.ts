/**
 * @module live/use-live-updates
 * Keeps a project's pages current: one `EventSource` per open project on the server's change
 * stream (`/api/v1/projects/{key}/changes/stream`, the session cookie authorises it), and each
 * change refreshes the cached queries it touched, so what someone else changes, and new analysis
 * results, appear without a reload. A `resync` (after a reconnect, when changes may have been
 * missed) refreshes the whole project.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { affectedQueries, type ProjectChange } from './affected-queries.js';

export function useLiveUpdates(projectKey: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!projectKey || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/projects/${encodeURIComponent(projectKey)}/changes/stream`);
    source.addEventListener('change', (event) => {
      const change = JSON.parse((event as MessageEvent<string>).data) as ProjectChange;
      for (const queryKey of affectedQueries(projectKey, change)) {
        void queryClient.invalidateQueries({ queryKey });
      }
    });
    source.addEventListener('resync', () => {
      void queryClient.invalidateQueries({ queryKey: ['projects', projectKey] });
    });
    return () => source.close();
  }, [projectKey, queryClient]);
}
