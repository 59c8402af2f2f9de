import { describe, expect, it } from 'vitest';
import { usageActionOf } from './usage-actions.js';

describe('the key actions the UI reports', () => {
  it('are flag saves, experiment starts and conclusions', () => {
    expect(usageActionOf('POST', '/api/v1/projects/shop/flags')).toEqual({
      event: 'flag-saved',
      properties: { project: 'shop' },
    });
    expect(usageActionOf('PATCH', '/api/v1/projects/shop/flags/new-checkout')).toEqual({
      event: 'flag-saved',
      properties: { project: 'shop', flag: 'new-checkout' },
    });
    expect(
      usageActionOf('POST', '/api/v1/projects/shop/flags/new-checkout/environments/production/toggle'),
    ).toEqual({
      event: 'flag-saved',
      properties: { project: 'shop', flag: 'new-checkout' },
    });
    expect(usageActionOf('POST', '/api/v1/projects/shop/experiments/checkout/start')).toEqual({
      event: 'experiment-started',
      properties: { project: 'shop', experiment: 'checkout' },
    });
    expect(usageActionOf('POST', '/api/v1/projects/shop/experiments/checkout/stop')?.event).toBe(
      'experiment-concluded',
    );
  });

  it('are not reads, flag evaluations or other changes', () => {
    expect(usageActionOf('GET', '/api/v1/projects/shop/flags/new-checkout')).toBeUndefined();
    expect(
      usageActionOf('POST', '/api/v1/projects/shop/flags/new-checkout/environments/production/evaluate'),
    ).toBeUndefined();
    expect(usageActionOf('POST', '/api/v1/projects/shop/experiments')).toBeUndefined();
    expect(usageActionOf('POST', '/api/v1/projects/shop/api-keys')).toBeUndefined();
  });
});
