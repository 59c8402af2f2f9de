// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Exchange, renderUi, respond, type SentRequest } from '../test/render.js';
import { InstanceAuditPage } from './instance-audit-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const session = (isInstanceAdmin: boolean) => ({
  status: 200,
  body: {
    user: {
      id: 'u-1',
      email: 'olivia@example.com',
      name: 'Olivia Owner',
      isInstanceAdmin,
      createdAt: '2026-11-29T10:00:00.000Z',
      lastLoginAt: null,
    },
    csrfToken: 'csrf',
  },
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

const member = (userId: string, name: string) => ({
  userId,
  email: `${userId}@example.com`,
  name,
  role: 'editor',
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
});

/** The API of an instance with the project Shop (its list on two pages: Kept is on the second) and the deleted p-gone. */
function instance(audit: (query: URLSearchParams) => Exchange): SentRequest[] {
  return respond(({ method, path }) => {
    if (method !== 'GET') return undefined;
    if (path === '/api/v1/auth/session') return session(true);
    if (path === '/api/v1/projects?limit=100')
      return { status: 200, body: { items: [project('p-1', 'shop', 'Shop')], nextCursor: 'projects-2' } };
    if (path === '/api/v1/projects?limit=100&cursor=projects-2')
      return { status: 200, body: { items: [project('p-2', 'kept', 'Kept')], nextCursor: null } };
    if (path === '/api/v1/projects/shop/members')
      return { status: 200, body: { items: [member('u-2', 'Eddie Editor')] } };
    if (path === '/api/v1/projects/kept/members')
      return { status: 200, body: { items: [member('u-3', 'Kim Keeper')] } };
    if (path.startsWith('/api/v1/audit?')) return audit(new URLSearchParams(path.split('?')[1]));
    return undefined;
  });
}

const renderPage = () =>
  renderUi(
    <Routes>
      <Route path="/instance/audit" element={<InstanceAuditPage />} />
    </Routes>,
    { path: '/instance/audit' },
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
          ],
          nextCursor: null,
        },
      };
    });
    renderPage();
    const records = await screen.findByRole('table', { name: 'Audit records' });
    expect(await within(records).findByRole('row', { name: /Shop Olivia Owner flag.created/ })).toBeTruthy();
    // Kept is on the second page of projects: named, not taken for a deleted project; who acted in
    // it is named from its members.
    expect(await within(records).findByRole('row', { name: /Kept Kim Keeper segment.created/ })).toBeTruthy();
    // Someone known from no project on the page shows as their id.
    expect(within(records).getByRole('row', { name: /u-9 metric.created/ })).toBeTruthy();
    expect(within(records).getByRole('row', { name: /instance Olivia Owner user.created/ })).toBeTruthy();
    const deletion = within(records).getByRole('row', { name: /project.deleted/ });
    expect(deletion.textContent).toContain('p-gone');
    expect(deletion.textContent).toContain('deleted project');
    expect(within(records).getAllByText('deleted project')).toHaveLength(2);

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

  it('filters by an existing project, naming its members, and pages older and newer', async () => {
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
    expect(await screen.findByRole('option', { name: 'Eddie Editor', hidden: true })).toBeTruthy();
    // Only the chosen project's members (and oneself) are offered.
    expect(screen.queryByRole('option', { name: 'Kim Keeper', hidden: true })).toBeNull();
    await user.click(screen.getByRole('option', { name: 'Olivia Owner', hidden: true }));
    await waitFor(() => expect(auditRequests(sent).at(-1)?.path).toContain('actorId=u-1'));
  });

  it('tells someone who is not an instance administrator who may read it, without asking the API', async () => {
    const sent = respond(({ method, path }) =>
      method === 'GET' && path === '/api/v1/auth/session' ? session(false) : undefined,
    );
    renderPage();
    expect(await screen.findByText(/Only instance administrators/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(sent.map((request) => request.path)).toEqual(['/api/v1/auth/session']);
  });
});
