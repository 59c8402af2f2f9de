// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LayersPage } from '../layers/layers-page.js';
import { fill, renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { fractionFromPercentage, HoldoutsPage } from './holdouts-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const holdout = {
  key: 'global-holdout',
  name: 'Global holdout',
  description: '',
  fraction: 0.05,
  tags: [],
  status: 'active',
  version: 3,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};
const empty = { status: 200, body: { items: [], nextCursor: null } };

describe('the holdouts page', () => {
  it('changes a holdout’s share with the version it read', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path.startsWith('/api/v1/projects/shop/holdouts?'))
        return { status: 200, body: { items: [holdout], nextCursor: null } };
      if (method === 'GET' && path.startsWith('/api/v1/projects/shop/layers?')) return empty;
      if (method === 'PATCH' && path === '/api/v1/projects/shop/holdouts/global-holdout')
        return { status: 200, body: { ...holdout, fraction: 0.1, version: 4 } };
      return undefined;
    });
    renderProjectPage(<HoldoutsPage />, { role: 'editor', path: '/projects/shop/holdouts' });
    expect(await screen.findByRole('row', { name: /Global holdout .*5 % whole project/ })).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Edit global-holdout' }));
    const dialog = await screen.findByRole('dialog');
    fill(/^Units held out/, '10');
    await user.click(within(dialog).getByRole('button', { name: 'Save holdout' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'PATCH')).toBe(true));
    expect(sent.find((request) => request.method === 'PATCH')?.body).toMatchObject({
      fraction: 0.1,
      version: 3,
    });
  });

  it('offers a viewer no way to create or edit', async () => {
    respond(({ method, path }) =>
      method === 'GET' && path.startsWith('/api/v1/projects/shop/holdouts?')
        ? { status: 200, body: { items: [holdout], nextCursor: null } }
        : undefined,
    );
    renderProjectPage(<HoldoutsPage />, { role: 'viewer', path: '/projects/shop/holdouts' });
    await screen.findByText('Global holdout');
    expect(screen.queryByRole('button', { name: /New holdout|Edit/ })).toBeNull();
  });

  it('rounds a typed percentage to basis points', () => {
    expect(fractionFromPercentage(33.33)).toBe(0.3333);
    expect(fractionFromPercentage(5)).toBe(0.05);
  });
});

describe('the layers page', () => {
  it('creates a layer from the dialog', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path.startsWith('/api/v1/projects/shop/layers')) return empty;
      if (method === 'POST' && path === '/api/v1/projects/shop/layers')
        return { status: 201, body: { ...holdout, key: 'checkout', name: 'Checkout' } };
      return undefined;
    });
    renderProjectPage(<LayersPage />, { role: 'editor', path: '/projects/shop/layers' });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New layer' }));
    const dialog = await screen.findByRole('dialog');
    fill('Name', 'Checkout');
    await user.click(within(dialog).getByRole('button', { name: 'Create layer' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'POST')).toBe(true));
    expect(sent.find((request) => request.method === 'POST')?.body).toEqual({
      key: 'checkout',
      name: 'Checkout',
      description: '',
      tags: [],
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
