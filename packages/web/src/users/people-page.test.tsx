// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../app.js';
import { renderUi, respond, type SentRequest } from '../test/render.js';
import { sessionAnswer } from '../test/session.js';
import { PeoplePage } from './people-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

interface Account {
  id: string;
  email: string;
  name: string;
  isInstanceAdmin: boolean;
  disabled: boolean;
  createdAt: string;
}

const account = (id: string, name: string, changes: Partial<Account> = {}): Account => ({
  id,
  email: `${name.split(' ')[0]?.toLowerCase()}@example.com`,
  name,
  isInstanceAdmin: false,
  disabled: false,
  createdAt: '2026-11-29T10:00:00.000Z',
  ...changes,
});

/** An instance whose accounts live in `accounts`; PATCH and POST change them as the API would. */
function instance(
  accounts: Account[],
  refuse?: (request: SentRequest) => { status: number; body: unknown } | undefined,
): SentRequest[] {
  return respond((request) => {
    const { method, path, body } = request;
    if (method === 'GET' && path === '/api/v1/auth/session') return sessionAnswer(true);
    if (method === 'GET' && path === '/api/v1/users?limit=200')
      return { status: 200, body: { items: accounts, nextCursor: null } };
    const refused = refuse?.(request);
    if (refused) return refused;
    const patched = /^\/api\/v1\/users\/([^/]+)$/.exec(path);
    if (method === 'PATCH' && patched) {
      const index = accounts.findIndex((candidate) => candidate.id === patched[1]);
      const current = accounts[index] as Account;
      accounts[index] = { ...current, ...(body as Partial<Account>) };
      return { status: 200, body: accounts[index] };
    }
    if (method === 'POST' && path === '/api/v1/users') {
      const { name, email } = body as { name: string; email: string };
      const created = account(`u-${accounts.length + 1}`, name, { email });
      accounts.push(created);
      return { status: 201, body: { ...created, lastLoginAt: null } };
    }
    return undefined;
  });
}

const rowOf = async (name: string) => {
  const table = await screen.findByRole('table', { name: 'People' });
  return within(table).findByRole('row', { name: new RegExp(name) });
};

