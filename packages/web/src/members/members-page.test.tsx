// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fill, renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { MembersPage } from './members-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const member = (userId: string, email: string, role: string) => ({
  userId,
  email,
  name: email.split('@')[0],
  role,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
});
const members = [member('u-1', 'olivia@example.com', 'owner'), member('u-2', 'victor@example.com', 'viewer')];

function answer(
  extra: (method: string, path: string, body: unknown) => { status: number; body?: unknown } | undefined,
) {
  return respond(({ method, path, body }) => {
    if (method === 'GET' && path === '/api/v1/auth/session')
      return { status: 401, body: { error: { code: 'unauthorized', message: 'no' } } };
    if (method === 'GET' && path === '/api/v1/projects/shop/members')
      return { status: 200, body: { items: members } };
    return extra(method, path, body);
  });
}

describe('the members page', () => {
  it('adds a person by email, showing an unknown email under the field', async () => {
    let attempts = 0;
    const sent = answer((method, path) => {
      if (method !== 'PUT' || path !== '/api/v1/projects/shop/members') return undefined;
      attempts += 1;
      return attempts === 1
        ? {
            status: 404,
            body: {
              error: {
                code: 'not_found',
                message: 'No account with email "ana@example.com"; create it first (POST /api/v1/users).',
                details: {
                  issues: [{ path: '/body/email', message: 'has no account yet; create it first' }],
                },
              },
            },
          }
        : { status: 200, body: member('u-3', 'ana@example.com', 'editor') };
    });
    renderProjectPage(<MembersPage />, { role: 'admin', path: '/projects/shop/members' });
    await screen.findByText('victor@example.com');
    fill(/^Email of their account/, 'ana@example.com');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Add member' }));
    expect(await screen.findByText('has no account yet; create it first')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add member' }));
    await waitFor(() => expect(attempts).toBe(2));
    expect(sent.filter((request) => request.method === 'PUT').at(-1)?.body).toEqual({
      email: 'ana@example.com',
      role: 'editor',
    });
  });

  it('changes a role and removes a member', async () => {
    const sent = answer((method, path) => {
      if (method === 'PUT') return { status: 200, body: member('u-2', 'victor@example.com', 'editor') };
      if (method === 'DELETE' && path === '/api/v1/projects/shop/members/u-2') return { status: 204 };
      return undefined;
    });
    renderProjectPage(<MembersPage />, { role: 'admin', path: '/projects/shop/members' });
    const user = userEvent.setup();
    const role = await screen.findByRole('combobox', { name: 'Role of victor@example.com' });
    await user.click(role);
    const options = await waitFor(
      () => document.getElementById(role.getAttribute('aria-controls') ?? '') as HTMLElement,
    );
    await user.click(within(options).getByRole('option', { name: 'editor', hidden: true }));
    await waitFor(() => expect(sent.some((request) => request.method === 'PUT')).toBe(true));
    expect(sent.find((request) => request.method === 'PUT')?.body).toEqual({
      email: 'victor@example.com',
      role: 'editor',
    });
    await user.click(screen.getByRole('button', { name: 'Remove victor@example.com' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'DELETE')).toBe(true));
  });

  it('shows an editor the members and their roles, with nothing to change', async () => {
    answer(() => undefined);
    renderProjectPage(<MembersPage />, { role: 'editor', path: '/projects/shop/members' });
    expect(await screen.findByRole('row', { name: /victor@example.com viewer/ })).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('combobox')).toBeNull();
  });
});
