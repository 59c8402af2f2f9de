// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderUi } from '../test/render.js';
import { checkoutResults } from './results-fixture.js';
import { ResultsView } from './results-view.js';

afterEach(cleanup);

describe('experiment results', () => {
  it('shows each metric with units, means, the effect and its interval, p-value and a coloured verdict', () => {
    renderUi(<ResultsView results={checkoutResults()} />);
    const purchase = screen.getByRole('region', { name: 'Metric purchase' });
    const treatment = within(purchase).getByRole('row', { name: /^treatment/ });
    expect(treatment.textContent).toContain('4,988');
    expect(treatment.textContent).toContain('+4.1 %');
    expect(treatment.textContent).toContain('+1.2 % to +7.0 %');
    expect(treatment.textContent).toContain('0.0056');
    expect(within(treatment).getByText('Win')).toBeTruthy();
    expect(within(purchase).getByTestId('forest-treatment')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Metric errors' })).getByText('Loss')).toBeTruthy();
    // Primary metrics come first, whatever order the API lists them in.
    expect(screen.getAllByRole('region').map((region) => region.getAttribute('aria-label'))).toEqual([
      'Metric purchase',
      'Metric errors',
    ]);
    expect(screen.getByText(/treatment raises purchase by 4.1 %/)).toBeTruthy();
  });

  it('warns about a regressed guardrail, and about a sample ratio mismatch above everything', () => {
    renderUi(
      <ResultsView results={checkoutResults({ srm: { chiSquare: 40.2, pValue: 0.00001, flagged: true } })} />,
    );
    const alerts = screen.getAllByRole('alert');
    expect(alerts[0]?.textContent).toContain('Sample ratio mismatch');
    expect(alerts[0]?.textContent).toContain('p = < 0.001');
    expect(alerts[1]?.textContent).toContain('treatment worsens errors');
  });

  it('shows no warnings for a healthy experiment', () => {
    renderUi(<ResultsView results={checkoutResults({ guardrails: [] })} />);
    expect(screen.queryAllByRole('alert')).toEqual([]);
  });

  it('shows the chance to win instead of a p-value under the Bayesian method', () => {
    const results = checkoutResults();
    results.settings.method = 'bayesian';
    const purchase = results.metrics[1];
    if (purchase?.comparisons[0])
      Object.assign(purchase.comparisons[0], { pValue: null, chanceToWin: 0.987 });
    renderUi(<ResultsView results={results} />);
    const region = screen.getByRole('region', { name: 'Metric purchase' });
    expect(within(region).getByText('Chance to win')).toBeTruthy();
    expect(within(region).getByRole('row', { name: /^treatment/ }).textContent).toContain('98.7 %');
  });

  it("says why a treatment has no estimate yet, with the API's note on its comparison", () => {
    const results = checkoutResults();
    const errors = results.metrics[0];
    if (errors?.comparisons[0])
      Object.assign(errors.comparisons[0], {
        estimate: null,
        ciLower: null,
        ciUpper: null,
        pValue: null,
        verdict: 'inconclusive',
        note: 'too few units',
      });
    renderUi(<ResultsView results={results} />);
    const region = screen.getByRole('region', { name: 'Metric errors' });
    expect(within(region).getByText('treatment: too few units')).toBeTruthy();
  });
});
