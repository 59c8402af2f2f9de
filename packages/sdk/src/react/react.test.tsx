// @vitest-environment jsdom
import { act, useEffect } from 'react';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CleaveClient, createClient } from '../client.js';
import { ContractServer, TEST_SDK_KEY } from '../test-support/contract-server.js';
import { EXPERIMENT, EXPERIMENT_FLAG, payloadOf, stringFlag, switchFlag } from '../test-support/payloads.js';
import { FAST, TestClients } from '../test-support/test-clients.js';
import { waitFor } from '../test-support/wait-for.js';
import { CleaveProvider, useCleaveClient, useFlag, useVariant } from './index.js';

// React asserts that state updates happen inside act(); updates caused by the network are
// awaited inside act() below, so that React flushes them before the assertions.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let server: ContractServer;
const clients = new TestClients();
const roots: Root[] = [];

beforeEach(async () => {
  server = await ContractServer.start(payloadOf(1));
});

afterEach(async () => {
  for (const root of roots.splice(0)) act(() => root.unmount());
  document.body.innerHTML = '';
  await clients.closeAll();
  await server.stop();
});

function Checkout() {
  const color = useFlag('button-color', 'none');
  const dark = useFlag('dark-mode', false);
  const items = useFlag('max-items', 0);
  const config = useFlag('checkout-config', { limit: 0 });
  const checkout = useFlag(EXPERIMENT_FLAG, false);
  const variation = useVariant(EXPERIMENT);
  return <p>{[color, dark, items, config.limit, checkout, variation ?? 'none'].join('|')}</p>;
}

function Lonely() {
  const dark = useFlag('dark-mode', true);
  const variation = useVariant(EXPERIMENT);
  const client = useCleaveClient();
  return `${dark}|${variation ?? 'none'}|${client === undefined ? 'no client' : 'client'}`;
}

function TrackOnMount({ event }: { event: string }) {
  const client = useCleaveClient();
  useEffect(() => {
    client?.track(event, { context: { targetingKey: 'u7' } });
  }, [client, event]);
  return null;
}

function app(client: CleaveClient, targetingKey = 'u1') {
  return (
    <CleaveProvider client={client} context={{ targetingKey }}>
      <Checkout />
    </CleaveProvider>
  );
}

function mount(): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  return container;
}

describe('React bindings', () => {
  it('renders flag values and re-renders when the configuration changes', async () => {
    const { client } = clients.create(server);
    const container = mount();
    const root = createRoot(container);
    roots.push(root);
    act(() => root.render(app(client)));
    expect(container.textContent).toBe('none|false|0|0|false|none'); // defaults before the configuration
    await act(() => client.ready());
    expect(container.textContent).toMatch(/^blue\|false\|10\|3\|(true\|treatment|false\|control)$/);

    await waitFor(() => server.openStreams === 1);
    server.publish(payloadOf(2, [stringFlag('green'), switchFlag('dark-mode', true)]));
    await act(() => waitFor(() => client.getPayload()?.version === 2));
    expect(container.textContent).toBe('green|true|0|0|false|none');
  });

  it('serves defaults outside a CleaveProvider', () => {
    expect(renderToString(<Lonely />)).toBe('true|none|no client');
  });

  it('hydrates server-rendered HTML from a bootstrapped client with identical output', async () => {
    // The server: an online client renders the page and embeds its payload.
    const { client: serverClient } = clients.create(server);
    await serverClient.ready();
    const html = renderToString(app(serverClient));
    expect(html).toContain('blue|false|10|3|');
    const embedded = JSON.parse(JSON.stringify(serverClient.getPayload()));

    // The browser: a client bootstrapped with that payload renders the same at once.
    const { client: browserClient } = clients.create(server, { bootstrap: embedded });
    const fresh = mount();
    const freshRoot = createRoot(fresh);
    roots.push(freshRoot);
    act(() => freshRoot.render(app(browserClient)));
    expect(fresh.innerHTML).toBe(html);

    const container = mount();
    container.innerHTML = html;
    const mismatches: unknown[] = [];
    act(() => {
      roots.push(
        hydrateRoot(container, app(browserClient), { onRecoverableError: (error) => mismatches.push(error) }),
      );
    });
    expect(mismatches).toEqual([]);
    expect(container.innerHTML).toBe(html);
  });

  it('tracks through the client from useCleaveClient', async () => {
    const { client } = clients.create(server, { streaming: false });
    const root = createRoot(mount());
    roots.push(root);
    act(() =>
      root.render(
        <CleaveProvider client={client}>
          <TrackOnMount event="rendered" />
        </CleaveProvider>,
      ),
    );
    await client.flush();
    expect(server.events).toEqual([
      expect.objectContaining({ type: 'track', unitId: 'u7', event: 'rendered' }),
    ]);
  });
});

describe('a browser client', () => {
  it('works with the sdk key and api host only', async () => {
    const client = createClient({ sdkKey: TEST_SDK_KEY, apiHost: server.url, ...FAST });
    expect(await client.ready()).toBe('ready');
    await client.close();
  });

  it('sends waiting events when the page is hidden', async () => {
    const { client } = clients.create(server, { streaming: false, events: { flushIntervalMs: 60_000 } });
    client.track('checkout', { context: { targetingKey: 'u1' } });
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      await waitFor(() => server.events.length === 1);
    } finally {
      Reflect.deleteProperty(document, 'visibilityState');
    }
  });
});
