/**
 * @module analytics/usage-analytics
 * The UI reports its own usage through the Cleave SDK when the instance turns it on
 * (`CLEAVE_UI_ANALYTICS_KEY`, read from `GET /api/v1/ui-config`): page views, and the key actions
 * of {@link usageActionOf}, as tracked events of the signed-in person (their user id is the unit)
 * in the sdk key's project and environment. Off, nothing is loaded: the SDK is its own chunk,
 * fetched only when the setting is on.
 */
import type { CleaveClient } from '@cleave/sdk';
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { api } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { usageActionOf } from './usage-actions.js';

let started: Promise<CleaveClient | undefined> | undefined;
/** Whose usage it is: the signed-in person, else a visitor of this page load. */
let unitId = `visitor-${Math.random().toString(36).slice(2)}`;

async function start(): Promise<CleaveClient | undefined> {
  const { data } = await api.GET('/api/v1/ui-config');
  const sdkKey = data?.analytics?.sdkKey;
  if (!sdkKey) return undefined;
  const { createClient } = await import('@cleave/sdk');
  const client = createClient({
    sdkKey,
    apiHost: window.location.origin,
    // The UI evaluates no flags of that project: it only sends events, so it needs no config stream.
    streaming: false,
    events: { flushIntervalMs: 2_000 },
  });
  api.use({
    onResponse({ request, response }) {
      if (!response.ok) return;
      const action = usageActionOf(request.method, new URL(request.url).pathname);
      if (action)
        client.track(action.event, { properties: action.properties, context: { targetingKey: unitId } });
    },
  });
  return client;
}

function analytics(): Promise<CleaveClient | undefined> {
  // A failure to load the settings or the SDK must never break the UI: usage goes unreported.
  started ??= start().catch(() => undefined);
  return started;
}

/** Reports a page view on every route change (when analytics is on). */
export function useUsageAnalytics(): void {
  const location = useLocation();
  const session = useSession();
  const userId = session.data?.user.id;
  useEffect(() => {
    if (userId) unitId = userId;
  }, [userId]);
  useEffect(() => {
    void analytics().then((client) =>
      client?.track('page-view', {
        properties: { path: location.pathname },
        context: { targetingKey: unitId },
      }),
    );
  }, [location.pathname]);
}
