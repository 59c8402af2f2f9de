// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fill, renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { ApiKeysPage } from './api-keys-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const project = {
  id: 'p1',
  key: 'shop',
  name: 'Shop',
  description: '',
  environments: [
    { id: 'env-staging', key: 'staging', name: 'Staging' },
    { id: 'env-production', key: 'production', name: 'Production' },
  ],
};
const webShop = {
  id: 'key-1',
  kind: 'sdk',
  name: 'web shop',
  prefix: 'clv_sdk_ab12',
  environmentId: 'env-production',
  createdBy: 'u-1',
  createdAt: '2026-11-29T10:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
};

describe('the API keys page', () => {
  it('creates a key for the chosen environment and shows its secret once', async () => {
    let keys = [] as (typeof webShop)[];
    const sent = respond(({ method, path }) => {
      if (path === '/api/v1/projects/shop') return { status: 200, body: project };
      if (method === 'GET' && path === '/api/v1/projects/shop/api-keys')
        return { status: 200, body: { items: keys } };
      if (method === 'POST' && path === '/api/v1/projects/shop/api-keys') {
        keys = [webShop];
        return { status: 201, body: { ...webShop, secret: 'clv_sdk_ab12-the-whole-secret' } };
      }
      return undefined;
    });
    renderProjectPage(<ApiKeysPage />, { role: 'admin', path: '/projects/shop/api-keys' });
    expect(await screen.findByText('No API keys yet.')).toBeTruthy();
    fill(/^Key name/, 'web shop');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Create key' }));
    expect((await screen.findByTestId('secret')).textContent).toBe('clv_sdk_ab12-the-whole-secret');
    expect(sent.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'web shop',
      kind: 'sdk',
      environment: 'production',
    });
    // The list never has it: only the prefix, and the environment by name.
    const row = await screen.findByRole('row', { name: /web shop/ });
    expect(row.textContent).toContain('clv_sdk_ab12…');
    expect(row.textContent).toContain('Production');
    await userEvent.setup().click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('secret')).toBeNull();
  });

  it('revokes a key after asking', async () => {
    let revoked = false;
    const sent = respond(({ method, path }) => {
      if (path === '/api/v1/projects/shop') return { status: 200, body: project };
      if (method === 'GET' && path === '/api/v1/projects/shop/api-keys')
        return {
          status: 200,
          body: { items: [revoked ? { ...webShop, revokedAt: '2026-11-29T11:00:00.000Z' } : webShop] },
        };
      if (method === 'DELETE' && path === '/api/v1/projects/shop/api-keys/key-1') {
        revoked = true;
        return { status: 200, body: { ...webShop, revokedAt: '2026-11-29T11:00:00.000Z' } };
      }
      return undefined;
    });
    renderProjectPage(<ApiKeysPage />, { role: 'admin', path: '/projects/shop/api-keys' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke web shop' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'DELETE')).toBe(true));
    expect(await screen.findByText(/^revoked/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Revoke web shop' })).toBeNull();
  });

  it('tells an editor who manages keys, and asks the API nothing', async () => {
    const sent = respond(() => undefined);
    renderProjectPage(<ApiKeysPage />, { role: 'editor', path: '/projects/shop/api-keys' });
    expect(screen.getByText(/Only the project's admins and owners/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    expect(sent).toEqual([]);
  });
});
