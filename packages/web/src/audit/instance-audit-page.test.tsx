// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Address, currentAddress } from '../test/address.js';
import { type Exchange, renderUi, respond, type SentRequest } from '../test/render.js';
import { sessionAnswer } from '../test/session.js';
import { InstanceAuditPage } from './instance-audit-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const project = (id: string, key: string, name: string) => ({
  id,
  key,
  name,
  description: '',
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
  version: 1,
});

const record = (id: string, action: string, projectId: string | null, actorId = 'u-1') => ({
  id,
  actor: { type: 'user', id: actorId },
  action,
  resourceType: action.split('.')[0],
  resourceId: `${id}-object`,
  before: null,
  after: null,
  requestId: 'req-1',
  createdAt: '2026-11-29T10:00:00.000Z',
  projectId,
});

const user = (id: string, name: string, isInstanceAdmin = false) => ({
  id,
  email: `${name.split(' ')[0]?.toLowerCase()}@example.com`,
  name,
  isInstanceAdmin,
  createdAt: '2026-11-29T10:00:00.000Z',
});

/**
 * The API of an instance with the project Shop (its list on two pages: Kept is on the second) and
 * the deleted p-gone; its people on two pages too: Gina, on the second, was a member of p-gone only.
 */
function instance(audit: (query: URLSearchParams) => Exchange): SentRequest[] {
  return respond(({ method, path }) => {
    if (method !== 'GET') return undefined;
    if (path === '/api/v1/auth/session') return sessionAnswer(true);
    if (path === '/api/v1/projects?limit=100')
      return { status: 200, body: { items: [project('p-1', 'shop', 'Shop')], nextCursor: 'projects-2' } };
    if (path === '/api/v1/projects?limit=100&cursor=projects-2')
      return { status: 200, body: { items: [project('p-2', 'kept', 'Kept')], nextCursor: null } };
    if (path === '/api/v1/users?limit=200')
      return {
        status: 200,
        body: {
          items: [user('u-2', 'Eddie Editor'), user('u-3', 'Kim Keeper'), user('u-1', 'Olivia Owner', true)],
          nextCursor: 'users-2',
        },
      };
    if (path === '/api/v1/users?limit=200&cursor=users-2')
      return { status: 200, body: { items: [user('u-9', 'Gina Gone')], nextCursor: null } };
    if (path.startsWith('/api/v1/audit?')) return audit(new URLSearchParams(path.split('?')[1]));
    return undefined;
  });
}

const renderPage = (path = '/instance/audit') =>
  renderUi(
    <>
      <Routes>
        <Route path="/instance/audit" element={<InstanceAuditPage />} />
      </Routes>
      <Address />
    </>,
    { path },
  );

const auditRequests = (sent: SentRequest[]) =>
  sent.filter((request) => request.path.startsWith('/api/v1/audit?'));

