/**
 * @module test/render
 * Renders a piece of the UI for a component test: the app's providers, a memory router, and jsdom
 * stand-ins for the browser APIs Mantine uses. `respond` replaces `fetch` with answers by
 * method and path, so tests read like the API exchange they exercise.
 */
import { configure, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { createQueryClient, Providers } from '../app.js';

// findBy…/waitFor give up after 1 s by default; on a loaded two-core machine a re-render after a
// refetch can take longer, and waiting longer only delays a failure, never hides one.
configure({ asyncUtilTimeout: 5_000 });

function polyfillBrowser(): void {
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  // Autosizing text areas re-measure when web fonts load; jsdom loads none.
  if (!('fonts' in document)) {
    Object.defineProperty(document, 'fonts', {
      value: { addEventListener: () => {}, removeEventListener: () => {} },
      configurable: true,
    });
  }
  // Comboboxes scroll the highlighted option into view; jsdom does no layout.
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};
  if (!window.ResizeObserver) {
    window.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
}

export function renderUi(ui: ReactNode, { path = '/' }: { path?: string } = {}) {
  polyfillBrowser();
  return render(
    <Providers queryClient={createQueryClient()}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </Providers>,
  );
}

export interface Exchange {
  status: number;
  body?: unknown;
}

/** A recorded request: method, path and parsed JSON body. */
export interface SentRequest {
  method: string;
  path: string;
  body: unknown;
}

/**
 * Replaces `fetch` with `answer(method, path, body)`; returns the requests sent, in order.
 * An unexpected request fails the test loudly (a 599 with the request in the message).
 */
export function respond(answer: (request: SentRequest) => Exchange | undefined): SentRequest[] {
  const sent: SentRequest[] = [];
  vi.stubGlobal('fetch', async (input: Request | string | URL, init?: RequestInit) => {
    // Relative URLs are the page's own origin, as in a browser.
    const request =
      input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const text = await request.text();
    const recorded = {
      method: request.method,
      path: new URL(request.url).pathname + new URL(request.url).search,
      body: text ? JSON.parse(text) : undefined,
    };
    sent.push(recorded);
    const exchange = answer(recorded) ?? {
      status: 599,
      body: { error: { code: 'unexpected', message: `${recorded.method} ${recorded.path}` } },
    };
    return new Response(exchange.body === undefined ? null : JSON.stringify(exchange.body), {
      status: exchange.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return sent;
}
