// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { SegmentPage } from './segment-page.js';
import { SegmentsPage } from './segments-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const betaTesters = {
  key: 'beta-testers',
  name: 'Beta testers',
  description: '',
  conditions: [
    { attribute: 'country', operator: 'in', value: ['NL', 'BE'] },
    { attribute: 'beta', operator: 'eq', value: true },
  ],
  tags: ['beta'],
  status: 'active',
  version: 4,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};

const segmentUrl = '/api/v1/projects/shop/segments/beta-testers';

describe('the segment page', () => {
  it('creates a segment with conditions from the builder, and shows the API error next to the condition', async () => {
    let attempts = 0;
    const sent = respond(({ method, path }) => {
      if (method !== 'POST' || path !== '/api/v1/projects/shop/segments') return undefined;
      attempts += 1;
      if (attempts === 1)
        return {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'The request is not valid.',
              details: { issues: [{ path: '/body/conditions/0/attribute', message: 'must not be empty' }] },
            },
          },
        };
      return { status: 201, body: betaTesters };
    });
    renderProjectPage(<SegmentPage />, { role: 'editor', path: '/projects/shop/segments/new' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Beta testers');
    expect((screen.getByLabelText(/^Key/) as HTMLInputElement).value).toBe('beta-testers');
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    await user.type(screen.getByLabelText('Condition 1 value'), 'NL');
    await user.click(screen.getByRole('button', { name: 'Create segment' }));
    expect(await screen.findByText('must not be empty')).toBeTruthy();
    // Shown under the field, not as a page-wide alert.
    expect(screen.queryByRole('alert')).toBeNull();

    await user.type(screen.getByLabelText('Condition 1 attribute'), 'country');
    await user.click(screen.getByRole('button', { name: 'Create segment' }));
    await waitFor(() => expect(attempts).toBe(2));
    expect(sent.at(-1)?.body).toEqual({
      key: 'beta-testers',
      name: 'Beta testers',
      description: '',
      tags: [],
      conditions: [{ attribute: 'country', operator: 'eq', value: 'NL' }],
    });
  });

  it('edits the saved conditions with the version it read', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path === segmentUrl) return { status: 200, body: betaTesters };
      if (method === 'PATCH' && path === segmentUrl)
        return { status: 200, body: { ...betaTesters, version: 5 } };
      return undefined;
    });
    renderProjectPage(<SegmentPage />, {
      role: 'editor',
      path: '/projects/shop/segments/beta-testers',
      route: '/projects/shop/segments/:segmentKey',
    });
    const value = (await screen.findByLabelText('Condition 1 value')) as HTMLInputElement;
    expect(value.value).toBe('NL, BE');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Remove condition 2' }));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save segment' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'PATCH')).toBe(true));
    expect(sent.find((request) => request.method === 'PATCH')?.body).toMatchObject({
      version: 4,
      conditions: [{ attribute: 'country', operator: 'in', value: ['NL', 'BE'] }],
    });
  });

  it('lists what still uses a segment when archiving it is refused', async () => {
    respond(({ method, path }) => {
      if (method === 'GET' && path === segmentUrl) return { status: 200, body: betaTesters };
      if (method === 'POST' && path === `${segmentUrl}/archive`)
        return {
          status: 409,
          body: {
            error: {
              code: 'conflict',
              message: 'The segment "beta-testers" is still in use; remove the references first.',
              details: {
                issues: [
                  {
                    path: '/flags[new-checkout]/environments/production/rules/0/conditions/0/segment',
                    message: 'names segment "beta-testers", which does not exist',
                  },
                ],
              },
            },
          },
        };
      return undefined;
    });
    renderProjectPage(<SegmentPage />, {
      role: 'editor',
      path: '/projects/shop/segments/beta-testers',
      route: '/projects/shop/segments/:segmentKey',
    });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Archive segment' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('still in use');
    expect(alert.textContent).toContain('/flags[new-checkout]/environments/production/rules/0');
  });

  it('shows a viewer the segment without any control to change it', async () => {
    respond(({ method, path }) =>
      method === 'GET' && path === segmentUrl ? { status: 200, body: betaTesters } : undefined,
    );
    renderProjectPage(<SegmentPage />, {
      role: 'viewer',
      path: '/projects/shop/segments/beta-testers',
      route: '/projects/shop/segments/:segmentKey',
    });
    expect(await screen.findByText('country in ["NL","BE"]')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect((screen.getByLabelText('Name') as HTMLInputElement).readOnly).toBe(true);
  });
});

describe('the segments list', () => {
  it('says what each segment matches, and offers no new segment to a viewer', async () => {
    respond(({ method, path }) =>
      method === 'GET' && path.startsWith('/api/v1/projects/shop/segments?')
        ? { status: 200, body: { items: [betaTesters], nextCursor: null } }
        : undefined,
    );
    renderProjectPage(<SegmentsPage />, { role: 'viewer', path: '/projects/shop/segments' });
    expect(await screen.findByText('country in ["NL","BE"] and beta eq true')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'New segment' })).toBeNull();
  });
});
