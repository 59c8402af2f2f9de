// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ProjectScope, ProjectScopeContext } from '../projects/environment-choice.js';
import { renderUi, respond } from '../test/render.js';
import { FlagsPage } from './flags-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const flag = {
  key: 'new-checkout',
  name: 'New checkout',
  description: '',
  type: 'boolean',
  variants: [
    { key: 'off', value: false },
    { key: 'on', value: true },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
  tags: ['checkout'],
  status: 'active',
  version: 7,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  environments: { production: { enabled: false }, staging: { enabled: true } },
};

function scope(canWrite: boolean): ProjectScope {
  return {
    projectKey: 'shop',
    environments: [
      { key: 'staging', name: 'Staging' },
      { key: 'production', name: 'Production' },
    ],
    environment: 'production',
    canWrite,
    canManage: false,
  };
}

function renderFlags(canWrite: boolean) {
  return renderUi(
    <ProjectScopeContext.Provider value={scope(canWrite)}>
      <FlagsPage />
    </ProjectScopeContext.Provider>,
  );
}

describe('the flags list', () => {
  it('toggles a flag in one environment with the version it showed', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path.startsWith('/api/v1/projects/shop/flags?'))
        return { status: 200, body: { items: [flag], nextCursor: null } };
      if (
        method === 'POST' &&
        path === '/api/v1/projects/shop/flags/new-checkout/environments/production/toggle'
      )
        return { status: 200, body: { ...flag, version: 8 } };
      return undefined;
    });
    renderFlags(true);
    const production = await screen.findByRole('switch', { name: 'new-checkout in Production' });
    expect(
      (screen.getByRole('switch', { name: 'new-checkout in Staging' }) as HTMLInputElement).checked,
    ).toBe(true);
    expect(screen.getByRole('link', { name: 'New flag' })).toBeTruthy();
    await userEvent.setup().click(production);
    await waitFor(() => expect(sent.some((request) => request.method === 'POST')).toBe(true));
    expect(sent.find((request) => request.method === 'POST')?.body).toEqual({ enabled: true, version: 7 });
  });

  it('sends the search and tag as filters', async () => {
    const sent = respond(({ method }) =>
      method === 'GET' ? { status: 200, body: { items: [], nextCursor: null } } : undefined,
    );
    renderFlags(true);
    expect(await screen.findByText('No flags yet.')).toBeTruthy();
    await userEvent.setup().type(screen.getByLabelText('Search'), 'check');
    await waitFor(() => expect(sent.at(-1)?.path).toContain('search=check'));
    expect(await screen.findByText('No flag matches.')).toBeTruthy();
  });

  it('shows a viewer every switch but lets them flip none, and offers no new flag', async () => {
    respond(({ method }) =>
      method === 'GET' ? { status: 200, body: { items: [flag], nextCursor: null } } : undefined,
    );
    renderFlags(false);
    const production = await screen.findByRole('switch', { name: 'new-checkout in Production' });
    expect((production as HTMLInputElement).disabled).toBe(true);
    expect(
      (screen.getByRole('switch', { name: 'new-checkout in Staging' }) as HTMLInputElement).disabled,
    ).toBe(true);
    expect(screen.queryByRole('link', { name: 'New flag' })).toBeNull();
  });

  it('lists stale flags of the chosen environment, with why, and asks again for another number of days', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path.startsWith('/api/v1/projects/shop/flags?'))
        return { status: 200, body: { items: [flag], nextCursor: null } };
      if (method === 'GET' && path.startsWith('/api/v1/projects/shop/environments/production/stale-flags?'))
        return {
          status: 200,
          body: {
            environment: 'production',
            days: 30,
            cutoff: '2026-10-30T10:00:00.000Z',
            items: [
              {
                key: 'old-banner',
                name: 'Old banner',
                reasons: ['fully_rolled_out', 'not_evaluated'],
                servedVariant: 'on',
                lastChangedAt: '2026-09-01T10:00:00.000Z',
                lastEvaluatedAt: null,
              },
            ],
          },
        };
      return undefined;
    });
    renderFlags(true);
    const user = userEvent.setup();
    await user.click(await screen.findByText('Stale'));
    const row = await screen.findByRole('row', { name: /Old banner/ });
    expect(row.textContent).toContain('one variant for all, unchanged');
    expect(row.textContent).toContain('not evaluated');
    expect(row.textContent).toContain('never (server)');
    expect(sent.at(-1)?.path).toBe('/api/v1/projects/shop/environments/production/stale-flags?days=30');
    const days = screen.getByRole('textbox', { name: 'Unchanged or not evaluated for (days)' });
    await user.clear(days);
    await user.type(days, '90');
    await waitFor(() => expect(sent.at(-1)?.path).toContain('stale-flags?days=90'));
  });
});
