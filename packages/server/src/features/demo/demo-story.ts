/**
 * @module features/demo/demo-story
 * What the demo project holds: an online shop with a few flags, a running checkout experiment
 * judged on three metrics, and an A/A test. Also how its simulated visitors behave, so the seeded
 * history shows a real effect where there is one and none where there is none.
 *
 * `tools/demo-traffic.ts` simulates the same visitors live through the SDK; it keys the behaviour
 * by the flag values below, and keeps its own copy of the rates (it cannot import the server).
 */

export const DEMO_PROJECT = {
  key: 'demo',
  name: 'Demo — Acme Shop',
  description:
    'A demo project with simulated traffic, seeded on a fresh embedded store so there is something to look at. Remove it from the banner at the top of its pages (or DELETE /api/v1/demo); its flags, experiments and events go with it.',
} as const;

/** The environment the simulated traffic runs in. */
export const DEMO_ENVIRONMENT = 'production';

/** How many days of history the seed simulates, ending now. */
export const DEMO_DAYS = 14;

export const CHECKOUT_EXPERIMENT = 'one-page-checkout';
export const AA_EXPERIMENT = 'homepage-hero-aa';

export const DEMO_METRICS = [
  {
    key: 'checkout-conversion',
    name: 'Checkout conversion',
    description: 'Visitors who bought something within 48 hours of their first exposure.',
    type: 'proportion',
    numerator: { event: 'purchase' },
    conversionWindow: { windowHours: 48 },
  },
  {
    key: 'revenue-per-visitor',
    name: 'Revenue per visitor',
    description: 'Sum of purchase values per visitor (EUR), capped at the 99th percentile.',
    type: 'mean',
    numerator: { event: 'purchase', aggregation: 'sum' },
    capping: { type: 'percentile', value: 0.99 },
  },
  {
    key: 'page-errors',
    name: 'Page errors',
    description: 'Errors shown per visitor: must not get worse.',
    type: 'mean',
    numerator: { event: 'page-error', aggregation: 'count' },
    direction: 'decrease',
  },
] as const;

const on = (rules: unknown[]) => ({ enabled: true, rules });
const off = { enabled: false };

export const DEMO_FLAGS = [
  {
    key: 'checkout-flow',
    name: 'Checkout flow',
    description: 'Which checkout visitors get: runs the one-page checkout experiment in production.',
    type: 'string',
    variants: [
      { key: 'control', name: 'Classic (three steps)', value: 'classic' },
      { key: 'one-page', name: 'One page', value: 'one-page' },
    ],
    defaultVariant: 'control',
    offVariant: 'control',
    environments: {
      development: { enabled: true, rules: [] },
      staging: on([{ id: 'everyone', type: 'force', variant: 'one-page' }]),
      production: on([{ id: 'experiment', type: 'experiment', experimentKey: CHECKOUT_EXPERIMENT }]),
    },
  },
  {
    key: 'homepage-hero',
    name: 'Homepage hero',
    description:
      'The homepage banner. Both variations show the same banner: an A/A test that checks the pipeline finds no difference where there is none.',
    type: 'string',
    variants: [
      { key: 'a', value: 'spring-sale' },
      { key: 'b', value: 'spring-sale' },
    ],
    defaultVariant: 'a',
    offVariant: 'a',
    environments: {
      production: on([{ id: 'aa-test', type: 'experiment', experimentKey: AA_EXPERIMENT }]),
    },
  },
  {
    key: 'free-shipping-banner',
    name: 'Free shipping banner',
    description: 'Rolled out to half of the visitors in the Netherlands and Germany.',
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    environments: {
      production: on([
        {
          id: 'nl-de-half',
          type: 'rollout',
          variant: 'on',
          fraction: 0.5,
          conditions: [{ attribute: 'country', operator: 'in', value: ['NL', 'DE'] }],
        },
      ]),
    },
  },
  {
    key: 'dark-mode',
    name: 'Dark mode',
    description: 'Not released yet: on for employees only.',
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    environments: {
      development: on([]),
      production: {
        ...off,
        rules: [
          {
            id: 'employees',
            type: 'force',
            variant: 'on',
            conditions: [{ attribute: 'email', operator: 'ends_with', value: '@acme.example' }],
          },
        ],
      },
    },
  },
] as const;

export const DEMO_EXPERIMENTS = [
  {
    key: CHECKOUT_EXPERIMENT,
    name: 'One-page checkout',
    hypothesis:
      'Putting address, shipping and payment on one page removes two page loads, so more visitors who start a checkout finish it.',
    variations: [
      { key: 'control', name: 'Classic', weight: 0.5 },
      { key: 'one-page', name: 'One page', weight: 0.5 },
    ],
    metrics: {
      primary: ['checkout-conversion'],
      secondary: ['revenue-per-visitor'],
      guardrail: ['page-errors'],
    },
  },
  {
    key: AA_EXPERIMENT,
    name: 'Homepage hero (A/A test)',
    hypothesis: 'Both variations are identical: the results should show no difference.',
    variations: [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
    metrics: { primary: ['checkout-conversion'], secondary: [], guardrail: [] },
  },
] as const;

/** How a simulated visitor behaves, by what the flags served them. */
export const VISITOR_BEHAVIOUR = {
  /** Chance of buying within two days, by the `checkout-flow` value. */
  purchaseRate: { classic: 0.1, 'one-page': 0.125 } as Record<string, number>,
  /** Mean order value in EUR (the same for both flows: the effect is on conversion). */
  meanOrderValue: 62,
  /** Chance of seeing a page error (the same for both flows: the guardrail holds). */
  pageErrorRate: 0.04,
  countries: ['NL', 'DE', 'FR', 'GB', 'US', 'ES'],
  devices: ['mobile', 'desktop', 'tablet'],
} as const;
