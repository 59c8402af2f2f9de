// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { type UserEvent, userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fill, renderProjectPage } from '../test/project-page.js';
import { type Exchange, respond, type SentRequest } from '../test/render.js';
import { NewExperimentPage } from './new-experiment-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const metric = (key: string, type: string) => ({
  key,
  name: key,
  type,
  numerator: { event: key },
  tags: [],
  status: 'active',
  version: 1,
  createdAt: '2026-11-15T10:00:00.000Z',
  updatedAt: '2026-11-15T10:00:00.000Z',
});

/** An experiment already in the layer, taking its first 30 %. */
const neighbour = {
  key: 'banner',
  name: 'banner',
  variations: [{ key: 'a', weight: 1 }],
  layer: { key: 'checkout', range: { start: 0, end: 0.3 } },
  metrics: { primary: [], secondary: [], guardrail: [] },
  tags: [],
  status: 'running',
  version: 1,
  createdAt: '2026-11-15T10:00:00.000Z',
  updatedAt: '2026-11-15T10:00:00.000Z',
  phases: [],
};

function project(extra: (request: SentRequest) => Exchange | undefined) {
  return respond((request) => {
    const { method, path } = request;
    if (path === '/api/v1/projects/shop/metrics?limit=200')
      return { status: 200, body: { items: [metric('purchase', 'proportion'), metric('revenue', 'mean')] } };
    if (path.startsWith('/api/v1/projects/shop/layers'))
      return {
        status: 200,
        body: { items: [{ key: 'checkout', name: 'Checkout', tags: [], status: 'active' }] },
      };
    if (method === 'GET' && path === '/api/v1/projects/shop/experiments?limit=200')
      return { status: 200, body: { items: [neighbour] } };
    if (path === '/api/v1/projects/shop/traffic?environment=production&days=14')
      return {
        status: 200,
        body: { environment: 'production', days: [], units: 14_000, dailyUnits: 1_000 },
      };
    return extra(request);
  });
}

async function pick(user: UserEvent, label: string, option: string) {
  const box = screen.getByRole('combobox', { name: label });
  await user.click(box);
  const options = await waitFor(
    () => document.getElementById(box.getAttribute('aria-controls') ?? '') as HTMLElement,
  );
  await user.click(within(options).getByRole('option', { name: option, hidden: true }));
}

const next = (user: UserEvent) => user.click(screen.getByRole('button', { name: 'Next' }));