describe('the instance audit log page', () => {
  it("names each record's project, a deleted one by its id, and opens a deleted project's whole trail", async () => {
    const sent = instance((query) => {
      if (query.get('projectId') === 'p-gone')
        return {
          status: 200,
          body: {
            items: [record('r1', 'project.deleted', 'p-gone'), record('r9', 'flag.created', 'p-gone')],
            nextCursor: null,
          },
        };
      if (query.get('resourceType') === 'project')
        return {
          status: 200,
          body: { items: [record('r1', 'project.deleted', 'p-gone')], nextCursor: null },
        };
      return {
        status: 200,
        body: {
          items: [
            record('r1', 'project.deleted', 'p-gone'),
            record('r2', 'flag.created', 'p-1'),
            record('r3', 'segment.created', 'p-2', 'u-3'),
            record('r4', 'user.created', null),
            record('r5', 'metric.created', 'p-gone', 'u-9'),
            record('r6', 'layer.created', 'p-gone', 'u-404'),
          ],
          nextCursor: null,
        },
      };
    });
    renderPage();
    const records = await screen.findByRole('table', { name: 'Audit records' });
    expect(await within(records).findByRole('row', { name: /Shop Olivia Owner flag.created/ })).toBeTruthy();
    // Kept is on the second page of projects: named, not taken for a deleted project.
    expect(await within(records).findByRole('row', { name: /Kept Kim Keeper segment.created/ })).toBeTruthy();
    // A member of only the deleted project is named from the instance's accounts (their second page).
    expect(await within(records).findByRole('row', { name: /Gina Gone metric.created/ })).toBeTruthy();
    // An id no account has (none is ever deleted, but the trail outlives everything) shows as it is.
    expect(within(records).getByRole('row', { name: /u-404 layer.created/ })).toBeTruthy();
    expect(within(records).getByRole('row', { name: /instance Olivia Owner user.created/ })).toBeTruthy();
    const deletion = within(records).getByRole('row', { name: /project.deleted/ });
    expect(deletion.textContent).toContain('p-gone');
    expect(deletion.textContent).toContain('deleted project');
    expect(within(records).getAllByText('deleted project')).toHaveLength(3);

    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Object' }));
    await user.click(await screen.findByRole('option', { name: 'project', hidden: true }));
    await waitFor(() => expect(auditRequests(sent).at(-1)?.path).toContain('resourceType=project'));
    await waitFor(() => expect(screen.queryByText('flag.created')).toBeNull());

    await user.click(screen.getByRole('button', { name: 'Whole trail of deleted project p-gone' }));
    await waitFor(() => expect(auditRequests(sent).at(-1)?.path).toContain('projectId=p-gone'));
    // The whole trail: the kind of object chosen before is let go.
    expect(auditRequests(sent).at(-1)?.path).not.toContain('resourceType=');
    expect(await screen.findByText('flag.created')).toBeTruthy();
    expect((screen.getByRole('combobox', { name: 'Project' }) as HTMLInputElement).value).toBe(
      'p-gone (deleted project)',
    );
    expect((screen.getByRole('combobox', { name: 'Object' }) as HTMLInputElement).value).toBe('');
    // Already filtered by it: no link to the same trail again.
    expect(screen.queryByRole('button', { name: /Whole trail of/ })).toBeNull();
  });

  it('filters by an existing project, offers everyone under "Changed by", and pages older and newer', async () => {
    const sent = instance((query) => {
      if (query.get('cursor') === 'page-2')
        return { status: 200, body: { items: [record('r3', 'segment.created', 'p-1')], nextCursor: null } };
      return {
        status: 200,
        body: {
          items: [record('r1', 'flag.updated', 'p-1'), record('r2', 'metric.created', 'p-1')],
          nextCursor: 'page-2',
        },
      };
    });
    renderPage();
    expect(await screen.findByText('flag.updated')).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('segment.created')).toBeTruthy();
    expect(auditRequests(sent).at(-1)?.path).toContain('cursor=page-2');
    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('metric.created')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Older' }));
    await screen.findByText('segment.created');

    await user.click(screen.getByRole('combobox', { name: 'Project' }));
    await user.click(await screen.findByRole('option', { name: 'Shop', hidden: true }));
    await waitFor(() => expect(auditRequests(sent).at(-1)?.path).toContain('projectId=p-1'));
    // A new filter starts from the newest page.
    expect(auditRequests(sent).at(-1)?.path).not.toContain('cursor=');

    await user.click(screen.getByRole('combobox', { name: 'Changed by' }));
    // Every account, in name order, whichever project is chosen: Gina was in none left.
    await screen.findByRole('option', { name: 'Gina Gone', hidden: true });
    const changedBy = screen.getByRole('listbox', { name: 'Changed by', hidden: true });
    const offered = within(changedBy)
      .getAllByRole('option', { hidden: true })
      .map((option) => option.textContent);
    expect(offered).toEqual([
      'Eddie Editor',
      'Gina Gone',
      'Kim Keeper',
      'Olivia Owner',
      'Any API key',
      'The system',
    ]);
    await user.type(screen.getByRole('combobox', { name: 'Changed by' }), 'oli');
    await waitFor(() =>
      expect(
        within(changedBy)
          .getAllByRole('option', { hidden: true })
          .map((option) => option.textContent),
      ).toEqual(['Olivia Owner']),
    );
    await user.click(screen.getByRole('option', { name: 'Olivia Owner', hidden: true }));
    await waitFor(() => expect(auditRequests(sent).at(-1)?.path).toContain('actorId=u-1'));
  });

  it('keeps its filters in the address: a bookmark opens them, Back undoes a change', async () => {
    const sent = instance((query) =>
      query.get('cursor') === 'page-2'
        ? {
            status: 200,
            body: { items: [record('r2', 'segment.created', 'p-gone', 'u-9')], nextCursor: null },
          }
        : {
            status: 200,
            body: { items: [record('r1', 'flag.updated', 'p-gone', 'u-9')], nextCursor: 'page-2' },
          },
    );
    renderPage(
      '/instance/audit?projectId=p-gone&resourceType=flag&actor=user%3Au-9&from=2026-11-01&to=2026-11-29',
    );
    expect(await screen.findByRole('row', { name: /Gina Gone flag.updated/ })).toBeTruthy();
    // Asked with the bookmarked filters from the first request on.
    const first = new URLSearchParams(auditRequests(sent)[0]?.path.split('?')[1]);
    expect(Object.fromEntries(first)).toMatchObject({
      projectId: 'p-gone',
      resourceType: 'flag',
      actorType: 'user',
      actorId: 'u-9',
      since: new Date(2026, 10, 1).toISOString(),
      until: new Date(2026, 10, 30).toISOString(),
    });
    const value = (name: string) => (screen.getByRole('combobox', { name }) as HTMLInputElement).value;
    await waitFor(() => expect(value('Project')).toBe('p-gone (deleted project)'));
    expect(value('Object')).toBe('flag');
    await waitFor(() => expect(value('Changed by')).toBe('Gina Gone'));
    expect((screen.getByLabelText('From day') as HTMLInputElement).value).toBe('2026-11-01');
    expect((screen.getByLabelText('To day (included)') as HTMLInputElement).value).toBe('2026-11-29');

    // Paging stays out of the address.
    const user = userEvent.setup();
    const bookmarked = currentAddress();
    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('segment.created')).toBeTruthy();
    expect(currentAddress()).toBe(bookmarked);

    await user.click(screen.getByRole('combobox', { name: 'Object' }));
    await user.click(await screen.findByRole('option', { name: 'metric', hidden: true }));
    await waitFor(() => expect(currentAddress()).toContain('resourceType=metric'));
    expect(currentAddress()).toContain('projectId=p-gone');
    await waitFor(() => expect(auditRequests(sent).at(-1)?.path).toContain('resourceType=metric'));
    expect(auditRequests(sent).at(-1)?.path).not.toContain('cursor=');
    fireEvent.change(screen.getByLabelText('From day'), { target: { value: '2026-11-02' } });
    await waitFor(() => expect(currentAddress()).toContain('from=2026-11-02'));

    // Back undoes one change at a time, each to the newest page of its filters.
    await user.click(screen.getByRole('button', { name: 'Browser back' }));
    await waitFor(() => expect(currentAddress()).toContain('from=2026-11-01'));
    expect(currentAddress()).toContain('resourceType=metric');
    await user.click(screen.getByRole('button', { name: 'Browser back' }));
    await waitFor(() => expect(value('Object')).toBe('flag'));
    expect(currentAddress()).toBe(bookmarked);
    expect(await screen.findByText('flag.updated')).toBeTruthy();
    expect(screen.queryByText('segment.created')).toBeNull();

    // A project's whole trail is one change too: Back brings the other filters back.
    await user.click(screen.getByRole('combobox', { name: 'Project' }));
    await user.click(await screen.findByRole('option', { name: 'Shop', hidden: true }));
    await waitFor(() => expect(currentAddress()).toContain('projectId=p-1'));
    // With every account offered, who acted is kept when the project changes.
    expect(currentAddress()).toContain('actor=user%3Au-9');
  });

  it('drops what it could not show from a hand-made address instead of asking for it', async () => {
    const sent = instance(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    renderPage('/instance/audit?resourceType=nonsense&actor=robot&from=yesterday&projectId=p-1&tab=keep');
    expect(await screen.findByText('No change matches.')).toBeTruthy();
    const query = new URLSearchParams(auditRequests(sent)[0]?.path.split('?')[1]);
    expect([...query.keys()].sort()).toEqual(['limit', 'projectId']);
    // A change rewrites the filters in the address, keeping parameters that are not filters.
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Object' }));
    await user.click(await screen.findByRole('option', { name: 'flag', hidden: true }));
    await waitFor(() =>
      expect(currentAddress()).toBe('/instance/audit?resourceType=flag&projectId=p-1&tab=keep'),
    );
  });

  it('tells someone who is not an instance administrator who may read it, without asking the API', async () => {
    const sent = respond(({ method, path }) =>
      method === 'GET' && path === '/api/v1/auth/session' ? sessionAnswer(false) : undefined,
    );
    renderPage();
    expect(await screen.findByText(/Only instance administrators/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(sent.map((request) => request.path)).toEqual(['/api/v1/auth/session']);
  });
});
