import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLEAVE_VERSION } from '../../runtime/version.js';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, WebhookDeliveryWorker } from './delivery-worker.js';
import { deliveryQueueOn } from './outbox.js';

interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A real HTTP endpoint on a free local port; `respond` decides each answer (the nth request is `index`). */
async function startReceiver(
  respond: (response: ServerResponse, index: number) => void = (response) => response.end('ok'),
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ method: request.method ?? '', headers: request.headers, body });
      respond(response, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cleave`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a receiver should do (docs/webhooks.md), written independently of our signing code. */
function verifySignature(secret: string, request: ReceivedRequest, toleranceSeconds = 300): boolean {
  const timestamp = String(request.headers['x-cleave-timestamp']);
  const presented = String(request.headers['x-cleave-signature']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
  return (
    expected.length === presented.length && timingSafeEqual(Buffer.from(expected), Buffer.from(presented))
  );
}

describe('retryDelayMs', () => {
  it('doubles from the base, caps, and jitters within the upper half', () => {
    const policy = { maxAttempts: 8, backoffBaseMs: 10_000, backoffMaxMs: 3_600_000 };
    expect(retryDelayMs(1, policy, () => 0)).toBe(5_000);
    expect(retryDelayMs(1, policy, () => 0.999_999)).toBe(10_000);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(20, policy, () => 0)).toBe(1_800_000);
    expect(DEFAULT_RETRY_POLICY).toEqual(policy);
  });
});

describe.each(DIALECTS)('webhook delivery worker (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials & { userId: string };
  let projectCount = 0;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    // The receivers listen on loopback: these tests allow private networks, except where they
    // check that a worker with the default policy refuses them.
    test = await createTestApp(dialect, { webhookNetwork: { allowPrivateNetworks: true } });
    owner = await test.signUpOwner();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await test?.close();
  });

  /** Each test gets its own project, so no test's changes reach another test's webhooks. */
  async function newProject(): Promise<string> {
    projectCount += 1;
    const key = `p${projectCount}`;
    const response = await test.request(
      { method: 'POST', url: '/api/v1/projects', payload: { key, name: key } },
      owner,
    );
    expect(response.statusCode).toBe(201);
    return key;
  }

  async function createWebhook(project: string, url: string, events: string[] = ['flag.updated']) {
    const response = await test.request(
      { method: 'POST', url: `/api/v1/projects/${project}/webhooks`, payload: { url, events } },
      owner,
    );
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; secret: string };
  }

  async function receiver(respond?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
    const started = await startReceiver(respond);
    cleanups.push(() => started.close());
    return started;
  }

  function worker(options: Partial<ConstructorParameters<typeof WebhookDeliveryWorker>[0]> = {}) {
    const started = new WebhookDeliveryWorker({
      webhooks: deliveryQueueOn(test.database.database.db),
      notifier: test.notifier,
      pollIntervalMs: 20,
      timeoutMs: 1_000,
      retry: { backoffBaseMs: 20, maxAttempts: 3 },
      network: { allowPrivateNetworks: true },
      ...options,
    });
    started.start();
    cleanups.push(() => started.stop());
    return started;
  }

  async function deliveries(project: string, webhookId: string) {
    const response = await test.request(
      { method: 'GET', url: `/api/v1/projects/${project}/webhooks/${webhookId}/deliveries` },
      owner,
    );
    expect(response.statusCode).toBe(200);
    return response.json().items as Array<Record<string, unknown>>;
  }

  const sendTest = (project: string, webhookId: string) =>
    test.request({ method: 'POST', url: `/api/v1/projects/${project}/webhooks/${webhookId}/test` }, owner);

  it('POSTs a change made through the API to a webhook subscribed to *, signed with its secret', async () => {
    const project = await newProject();
    const endpoint = await receiver();
    const webhook = await createWebhook(project, endpoint.url, ['*']);
    worker({ pollIntervalMs: 60_000 }); // only the notifier can wake it in time

    const environment = await test.request(
      { method: 'POST', url: `/api/v1/projects/${project}/environments`, payload: { key: 'qa', name: 'QA' } },
      owner,
    );
    expect(environment.statusCode).toBe(201);

    // The webhook also hears of its own creation, queued before the worker started.
    await vi.waitFor(
      () =>
        expect(endpoint.requests.map((request) => request.headers['x-cleave-event'])).toContain(
          'environment.created',
        ),
      { timeout: 3_000, interval: 10 },
    );
    const request = endpoint.requests.find(
      (candidate) => candidate.headers['x-cleave-event'] === 'environment.created',
    );
    if (!request) throw new Error('no environment.created request');
    expect(request.method).toBe('POST');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': `Cleave-Webhooks/${CLEAVE_VERSION}`,
      'x-cleave-event': 'environment.created',
      'x-cleave-delivery': expect.any(String),
      'x-cleave-timestamp': expect.stringMatching(/^\d{10}$/),
      'x-cleave-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(verifySignature(webhook.secret, request)).toBe(true);
    expect(verifySignature('clv_whsec_not-the-secret', request)).toBe(false);
    expect(verifySignature(webhook.secret, { ...request, body: request.body.replace('QA', 'QB') })).toBe(
      false,
    );

    const payload = JSON.parse(request.body);
    expect(Object.keys(payload).sort()).toEqual(
      ['actor', 'after', 'before', 'id', 'occurredAt', 'projectId', 'resource', 'type'].sort(),
    );
    expect(payload).toMatchObject({
      type: 'environment.created',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      resource: { type: 'environment', key: 'qa', id: environment.json().id },
      actor: { type: 'user', id: owner.userId },
      before: null,
      after: { key: 'qa', name: 'QA' },
    });

    await vi.waitFor(
      async () => {
        const delivered = (await deliveries(project, webhook.id)).find(
          (delivery) => delivery.id === request.headers['x-cleave-delivery'],
        );
        expect(delivered).toMatchObject({
          status: 'delivered',
          attempts: 1,
          lastStatusCode: 200,
          lastError: null,
        });
      },
      { timeout: 3_000, interval: 10 },
    );
  });

  it('retries after a 500 and then delivers, with the same delivery id and a fresh signature', async () => {
    const project = await newProject();
    const endpoint = await receiver((response, index) => {
      response.statusCode = index === 0 ? 500 : 204;
      response.end(index === 0 ? 'database down' : undefined);
    });
    const webhook = await createWebhook(project, endpoint.url);
    worker();
    expect((await sendTest(project, webhook.id)).statusCode).toBe(202);

    await vi.waitFor(
      async () => expect((await deliveries(project, webhook.id))[0]).toMatchObject({ status: 'delivered' }),
      { timeout: 3_000, interval: 10 },
    );
    const [delivery] = await deliveries(project, webhook.id);
    expect(delivery).toMatchObject({
      attempts: 2,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(endpoint.requests).toHaveLength(2);
    const [first, second] = endpoint.requests as [ReceivedRequest, ReceivedRequest];
    expect(second.headers['x-cleave-delivery']).toBe(first.headers['x-cleave-delivery']);
    expect(second.body).toBe(first.body);
    expect(verifySignature(webhook.secret, first)).toBe(true);
    expect(verifySignature(webhook.secret, second)).toBe(true);
  });

  it('gives up after the last attempt and records why', async () => {
    const project = await newProject();
    const endpoint = await receiver((response) => {
      response.statusCode = 503;
      // Error pages echo secrets; none of it may reach the delivery log.
      response.end('maintenance; your token was tok_live_secret');
    });
    const webhook = await createWebhook(project, endpoint.url);
    worker();
    await sendTest(project, webhook.id);

    await vi.waitFor(
      async () => expect((await deliveries(project, webhook.id))[0]).toMatchObject({ status: 'failed' }),
      { timeout: 3_000, interval: 10 },
    );
    expect((await deliveries(project, webhook.id))[0]).toMatchObject({
      attempts: 3,
      lastStatusCode: 503,
      lastError: 'HTTP 503 Service Unavailable',
      nextAttemptAt: null,
    });
    // Nothing more after giving up.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endpoint.requests).toHaveLength(3);
  });

  it('times out a receiver that never answers', async () => {
    const project = await newProject();
    const endpoint = await receiver(() => {}); // never responds
    const webhook = await createWebhook(project, endpoint.url);
    worker({ timeoutMs: 100, retry: { maxAttempts: 1 } });
    const started = Date.now();
    await sendTest(project, webhook.id);

    await vi.waitFor(
      async () => expect((await deliveries(project, webhook.id))[0]).toMatchObject({ status: 'failed' }),
      { timeout: 3_000, interval: 10 },
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await deliveries(project, webhook.id))[0]).toMatchObject({
      attempts: 1,
      lastStatusCode: null,
      lastError: 'Timed out after 100 ms.',
    });
  });

  it('records a refused connection and treats a redirect as a failure', async () => {
    const project = await newProject();
    const closed = await startReceiver();
    await closed.close(); // nothing listens on its port any more
    const refused = await createWebhook(project, closed.url);
    const redirecting = await receiver((response) => {
      response.statusCode = 302;
      response.setHeader('location', 'https://elsewhere.example.com/');
      response.end();
    });
    const redirected = await createWebhook(project, redirecting.url);
    worker({ retry: { maxAttempts: 1 } });
    await sendTest(project, refused.id);
    await sendTest(project, redirected.id);

    await vi.waitFor(
      async () => {
        expect((await deliveries(project, refused.id))[0]).toMatchObject({
          status: 'failed',
          lastStatusCode: null,
          lastError: expect.stringContaining('ECONNREFUSED'),
        });
        expect((await deliveries(project, redirected.id))[0]).toMatchObject({
          status: 'failed',
          lastStatusCode: 302,
        });
      },
      { timeout: 3_000, interval: 10 },
    );
  });

  it('with the default policy, reaches neither a loopback address nor a name that resolves to one', async () => {
    const project = await newProject();
    const endpoint = await receiver();
    const literal = await createWebhook(project, endpoint.url);
    const named = await createWebhook(project, endpoint.url.replace('127.0.0.1', 'localhost'));
    worker({ retry: { maxAttempts: 1 }, network: { allowPrivateNetworks: false } });
    await sendTest(project, literal.id);
    await sendTest(project, named.id);

    await vi.waitFor(
      async () => {
        for (const webhook of [literal, named]) {
          expect((await deliveries(project, webhook.id))[0]).toMatchObject({
            status: 'failed',
            lastStatusCode: null,
            lastError: expect.stringMatching(/loopback.*CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/),
          });
        }
      },
      { timeout: 3_000, interval: 10 },
    );
    expect(endpoint.requests).toHaveLength(0);
  });

  it('sends test events to a disabled webhook, but no longer its queued changes', async () => {
    const project = await newProject();
    const endpoint = await receiver();
    const webhook = await createWebhook(project, endpoint.url, ['environment.*']);
    // Queued while enabled, then disabled before any worker runs.
    await test.request(
      { method: 'POST', url: `/api/v1/projects/${project}/environments`, payload: { key: 'qa', name: 'QA' } },
      owner,
    );
    const disabled = await test.request(
      {
        method: 'PATCH',
        url: `/api/v1/projects/${project}/webhooks/${webhook.id}`,
        payload: { enabled: false, version: 1 },
      },
      owner,
    );
    expect(disabled.statusCode).toBe(200);
    await sendTest(project, webhook.id);
    worker();

    await vi.waitFor(
      async () => {
        const byType = Object.fromEntries(
          (await deliveries(project, webhook.id)).map((delivery) => [delivery.eventType, delivery]),
        );
        expect(byType['webhook.test']).toMatchObject({ status: 'delivered' });
        expect(byType['environment.created']).toMatchObject({
          status: 'failed',
          attempts: 0,
          lastError: 'The webhook is disabled.',
        });
      },
      { timeout: 3_000, interval: 10 },
    );
    expect(endpoint.requests.map((request) => request.headers['x-cleave-event'])).toEqual(['webhook.test']);
  });

  const disable = (project: string, webhookId: string, version: number) =>
    test.request(
      {
        method: 'PATCH',
        url: `/api/v1/projects/${project}/webhooks/${webhookId}`,
        payload: { enabled: false, version },
      },
      owner,
    );

  it('fails queued deliveries the moment their webhook is disabled, even one waiting for a retry', async () => {
    const project = await newProject();
    const endpoint = await receiver((response) => {
      response.statusCode = 500;
      response.end('down');
    });
    const webhook = await createWebhook(project, endpoint.url, ['environment.*']);
    await test.request(
      { method: 'POST', url: `/api/v1/projects/${project}/environments`, payload: { key: 'qa', name: 'QA' } },
      owner,
    );
    // One attempt fails; the retry is an hour away.
    const running = worker({ retry: { backoffBaseMs: 3_600_000, maxAttempts: 8 } });
    await vi.waitFor(
      async () => expect((await deliveries(project, webhook.id))[0]).toMatchObject({ attempts: 1 }),
      { timeout: 3_000, interval: 10 },
    );
    await running.stop();
    await test.request(
      {
        method: 'POST',
        url: `/api/v1/projects/${project}/environments`,
        payload: { key: 'uat', name: 'UAT' },
      },
      owner,
    );
    await sendTest(project, webhook.id);

    expect((await disable(project, webhook.id, 1)).statusCode).toBe(200);
    // No worker runs from here on: the answer to the PATCH already shows them failed.
    const byType = (await deliveries(project, webhook.id)).map((delivery) => [
      delivery.eventType,
      delivery.status,
      delivery.attempts,
      delivery.nextAttemptAt,
      delivery.lastError,
    ]);
    expect(byType).toEqual(
      expect.arrayContaining([
        ['environment.created', 'failed', 1, null, 'The webhook is disabled.'],
        ['environment.created', 'failed', 0, null, 'The webhook is disabled.'],
        // Test events still go to a disabled webhook.
        ['webhook.test', 'pending', 0, expect.any(String), null],
      ]),
    );
    expect(byType).toHaveLength(3);
  });

  it('keeps a delivery failed when its webhook is disabled while an attempt is in flight and fails', async () => {
    const project = await newProject();
    let answer: ((status: number) => void) | undefined;
    const endpoint = await receiver((response) => {
      answer = (status) => {
        response.statusCode = status;
        response.end();
      };
    });
    const webhook = await createWebhook(project, endpoint.url, ['environment.*']);
    await test.request(
      { method: 'POST', url: `/api/v1/projects/${project}/environments`, payload: { key: 'qa', name: 'QA' } },
      owner,
    );
    const running = worker({ retry: { backoffBaseMs: 20, maxAttempts: 8 } });
    await vi.waitFor(() => expect(answer).toBeDefined(), { timeout: 3_000, interval: 5 });
    expect((await disable(project, webhook.id, 1)).statusCode).toBe(200);
    answer?.(503);
    await running.stop();
    expect((await deliveries(project, webhook.id))[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      nextAttemptAt: null,
      lastStatusCode: 503,
      lastError: 'The webhook is disabled.',
    });
    expect(endpoint.requests).toHaveLength(1);
  });

  it('delivers each queued delivery once even with two workers on the same database', async () => {
    const project = await newProject();
    const endpoint = await receiver();
    const webhook = await createWebhook(project, endpoint.url);
    for (let index = 0; index < 12; index += 1) await sendTest(project, webhook.id);
    worker({ concurrency: 3 });
    worker({ concurrency: 3 });

    await vi.waitFor(
      async () => {
        const all = await deliveries(project, webhook.id);
        expect(all).toHaveLength(12);
        expect(all.every((delivery) => delivery.status === 'delivered')).toBe(true);
      },
      { timeout: 5_000, interval: 20 },
    );
    const ids = endpoint.requests.map((request) => request.headers['x-cleave-delivery']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('waits for deliveries in flight when stopped', async () => {
    const project = await newProject();
    let answer: (() => void) | undefined;
    const endpoint = await receiver((response) => {
      answer = () => response.end('ok');
    });
    const webhook = await createWebhook(project, endpoint.url);
    const running = new WebhookDeliveryWorker({
      webhooks: deliveryQueueOn(test.database.database.db),
      notifier: test.notifier,
      pollIntervalMs: 20,
      network: { allowPrivateNetworks: true },
    });
    running.start();
    await sendTest(project, webhook.id);
    await vi.waitFor(() => expect(answer).toBeDefined(), { timeout: 3_000, interval: 5 });

    let stopped = false;
    const stopping = running.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    answer?.();
    await stopping;
    expect((await deliveries(project, webhook.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});
