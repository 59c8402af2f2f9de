/**
 * @module The request-path load targets of the SDK delivery suite and its profiler: the evaluation
 * endpoints SDKs and OpenFeature providers call, and `GET /healthz` as the bare HTTP stack they are
 * compared with. `seedLoadTargets` creates the flags and the server key they need on a running
 * server and checks one answer of each by hand, so a benchmark never measures error bodies.
 */
import autocannon from 'autocannon';
import type { BenchServer } from '../support/server.js';
import type { Api } from '../support/services.js';

const PROJECT = '/api/v1/projects/default';
export const OFREP_FLAG = 'bench-ofrep';
/** Flags besides OFREP_FLAG, so the all-flags endpoints evaluate and serialise a realistic list. */
const EXTRA_FLAGS = 9;
/** The requests' context: matches the first condition of the force rule, not the second. */
const CONTEXT = { targetingKey: 'user-4242', country: 'NL', plan: 'free', email: 'ann@example.com' };

export const TARGET_NAMES = ['ofrep', 'ofrep-bulk', 'evaluate', 'healthz'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface LoadTarget {
  readonly name: TargetName;
  /** As shown in tables, e.g. `POST /ofrep/v1/evaluate/flags/bench-ofrep`. */
  readonly label: string;
  readonly request: Pick<autocannon.Options, 'url' | 'method' | 'headers' | 'body'>;
}

export const BOOLEAN_FLAG = {
  type: 'boolean',
  variants: [
    { key: 'off', value: false },
    { key: 'on', value: true },
  ],
  defaultVariant: 'off',
  offVariant: 'off',
} as const;

/** A flag whose evaluation does some work: a force rule with two conditions, then a rollout. */
async function createRuleFlag(admin: Api, key: string): Promise<void> {
  await admin.post(`${PROJECT}/flags`, {
    key,
    ...BOOLEAN_FLAG,
    environments: {
      production: {
        enabled: true,
        rules: [
          {
            id: 'beta',
            type: 'force',
            variant: 'on',
            conditions: [
              { attribute: 'country', operator: 'in', value: ['NL', 'BE', 'DE'] },
              { attribute: 'plan', operator: 'eq', value: 'pro' },
            ],
          },
          { id: 'ramp', type: 'rollout', variant: 'on', fraction: 0.5 },
        ],
      },
    },
  });
}

/** Creates the flags and a server key, and returns every target, each checked once by hand. */
export async function seedLoadTargets(server: BenchServer, admin: Api): Promise<readonly LoadTarget[]> {
  await createRuleFlag(admin, OFREP_FLAG);
  for (let index = 1; index <= EXTRA_FLAGS; index++) await createRuleFlag(admin, `${OFREP_FLAG}-${index}`);
  const { secret: serverKey } = await admin.post<{ secret: string }>(`${PROJECT}/api-keys`, {
    name: 'bench-load',
    kind: 'server',
    environment: 'production',
  });
  const post = (path: string, body: unknown) => ({
    url: `${server.url}${path}`,
    method: 'POST' as const,
    headers: { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const targets: LoadTarget[] = [
    {
      name: 'ofrep',
      label: `POST /ofrep/v1/evaluate/flags/${OFREP_FLAG}`,
      request: post(`/ofrep/v1/evaluate/flags/${OFREP_FLAG}`, { context: CONTEXT }),
    },
    {
      name: 'ofrep-bulk',
      label: 'POST /ofrep/v1/evaluate/flags',
      request: post('/ofrep/v1/evaluate/flags', { context: CONTEXT }),
    },
    {
      name: 'evaluate',
      label: 'POST /api/v1/evaluate',
      request: post('/api/v1/evaluate', { context: CONTEXT }),
    },
    { name: 'healthz', label: 'GET /healthz', request: { url: `${server.url}/healthz`, method: 'GET' } },
  ];
  for (const target of targets) await probe(target);
  return targets;
}

/** One request answered by hand: a 200 with evaluated values, not an error body. */
async function probe(target: LoadTarget): Promise<void> {
  const { url, method, headers, body } = target.request;
  const response = await fetch(url ?? '', {
    method: method ?? 'GET',
    ...(headers && { headers: headers as Record<string, string> }),
    ...(typeof body === 'string' && { body }),
  });
  const text = await response.text();
  const answer = JSON.parse(text) as { value?: unknown; flags?: { value?: unknown }[] };
  const valid =
    target.name === 'healthz'
      ? true
      : target.name === 'ofrep'
        ? typeof answer.value === 'boolean'
        : (answer.flags?.length ?? 0) > EXTRA_FLAGS &&
          (answer.flags ?? []).every((flag) => typeof flag.value === 'boolean');
  if (response.status !== 200 || !valid)
    throw new Error(`${target.label} probe failed: ${response.status} ${text}`);
}

export function runLoad(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}
