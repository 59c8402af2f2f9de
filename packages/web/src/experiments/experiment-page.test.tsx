// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ProjectScope, ProjectScopeContext } from '../projects/environment-choice.js';
import { renderUi, respond } from '../test/render.js';
import { ExperimentPage } from './experiment-page.js';
import { checkoutResults } from './results-fixture.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const experiment = {
  key: 'checkout-cta',
  name: 'Checkout CTA',
  description: '',
  hypothesis: 'A clearer button sells more.',
  variations: [
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.5 },
  ],
  metrics: { primary: ['purchase'], secondary: [], guardrail: ['errors'] },
  tags: [],
  status: 'running',
  version: 3,
  createdAt: '2026-11-15T10:00:00.000Z',
  updatedAt: '2026-11-15T10:00:00.000Z',
  phases: [{ startedAt: '2026-11-15T10:00:00.000Z' }],
};

function renderExperiment(canWrite: boolean) {
  const scope: ProjectScope = {
    projectKey: 'shop',
    environments: [{ key: 'production', name: 'Production' }],
    environment: 'production',
    canWrite,
    canManage: false,
  };
  return renderUi(
    <ProjectScopeContext.Provider value={scope}>
      <Routes>
        <Route path="/projects/shop/experiments/:experimentKey" element={<ExperimentPage />} />
      </Routes>
    </ProjectScopeContext.Provider>,
    { path: '/projects/shop/experiments/checkout-cta' },
  );
}

describe('the experiment page', () => {
  it('runs an analysis, follows the job and shows the results it produced', async () => {
    let analysed = false;
    let polls = 0;
    const sent = respond(({ method, path }) => {
      if (path === '/api/v1/projects/shop/experiments/checkout-cta') return { status: 200, body: experiment };
      if (path === '/api/v1/projects/shop/experiments/checkout-cta/results?environment=production')
        return analysed
          ? { status: 200, body: checkoutResults() }
          : { status: 404, body: { error: { code: 'not_found', message: 'No analysis yet.' } } };
      if (method === 'POST' && path === '/api/v1/projects/shop/experiments/checkout-cta/analysis')
        return { status: 202, body: { jobId: 'job-1' } };
      if (path === '/api/v1/projects/shop/jobs/job-1') {
        polls += 1;
        if (polls < 2)
          return { status: 200, body: { id: 'job-1', type: 'analysis', status: 'running', progress: 0.5 } };
        analysed = true;
        return {
          status: 200,
          body: { id: 'job-1', type: 'analysis', status: 'succeeded', progress: 1, snapshotId: 'snap-1' },
        };
      }
      return undefined;
    });
    renderExperiment(true);
    expect(await screen.findByText(/No analysis yet in Production/)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Run analysis now' }));
    expect(await screen.findByRole('progressbar', { name: 'Analysis progress' })).toBeTruthy();
    expect(await screen.findByRole('region', { name: 'Metric purchase' }, { timeout: 5_000 })).toBeTruthy();
    expect(sent.find((request) => request.method === 'POST')?.body).toEqual({ environment: 'production' });
  });

  it('concludes with a decision rolled out through the flags', async () => {
    const sent = respond(({ method, path }) => {
      if (path === '/api/v1/projects/shop/experiments/checkout-cta' && method === 'GET')
        return { status: 200, body: experiment };
      if (path.startsWith('/api/v1/projects/shop/experiments/checkout-cta/results'))
        return { status: 200, body: checkoutResults() };
      if (method === 'POST' && path === '/api/v1/projects/shop/experiments/checkout-cta/stop')
        return { status: 200, body: { ...experiment, status: 'stopped' } };
      return undefined;
    });
    renderExperiment(true);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Conclude…' }));
    await user.type(await screen.findByLabelText('Reason'), 'Clear win on purchases.');
    await user.click(screen.getByRole('button', { name: 'Conclude' }));
    await vi.waitFor(() => expect(sent.some((request) => request.path.endsWith('/stop'))).toBe(true));
    expect(sent.find((request) => request.path.endsWith('/stop'))?.body).toEqual({
      outcome: 'ship',
      variation: 'treatment',
      reason: 'Clear win on purchases.',
      rollout: true,
      version: 3,
    });
  });

  it('breaks the results down by an attribute typed in, and back', async () => {
    const byCountry = () => {
      const results = checkoutResults();
      return {
        ...results,
        metrics: results.metrics.map((metric) => ({
          ...metric,
          dimension: {
            name: 'country',
            values: [{ value: 'FR', variants: metric.variants, comparisons: metric.comparisons }],
          },
        })),
      };
    };
    const sent = respond(({ path }) => {
      if (path === '/api/v1/projects/shop/experiments/checkout-cta') return { status: 200, body: experiment };
      if (path === '/api/v1/projects/shop/experiments/checkout-cta/results?environment=production')
        return { status: 200, body: checkoutResults() };
      if (
        path ===
        '/api/v1/projects/shop/experiments/checkout-cta/results?environment=production&dimension=country'
      )
        return { status: 200, body: byCountry() };
      return undefined;
    });
    renderExperiment(false);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Break down by attribute'), 'country');
    expect(screen.queryByText('By country')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Break down' }));
    expect((await screen.findAllByText('By country')).length).toBeGreaterThan(0);
    expect(sent.some((request) => request.path.endsWith('&dimension=country'))).toBe(true);
    await user.click(screen.getByRole('button', { name: 'No breakdown' }));
    await vi.waitFor(() => expect(screen.queryByText('By country')).toBeNull());
  });

  it('offers a viewer neither analysis nor conclusion', async () => {
    respond(({ path }) => {
      if (path === '/api/v1/projects/shop/experiments/checkout-cta') return { status: 200, body: experiment };
      if (path.startsWith('/api/v1/projects/shop/experiments/checkout-cta/results'))
        return { status: 200, body: checkoutResults() };
      return undefined;
    });
    renderExperiment(false);
    expect(await screen.findByRole('region', { name: 'Metric purchase' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Run analysis now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Conclude…' })).toBeNull();
  });
});
