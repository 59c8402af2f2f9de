// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fill, renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { MetricPage } from './metric-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const stored = {
  key: 'revenue-per-session',
  name: 'Revenue per session',
  description: '',
  type: 'ratio',
  numerator: { event: 'purchase', aggregation: 'sum' },
  denominator: { event: 'session', aggregation: 'count' },
  direction: 'increase',
  tags: [],
  status: 'active',
  version: 1,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};

describe('the metric page', () => {
  it('creates a ratio metric with a filter, showing API errors next to the fields they name', async () => {
    let attempts = 0;
    const sent = respond(({ method, path }) => {
      if (method !== 'POST' || path !== '/api/v1/projects/shop/metrics') return undefined;
      attempts += 1;
      if (attempts === 1)
        return {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'The request is not valid.',
              details: { issues: [{ path: '/body/denominator/event', message: 'must not be empty' }] },
            },
          },
        };
      return { status: 201, body: stored };
    });
    renderProjectPage(<MetricPage />, { role: 'editor', path: '/projects/shop/metrics/new' });
    const user = userEvent.setup();
    fill('Name', 'Revenue per session');
    await user.click(screen.getByRole('combobox', { name: 'Type' }));
    await user.click(await screen.findByRole('option', { name: /^Ratio/, hidden: true }));
    fill(/^Numerator event/, 'purchase');
    await user.click(screen.getByRole('button', { name: 'Add numerator filter' }));
    fill('Numerator filter 1 property', 'country');
    fill('Numerator filter 1 value', 'NL');
    await user.click(screen.getByRole('button', { name: 'Create metric' }));
    expect(await screen.findByText('must not be empty')).toBeTruthy();
    expect(screen.getByLabelText(/^Denominator event/).getAttribute('aria-invalid')).toBe('true');

    fill(/^Denominator event/, 'session');
    await user.click(screen.getByRole('button', { name: 'Create metric' }));
    await waitFor(() => expect(attempts).toBe(2));
    expect(sent.at(-1)?.body).toEqual({
      key: 'revenue-per-session',
      name: 'Revenue per session',
      description: '',
      tags: [],
      type: 'ratio',
      numerator: {
        event: 'purchase',
        aggregation: 'count',
        filters: [{ property: 'country', operator: 'eq', value: 'NL' }],
      },
      denominator: { event: 'session', aggregation: 'count' },
      direction: 'increase',
    });
  });

  it('shows a viewer the metric read-only, without a save or archive button', async () => {
    respond(({ method, path }) =>
      method === 'GET' && path === '/api/v1/projects/shop/metrics/revenue-per-session'
        ? { status: 200, body: stored }
        : undefined,
    );
    renderProjectPage(<MetricPage />, {
      role: 'viewer',
      path: '/projects/shop/metrics/revenue-per-session',
      route: '/projects/shop/metrics/:metricKey',
    });
    const denominator = (await screen.findByLabelText(/^Denominator event/)) as HTMLInputElement;
    expect(denominator.value).toBe('session');
    expect(denominator.readOnly).toBe(true);
    expect(screen.queryAllByRole('button')).toEqual([]);
  });
});