describe('the new experiment wizard', () => {
  it('walks through every step, plans the sample size from traffic, and creates the experiment', async () => {
    const sent = project(({ method, path }) => {
      if (method === 'POST' && path === '/api/v1/stats/sample-size')
        return { status: 200, body: { nPerVariant: 14_749 } };
      if (method === 'POST' && path === '/api/v1/projects/shop/experiments')
        return { status: 201, body: { ...neighbour, key: 'checkout-cta' } };
      return undefined;
    });
    renderProjectPage(<NewExperimentPage />, { role: 'editor', path: '/projects/shop/experiments/new' });
    const user = userEvent.setup();

    fill('Name', 'Checkout CTA');
    fill('Hypothesis', 'A clearer button sells more.');
    await next(user);

    fill('Variation 2 weight', '40');
    expect(await screen.findByText('weights add up to 90 %, not 100 %')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    fill('Variation 2 weight', '50');
    await next(user);

    await screen.findByRole('textbox', { name: /Unit attribute/ });
    fill(/Unit attribute/, 'userId');
    await pick(user, 'Layer', 'Checkout');
    // The widest free range is proposed: the neighbour takes 0–30 %.
    expect((screen.getByLabelText('Layer range start') as HTMLInputElement).value).toBe('30 %');
    expect(screen.getByText('banner: 0 % to 30 %')).toBeTruthy();
    fill('Layer range start', '20 %');
    expect(await screen.findByText('The range overlaps banner.')).toBeTruthy();
    fill('Layer range start', '50 %');
    await next(user);

    await pick(user, 'Primary (decides the experiment)', 'purchase');
    await next(user);

    await user.click(screen.getByRole('radio', { name: 'Sequential' }));
    expect(screen.getByLabelText(/Sequential tuning/)).toBeTruthy();
    const calculator = within(screen.getByRole('region', { name: 'Power calculator' }));
    fill('Baseline conversion rate', '10 %');
    fill('Minimum detectable effect', '10 %');
    await user.click(calculator.getByRole('button', { name: 'Calculate' }));
    expect(await calculator.findByText('14,749 units per variation, 29,498 units in all')).toBeTruthy();
    // 29,498 units at 1,000 a day, half of them in the layer's 50–100 % range: 59 days.
    expect(calculator.getByText(/About 59 days at current traffic/)).toBeTruthy();
    expect(sent.find((request) => request.path === '/api/v1/stats/sample-size')?.body).toEqual({
      metric: 'proportion',
      baseline: 0.1,
      mde: 0.1,
      alpha: 0.05,
      power: 0.8,
    });
    await user.click(calculator.getByRole('button', { name: 'Plan for 29,498 units' }));
    expect((screen.getByLabelText(/Planned units/) as HTMLInputElement).value).toBe('29498');
    await next(user);

    expect(screen.getByText('checkout, 50 % to 100 %')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create experiment' }));
    await waitFor(() =>
      expect(sent.some((request) => request.method === 'POST' && request.path.endsWith('/experiments'))).toBe(
        true,
      ),
    );
    expect(
      sent.find(
        (request) => request.path === '/api/v1/projects/shop/experiments' && request.method === 'POST',
      )?.body,
    ).toEqual({
      key: 'checkout-cta',
      name: 'Checkout CTA',
      hypothesis: 'A clearer button sells more.',
      variations: [
        { key: 'control', weight: 0.5 },
        { key: 'treatment', weight: 0.5 },
      ],
      hashAttribute: 'userId',
      layer: { key: 'checkout', range: { start: 0.5, end: 1 } },
      metrics: { primary: ['purchase'], secondary: [], guardrail: [] },
      analysis: {
        method: 'sequential',
        effect: 'relative',
        alpha: 0.05,
        cuped: false,
        cupedWindowDays: 14,
        correction: 'none',
        sequentialTuning: 5000,
        plannedUnits: 29_498,
      },
    });
  });

  it('goes back to the step of the field the API refused, with the message next to it', async () => {
    project(({ method, path }) => {
      if (method === 'POST' && path === '/api/v1/projects/shop/experiments')
        return {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'The experiment is not valid.',
              details: { issues: [{ path: '/body/analysis/alpha', message: 'must be below 0.5' }] },
            },
          },
        };
      return undefined;
    });
    renderProjectPage(<NewExperimentPage />, { role: 'editor', path: '/projects/shop/experiments/new' });
    const user = userEvent.setup();
    fill('Name', 'Checkout CTA');
    await user.click(screen.getByRole('button', { name: /Review/ }));
    await user.click(await screen.findByRole('button', { name: 'Create experiment' }));
    expect(await screen.findByText('must be below 0.5')).toBeTruthy();
    expect(screen.getByLabelText(/Alpha/)).toBeTruthy();
    expect(screen.getByText('Needs a fix')).toBeTruthy();
  });

  it('reads the baseline from recent data, and says a duration cannot be estimated without traffic', async () => {
    respond(({ method, path }) => {
      if (path === '/api/v1/projects/shop/metrics?limit=200')
        return { status: 200, body: { items: [metric('revenue', 'mean')] } };
      if (path.startsWith('/api/v1/projects/shop/layers')) return { status: 200, body: { items: [] } };
      if (path === '/api/v1/projects/shop/experiments?limit=200') return { status: 200, body: { items: [] } };
      if (path.startsWith('/api/v1/projects/shop/traffic'))
        return { status: 200, body: { environment: 'production', days: [], units: 0, dailyUnits: 0 } };
      if (path === '/api/v1/projects/shop/metrics/revenue/baseline?environment=production&days=14')
        return {
          status: 200,
          body: {
            metric: 'revenue',
            type: 'mean',
            environment: 'production',
            units: 500,
            mean: 100,
            standardDeviation: 10,
          },
        };
      if (method === 'POST' && path === '/api/v1/stats/sample-size')
        return { status: 200, body: { nPerVariant: 63 } };
      return undefined;
    });
    renderProjectPage(<NewExperimentPage />, { role: 'editor', path: '/projects/shop/experiments/new' });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /Metrics/ }));
    await pick(user, 'Primary (decides the experiment)', 'revenue');
    await next(user);
    fill('Baseline mean', '100');
    // A mean needs its spread before anything can be planned.
    expect((screen.getByRole('button', { name: 'Calculate' }) as HTMLButtonElement).disabled).toBe(true);
    fill('Baseline mean', '');
    await user.click(screen.getByRole('button', { name: 'Use recent data' }));
    expect(await screen.findByText(/Baseline from 500 units with events in Production/)).toBeTruthy();
    expect((screen.getByLabelText('Baseline mean') as HTMLInputElement).value).toBe('100');
    expect((screen.getByLabelText('Standard deviation') as HTMLInputElement).value).toBe('10');
    await user.click(screen.getByRole('button', { name: 'Calculate' }));
    expect(await screen.findByText('63 units per variation, 126 units in all')).toBeTruthy();
    expect(screen.getByText(/No units in Production over the last 14 days/)).toBeTruthy();
  });

  it('tells a viewer they cannot create experiments', () => {
    respond(() => undefined);
    renderProjectPage(<NewExperimentPage />, { role: 'viewer', path: '/projects/shop/experiments/new' });
    expect(screen.getByText('Your role in this project cannot create experiments.')).toBeTruthy();
  });
});
