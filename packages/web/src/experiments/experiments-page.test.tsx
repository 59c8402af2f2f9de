// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderProjectPage } from '../test/project-page.js';
import { respond } from '../test/render.js';
import { ExperimentsPage } from './experiments-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const experiment = (key: string, status: string) => ({
  key,
  name: key,
  description: '',
  variations: [
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.5 },
  ],
  metrics: { primary: ['purchase'], secondary: [], guardrail: [] },
  tags: [],
  status,
  version: 1,
  createdAt: '2026-11-15T10:00:00.000Z',
  updatedAt: '2026-11-15T10:00:00.000Z',
  phases: status === 'draft' ? [] : [{ startedAt: '2026-11-15T10:00:00.000Z' }],
});

const summary = (key: string, units: number, verdict: string, guardrailRegressed = false) => ({
  experiment: key,
  computedAt: '2026-11-29T10:00:00.000Z',
  units,
  verdict,
  guardrailRegressed,
});

describe('the experiments list', () => {
  it('shows units and the verdict of the latest results in the chosen environment', async () => {
    const sent = respond(({ path }) => {
      if (path === '/api/v1/projects/shop/experiments?limit=200')
        return {
          status: 200,
          body: {
            items: [
              experiment('checkout', 'running'),
              experiment('banner', 'running'),
              experiment('pricing', 'stopped'),
              experiment('draft-one', 'draft'),
            ],
          },
        };
      if (path === '/api/v1/projects/shop/results/summary?environment=production')
        return {
          status: 200,
          body: {
            items: [
              summary('checkout', 12_345, 'win'),
              summary('banner', 800, 'srm'),
              summary('pricing', 4_000, 'inconclusive', true),
            ],
          },
        };
      return undefined;
    });
    renderProjectPage(<ExperimentsPage />, { role: 'viewer', path: '/projects/shop/experiments' });

    const row = (name: string) => {
      const link = screen.getByRole('link', { name });
      return within(link.closest('tr') as HTMLElement);
    };
    expect(await screen.findByText('12,345')).toBeTruthy();
    expect(row('checkout').getByText('Win')).toBeTruthy();
    expect(row('banner').getByText('SRM warning')).toBeTruthy();
    expect(row('banner').getByText('800')).toBeTruthy();
    expect(row('pricing').getByText('Inconclusive')).toBeTruthy();
    expect(row('pricing').getByText('Guardrail')).toBeTruthy();
    expect(row('draft-one').getByText('Not analysed')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Verdict' })).toBeTruthy();
    expect(sent.map((request) => request.path)).toContain(
      '/api/v1/projects/shop/results/summary?environment=production',
    );
  });

  it('says when units and verdicts cannot be loaded, and still lists the experiments', async () => {
    respond(({ path }) => {
      if (path === '/api/v1/projects/shop/experiments?limit=200')
        return { status: 200, body: { items: [experiment('checkout', 'running')] } };
      if (path.startsWith('/api/v1/projects/shop/results/summary'))
        return { status: 503, body: { error: { code: 'unavailable', message: 'The database is busy.' } } };
      return undefined;
    });
    renderProjectPage(<ExperimentsPage />, { role: 'viewer', path: '/projects/shop/experiments' });
    expect(await screen.findByText('Units and verdicts are unavailable: The database is busy.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'checkout' })).toBeTruthy();
  });
});
