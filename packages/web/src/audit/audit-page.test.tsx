// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Address, currentAddress } from '../test/address.js';
import { renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { AuditPage } from './audit-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const record = (id: string, action: string) => ({
  id,
  actor: { type: 'user', id: 'u-1' },
  action,
  resourceType: action.split('.')[0],
  resourceId: `${id}-object`,
  before: null,
  after: { key: `${id}-object` },
  requestId: 'req-1',
  createdAt: '2026-11-29T10:00:00.000Z',
});

const olivia = {
  userId: 'u-1',
  email: 'olivia@example.com',
  name: 'Olivia Owner',
  role: 'owner',
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};

describe('the audit log page', () => {
  it('names who acted, filters by object kind and pages older and newer', async () => {
    const sent = respond(({ method, path }) => {
      if (method !== 'GET') return undefined;
      if (path === '/api/v1/projects/shop/members')
        return {
          status: 200,
          body: {
            items: [
              {
                userId: 'u-1',
                email: 'olivia@example.com',
                name: 'Olivia Owner',
                role: 'owner',
                createdAt: '2026-11-29T10:00:00.000Z',
                updatedAt: '2026-11-29T10:00:00.000Z',
              },
            ],
          },
        };
      if (!path.startsWith('/api/v1/projects/shop/audit?')) return undefined;
      const query = new URLSearchParams(path.split('?')[1]);
      if (query.get('cursor') === 'page-2')
        return { status: 200, body: { items: [record('r3', 'segment.created')], nextCursor: null } };
      return {
        status: 200,
        body: {
          items: [record('r1', 'segment.updated'), record('r2', 'metric.created')],
          nextCursor: 'page-2',
        },
      };
    });
    renderProjectPage(<AuditPage />, { role: 'viewer', path: '/projects/shop/audit' });
    expect(await screen.findByRole('row', { name: /Olivia Owner segment.updated/ })).toBeTruthy();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('segment.created')).toBeTruthy();
    expect(sent.at(-1)?.path).toContain('cursor=page-2');
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('metric.created')).toBeTruthy();

    await user.click(screen.getByRole('combobox', { name: 'Object' }));
    await user.click(await screen.findByRole('option', { name: 'segment', hidden: true }));
    await waitFor(() => expect(sent.at(-1)?.path).toContain('resourceType=segment'));
    expect(sent.at(-1)?.path).not.toContain('cursor=');

    await user.click(screen.getAllByRole('button', { name: 'Show change' })[0] as HTMLElement);
    expect(await screen.findByText('After')).toBeTruthy();
  });
});

describe('the audit log page in the address bar', () => {
  it('opens with the filters of a bookmarked address and goes back to them after a change', async () => {
    const sent = respond(({ method, path }) => {
      if (method !== 'GET') return undefined;
      if (path === '/api/v1/projects/shop/members') return { status: 200, body: { items: [olivia] } };
      if (path.startsWith('/api/v1/projects/shop/audit?'))
        return { status: 200, body: { items: [record('r1', 'segment.updated')], nextCursor: null } };
      return undefined;
    });
    renderProjectPage(
      <>
        <AuditPage />
        <Address />
      </>,
      {
        role: 'viewer',
        path: '/projects/shop/audit?resourceType=segment&actor=user%3Au-1',
        route: '/projects/shop/audit',
      },
    );
    expect(await screen.findByRole('row', { name: /Olivia Owner segment.updated/ })).toBeTruthy();
    const audits = () => sent.filter((request) => request.path.startsWith('/api/v1/projects/shop/audit?'));
    expect(audits()[0]?.path).toContain('resourceType=segment');
    expect(audits()[0]?.path).toContain('actorId=u-1');
    const value = (name: string) => (screen.getByRole('combobox', { name }) as HTMLInputElement).value;
    expect(value('Object')).toBe('segment');
    await waitFor(() => expect(value('Changed by')).toBe('Olivia Owner'));

    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Object' }));
    await user.click(await screen.findByRole('option', { name: 'metric', hidden: true }));
    await waitFor(() =>
      expect(currentAddress()).toBe('/projects/shop/audit?resourceType=metric&actor=user%3Au-1'),
    );
    await waitFor(() => expect(audits().at(-1)?.path).toContain('resourceType=metric'));

    await user.click(screen.getByRole('button', { name: 'Browser back' }));
    await waitFor(() => expect(value('Object')).toBe('segment'));
    expect(currentAddress()).toBe('/projects/shop/audit?resourceType=segment&actor=user%3Au-1');
  });
});
