// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fill, renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { WebhookPage } from './webhook-page.js';
import { WebhooksPage } from './webhooks-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const webhook = {
  id: 'wh-1',
  url: 'https://hooks.example.com/cleave',
  description: 'Deploy bot',
  events: ['flag.*'],
  enabled: true,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  version: 2,
};
const failed = {
  id: 'd-1',
  webhookId: 'wh-1',
  eventId: 'e-1',
  eventType: 'flag.updated',
  status: 'failed',
  attempts: 8,
  nextAttemptAt: null,
  lastStatusCode: 503,
  lastError: 'HTTP 503 Service Unavailable',
  payload: { id: 'e-1', type: 'flag.updated' },
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:20:00.000Z',
};
const base = '/api/v1/projects/shop/webhooks/wh-1';

function renderWebhook(role: 'admin' | 'editor' = 'admin') {
  return renderProjectPage(<WebhookPage />, {
    role,
    path: '/projects/shop/webhooks/wh-1',
    route: '/projects/shop/webhooks/:webhookId',
  });
}

describe('the webhook page', () => {
  it('shows the delivery log and redelivers a failed delivery', async () => {
    let redelivered = false;
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path === base)
        return { status: 200, body: { ...webhook, recentDeliveries: [] } };
      if (method === 'GET' && path.startsWith(`${base}/deliveries?`))
        return {
          status: 200,
          body: {
            items: [
              redelivered
                ? { ...failed, status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null }
                : failed,
            ],
            nextCursor: null,
          },
        };
      if (method === 'POST' && path === `${base}/deliveries/d-1/redeliver`) {
        redelivered = true;
        return { status: 202, body: { ...failed, status: 'pending', attempts: 0 } };
      }
      return undefined;
    });
    renderWebhook();
    const row = await screen.findByRole('row', { name: /flag.updated failed 8/ });
    expect(row.textContent).toContain('HTTP 503 Service Unavailable');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Redeliver' }));
    await waitFor(() =>
      expect(sent.some((request) => request.path === `${base}/deliveries/d-1/redeliver`)).toBe(true),
    );
    expect(await screen.findByRole('row', { name: /flag.updated delivered 1/ })).toBeTruthy();
  });

  it('disables the webhook with the version it read, and rotates its secret showing the new one once', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path === base)
        return { status: 200, body: { ...webhook, recentDeliveries: [] } };
      if (method === 'GET' && path.startsWith(`${base}/deliveries?`))
        return { status: 200, body: { items: [], nextCursor: null } };
      if (method === 'PATCH' && path === base)
        return { status: 200, body: { ...webhook, enabled: false, version: 3 } };
      if (method === 'POST' && path === `${base}/rotate-secret`)
        return { status: 200, body: { ...webhook, secret: 'clv_whsec_new-secret' } };
      return undefined;
    });
    renderWebhook();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'PATCH')).toBe(true));
    expect(sent.find((request) => request.method === 'PATCH')?.body).toEqual({ enabled: false, version: 2 });
    await user.click(screen.getByRole('button', { name: 'Rotate secret' }));
    expect((await screen.findByTestId('secret')).textContent).toBe('clv_whsec_new-secret');
  });

  it('tells an editor who manages webhooks', () => {
    respond(() => undefined);
    renderWebhook('editor');
    expect(screen.getByText(/Only the project's admins and owners/)).toBeTruthy();
  });
});

describe('the webhooks list', () => {
  it('creates a webhook, showing a refused URL under its field and then the signing secret once', async () => {
    let attempts = 0;
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path === '/api/v1/projects/shop/webhooks')
        return { status: 200, body: { items: [] } };
      if (method !== 'POST' || path !== '/api/v1/projects/shop/webhooks') return undefined;
      attempts += 1;
      return attempts === 1
        ? {
            status: 400,
            body: {
              error: {
                code: 'validation_failed',
                message: 'The request is not valid.',
                details: { issues: [{ path: '/body/url', message: 'points into a private network' }] },
              },
            },
          }
        : { status: 201, body: { ...webhook, secret: 'clv_whsec_first' } };
    });
    renderProjectPage(<WebhooksPage />, { role: 'admin', path: '/projects/shop/webhooks' });
    await screen.findByText('No webhooks yet.');
    fill(/^URL/, 'http://10.0.0.1/hook');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));
    expect(await screen.findByText('points into a private network')).toBeTruthy();
    fill(/^URL/, 'https://hooks.example.com/cleave');
    await user.click(screen.getByRole('button', { name: 'Create webhook' }));
    expect((await screen.findByTestId('secret')).textContent).toBe('clv_whsec_first');
    expect(sent.filter((request) => request.method === 'POST').at(-1)?.body).toEqual({
      url: 'https://hooks.example.com/cleave',
      description: '',
      events: ['*'],
      enabled: true,
    });
  });
});