describe('the People page', () => {
  it('lists accounts with their administration and status, and offers no change of oneself', async () => {
    instance([
      account('u-1', 'Olivia Owner', { email: 'olivia@example.com', isInstanceAdmin: true }),
      account('u-2', 'Eddie Editor'),
      account('u-3', 'Gina Gone', { disabled: true }),
    ]);
    renderUi(<PeoplePage />);
    const me = await rowOf('Olivia Owner');
    expect(within(me).getByText('(you)')).toBeTruthy();
    expect(within(me).queryByRole('button')).toBeNull();
    expect(within(me).getByText('Yes')).toBeTruthy();
    const eddie = await rowOf('Eddie Editor');
    expect(within(eddie).getByText('Active')).toBeTruthy();
    expect(within(eddie).getByRole('button', { name: 'Disable Eddie Editor' })).toBeTruthy();
    const gina = await rowOf('Gina Gone');
    expect(within(gina).getByText('Disabled')).toBeTruthy();
    expect(within(gina).getByRole('button', { name: 'Enable Gina Gone' })).toBeTruthy();
  });

  it('disables a person only after a dialog naming them, and enables them again', async () => {
    const sent = instance([account('u-1', 'Olivia Owner'), account('u-2', 'Eddie Editor')]);
    renderUi(<PeoplePage />);
    await userEvent.click(
      within(await rowOf('Eddie Editor')).getByRole('button', { name: 'Disable Eddie Editor' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Disable Eddie Editor?' });
    expect(dialog.textContent).toContain('eddie@example.com');
    expect(dialog.textContent).toContain('signed out everywhere');
    expect(sent.filter((request) => request.method === 'PATCH')).toEqual([]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable Eddie Editor' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent.filter((request) => request.method === 'PATCH')).toEqual([
      { method: 'PATCH', path: '/api/v1/users/u-2', body: { disabled: true } },
    ]);
    const eddie = await rowOf('Eddie Editor');
    await within(eddie).findByText('Disabled');

    await userEvent.click(within(eddie).getByRole('button', { name: 'Enable Eddie Editor' }));
    await within(await rowOf('Eddie Editor')).findByText('Active');
    expect(sent.filter((request) => request.method === 'PATCH').at(-1)).toEqual({
      method: 'PATCH',
      path: '/api/v1/users/u-2',
      body: { disabled: false },
    });
  });

  it('keeps the person as they were when the dialog is left', async () => {
    const sent = instance([account('u-1', 'Olivia Owner'), account('u-2', 'Eddie Editor')]);
    renderUi(<PeoplePage />);
    await userEvent.click(
      within(await rowOf('Eddie Editor')).getByRole('button', { name: 'Disable Eddie Editor' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Disable Eddie Editor?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(sent.filter((request) => request.method === 'PATCH')).toEqual([]);
  });

  it('grants and revokes instance administration, and shows a refusal on its row', async () => {
    const sent = instance(
      [
        account('u-1', 'Olivia Owner'),
        account('u-2', 'Eddie Editor'),
        account('u-3', 'Ada Admin', { isInstanceAdmin: true }),
      ],
      ({ method, path }) =>
        method === 'PATCH' && path === '/api/v1/users/u-3'
          ? {
              status: 409,
              body: {
                error: {
                  code: 'last_instance_admin',
                  message: 'This is the last enabled instance administrator: make someone else one first.',
                },
              },
            }
          : undefined,
    );
    renderUi(<PeoplePage />);
    await userEvent.click(
      within(await rowOf('Eddie Editor')).getByRole('button', {
        name: 'Make administrator: Eddie Editor',
      }),
    );
    await within(await rowOf('Eddie Editor')).findByRole('button', {
      name: 'Revoke administrator: Eddie Editor',
    });
    expect(sent.filter((request) => request.method === 'PATCH')).toEqual([
      { method: 'PATCH', path: '/api/v1/users/u-2', body: { isInstanceAdmin: true } },
    ]);

    await userEvent.click(
      within(await rowOf('Ada Admin')).getByRole('button', {
        name: 'Revoke administrator: Ada Admin',
      }),
    );
    const alert = await within(await rowOf('Ada Admin')).findByRole('alert');
    expect(alert.textContent).toContain('last enabled instance administrator');
    expect(within(await rowOf('Eddie Editor')).queryByRole('alert')).toBeNull();
  });

  it('creates an account and lists it', async () => {
    const sent = instance([account('u-1', 'Olivia Owner')]);
    renderUi(<PeoplePage />);
    const form = await screen.findByRole('form', { name: 'Create an account' });
    await userEvent.type(within(form).getByLabelText(/^Name/), 'Nina New');
    await userEvent.type(within(form).getByLabelText(/^Email/), 'nina@example.com');
    await userEvent.type(within(form).getByLabelText(/^Initial password/), 'a long enough password');
    await userEvent.click(within(form).getByRole('button', { name: 'Create account' }));
    await rowOf('Nina New');
    expect(sent.find((request) => request.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v1/users',
      body: { name: 'Nina New', email: 'nina@example.com', password: 'a long enough password' },
    });
  });

  it('tells everyone else who manages people, without asking the API', async () => {
    const sent = respond(({ method, path }) =>
      method === 'GET' && path === '/api/v1/auth/session' ? sessionAnswer(false) : undefined,
    );
    renderUi(<PeoplePage />);
    await screen.findByText("Only instance administrators manage the instance's accounts.");
    expect(sent.map((request) => request.path)).toEqual(['/api/v1/auth/session']);
  });
});

describe('a session that ends behind the page', () => {
  it('shows the sign-in page after any request answers 401 (an administrator disabled the account)', async () => {
    let disabled = false;
    respond(({ method, path }) => {
      if (path === '/api/v1/auth/status') return { status: 200, body: { needsFirstUser: false } };
      if (disabled) return { status: 401, body: { error: { code: 'unauthorized', message: 'Sign in.' } } };
      if (method === 'GET' && path === '/api/v1/auth/session') return sessionAnswer(true);
      if (method === 'GET' && path === '/api/v1/users?limit=200')
        return { status: 200, body: { items: [account('u-1', 'Olivia Owner')], nextCursor: null } };
      if (method === 'POST' && path === '/api/v1/users') {
        disabled = true;
        return { status: 401, body: { error: { code: 'unauthorized', message: 'Sign in.' } } };
      }
      return undefined;
    });
    renderUi(<AppRoutes />, { path: '/instance/people' });
    const form = await screen.findByRole('form', { name: 'Create an account' });
    await userEvent.type(within(form).getByLabelText(/^Name/), 'Nina New');
    await userEvent.type(within(form).getByLabelText(/^Email/), 'nina@example.com');
    await userEvent.type(within(form).getByLabelText(/^Initial password/), 'a long enough password');
    await userEvent.click(within(form).getByRole('button', { name: 'Create account' }));
    await screen.findByRole('button', { name: 'Sign in' });
  });
});
