import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { KyselyDeliveryOutboxStore } from './delivery-outbox-store.js';

describe.each(DIALECTS)('webhooks API (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  let editor: Credentials;
  let viewer: Credentials;
  let admin: Credentials;
  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    for (const key of ['shop', 'blog']) {
      const project = await test.request(
        { method: 'POST', url: '/api/v1/projects', payload: { key, name: key } },
        owner,
      );
      expect(project.statusCode).toBe(201);
    }
    editor = await test.createPerson(owner, 'editor@example.com');
    viewer = await test.createPerson(owner, 'viewer@example.com');
    admin = await test.createPerson(owner, 'admin@example.com');
    for (const [email, role] of [
      ['editor@example.com', 'editor'],
      ['viewer@example.com', 'viewer'],
      ['admin@example.com', 'admin'],
    ]) {
      const member = await test.request(
        { method: 'PUT', url: '/api/v1/projects/shop/members', payload: { email, role } },
        owner,
      );
      expect(member.statusCode).toBe(200);
    }
  });
  afterAll(async () => {
    await test?.close();
  });

  const base = (project = 'shop') => `/api/v1/projects/${project}/webhooks`;
  const create = (payload: Record<string, unknown>, as: Credentials = owner, project = 'shop') =>
    test.request({ method: 'POST', url: base(project), payload }, as);
  const createValid = async (payload: Record<string, unknown> = {}) => {
    const response = await create({
      url: 'https://hooks.example.com/cleave',
      events: ['flag.*'],
      ...payload,
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; secret: string; version: number };
  };

  it('creates a webhook and shows its secret only in the create response', async () => {
    const response = await create({
      url: 'https://hooks.example.com/cleave',
      description: 'Deploy bot',
      events: ['flag.updated', 'experiment.*', 'flag.updated'],
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      url: 'https://hooks.example.com/cleave',
      description: 'Deploy bot',
      events: ['flag.updated', 'experiment.*'],
      enabled: true,
      version: 1,
    });
    expect(created.secret).toMatch(/^clv_whsec_[A-Za-z0-9_-]{43}$/);
    expect(response.headers.etag).toBe('"1"');

    const list = await test.request({ method: 'GET', url: base() }, owner);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual(expect.objectContaining({ id: created.id }));
    const detail = await test.request({ method: 'GET', url: `${base()}/${created.id}` }, owner);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ id: created.id, recentDeliveries: [] });
    const audit = await test.request(
      { method: 'GET', url: `/api/v1/projects/shop/audit?resourceType=webhook&resourceId=${created.id}` },
      owner,
    );
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        action: 'webhook.created',
        before: null,
        after: expect.objectContaining({ id: created.id }),
      }),
    ]);
    for (const body of [list.body, detail.body, audit.body]) {
      expect(body).not.toContain(created.secret);
      expect(body).not.toContain('"secret"');
    }
  });

  it('rejects invalid bodies with the path of every problem', async () => {
    const paths = async (payload: Record<string, unknown>) => {
      const response = await create(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      return response.json().error.details.issues.map((issue: { path: string }) => issue.path);
    };
    expect(await paths({ url: 'ftp://files.example.com', events: ['*'] })).toEqual(['/body/url']);
    expect(await paths({ url: 'not a url', events: [] })).toEqual(
      expect.arrayContaining(['/body/url', '/body/events']),
    );
    expect(await paths({ url: 'https://example.com', events: ['flag.*', 'Flag Updated'] })).toEqual([
      '/body/events/1',
    ]);
    expect(await paths({ url: 'https://example.com', events: ['*'], secret: 'mine' })).toEqual([
      '/body/secret',
    ]);
    expect(await paths({ events: ['*'] })).toEqual(['/body/url']);
  });

  it('refuses URLs that point into loopback, private or link-local networks, saying how to allow them', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://api.localhost/hook',
      'https://10.0.0.7/hook',
      'http://[::1]/hook',
      'http://[::ffff:192.168.1.1]/hook',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const response = await create({ url, events: ['*'] });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.json().error).toMatchObject({
        code: 'validation_failed',
        details: { issues: [{ path: '/body/url' }] },
      });
    }
    expect((await create({ url: 'http://10.1.2.3/hook', events: ['*'] })).json().error.message).toContain(
      'CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true',
    );
    expect((await create({ url: 'http://93.184.215.14/hook', events: ['*'] })).statusCode).toBe(201);
    const created = await createValid();
    const patched = await test.request(
      {
        method: 'PATCH',
        url: `${base()}/${created.id}`,
        payload: { url: 'http://192.168.0.10/hook', version: created.version },
      },
      owner,
    );
    expect(patched.statusCode).toBe(400);
  });

  it('updates with the current version and refuses a stale or missing one', async () => {
    const created = await createValid();
    const url = `${base()}/${created.id}`;
    const updated = await test.request(
      { method: 'PATCH', url, payload: { events: ['*'], enabled: false, version: 1 } },
      owner,
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ events: ['*'], enabled: false, version: 2 });
    expect(updated.headers.etag).toBe('"2"');

    const stale = await test.request(
      { method: 'PATCH', url, payload: { description: 'x', version: 1 } },
      owner,
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      details: { expectedVersion: 1, currentVersion: 2 },
    });
    const missing = await test.request({ method: 'PATCH', url, payload: { description: 'x' } }, owner);
    expect(missing.statusCode).toBe(428);
    const viaIfMatch = await test.request(
      {
        method: 'PATCH',
        url,
        payload: { url: 'https://hooks.example.org/v2' },
        headers: { 'if-match': '"2"' },
      },
      owner,
    );
    expect(viaIfMatch.statusCode).toBe(200);
    expect(viaIfMatch.json()).toMatchObject({ url: 'https://hooks.example.org/v2', version: 3 });
    const badUrl = await test.request(
      { method: 'PATCH', url, payload: { url: 'mailto:x@y.z', version: 3 } },
      owner,
    );
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error.details.issues[0].path).toBe('/body/url');

    const audit = await test.request(
      { method: 'GET', url: `/api/v1/projects/shop/audit?resourceType=webhook&resourceId=${created.id}` },
      owner,
    );
    expect(audit.json().items.map((record: { action: string }) => record.action)).toEqual([
      'webhook.updated',
      'webhook.updated',
      'webhook.created',
    ]);
    expect(audit.body).not.toContain(created.secret);
  });

  it('rotates the secret, showing the new one once', async () => {
    const created = await createValid();
    const rotated = await test.request(
      { method: 'POST', url: `${base()}/${created.id}/rotate-secret` },
      owner,
    );
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^clv_whsec_/);
    expect(rotated.json().secret).not.toBe(created.secret);
    expect(rotated.json().version).toBe(2);
    const audit = await test.request(
      { method: 'GET', url: `/api/v1/projects/shop/audit?resourceType=webhook&resourceId=${created.id}` },
      owner,
    );
    expect(audit.json().items[0].action).toBe('webhook.secret_rotated');
    expect(audit.body).not.toContain(rotated.json().secret);
    expect(audit.body).not.toContain(created.secret);
  });

  it('deletes a webhook, after which it is gone', async () => {
    const created = await createValid();
    const url = `${base()}/${created.id}`;
    const deleted = await test.request({ method: 'DELETE', url }, owner);
    expect(deleted.statusCode).toBe(204);
    expect((await test.request({ method: 'GET', url }, owner)).statusCode).toBe(404);
    expect((await test.request({ method: 'DELETE', url }, owner)).statusCode).toBe(404);
    const audit = await test.request(
      { method: 'GET', url: `/api/v1/projects/shop/audit?resourceType=webhook&resourceId=${created.id}` },
      owner,
    );
    expect(audit.json().items[0]).toMatchObject({ action: 'webhook.deleted', after: null });
  });

  it('keeps each project’s webhooks to itself', async () => {
    const created = await createValid();
    expect(
      (await test.request({ method: 'GET', url: `${base('blog')}/${created.id}` }, owner)).statusCode,
    ).toBe(404);
    const patch = await test.request(
      { method: 'PATCH', url: `${base('blog')}/${created.id}`, payload: { enabled: false, version: 1 } },
      owner,
    );
    expect(patch.statusCode).toBe(404);
    const list = await test.request({ method: 'GET', url: base('blog') }, owner);
    expect(list.json().items).toEqual([]);
  });

  it('queues a test event for one webhook only, and pages through its deliveries', async () => {
    const target = await createValid({ events: ['flag.updated'] });
    const bystander = await createValid({ events: ['*'] });
    for (let index = 0; index < 3; index += 1) {
      const queued = await test.request({ method: 'POST', url: `${base()}/${target.id}/test` }, owner);
      expect(queued.statusCode).toBe(202);
      expect(queued.json()).toMatchObject({
        eventType: 'webhook.test',
        status: 'pending',
        attempts: 0,
        payload: { type: 'webhook.test', resource: { type: 'webhook', id: target.id } },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await test.request(
        { method: 'GET', url: `${base()}/${target.id}/deliveries${query}` },
        owner,
      );
      expect(page.statusCode).toBe(200);
      const body = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((delivery: { id: string; eventType: string }) => delivery.eventType));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['webhook.test', 'webhook.test', 'webhook.test']);

    const bystanderDeliveries = await test.request(
      { method: 'GET', url: `${base()}/${bystander.id}/deliveries` },
      owner,
    );
    expect(
      bystanderDeliveries.json().items.map((delivery: { eventType: string }) => delivery.eventType),
    ).not.toContain('webhook.test');
    const detail = await test.request({ method: 'GET', url: `${base()}/${target.id}` }, owner);
    expect(detail.json().recentDeliveries).toHaveLength(3);
    const badCursor = await test.request(
      { method: 'GET', url: `${base()}/${target.id}/deliveries?cursor=nonsense` },
      owner,
    );
    expect(badCursor.statusCode).toBe(400);
  });

  it('redelivers a finished delivery with fresh retries, but not a pending one or to a disabled webhook', async () => {
    const webhook = await createValid({ events: ['flag.*'] });
    const url = (deliveryId: string) => `${base()}/${webhook.id}/deliveries/${deliveryId}/redeliver`;
    const test1 = (await test.request({ method: 'POST', url: `${base()}/${webhook.id}/test` }, owner)).json();
    const pending = await test.request({ method: 'POST', url: url(test1.id) }, owner);
    expect(pending.statusCode).toBe(409);
    expect(pending.json().error.details.reason).toBe('delivery_pending');

    // A flag event that failed for good, as the worker leaves it.
    const outbox = new KyselyDeliveryOutboxStore(test.database.database.db);
    const now = new Date().toISOString();
    const payload = { id: 'event-1', type: 'flag.updated', resource: { type: 'flag', key: 'checkout' } };
    await outbox.enqueue({
      id: 'failed-1',
      webhookId: webhook.id,
      eventId: 'event-1',
      eventType: 'flag.updated',
      payload,
      now,
    });
    await outbox.recordAttempt('failed-1', {
      status: 'failed',
      attempts: 8,
      nextAttemptAt: null,
      statusCode: 500,
      error: 'HTTP 500',
      now,
    });

    const again = await test.request({ method: 'POST', url: url('failed-1') }, owner);
    expect(again.statusCode).toBe(202);
    const redelivery = again.json();
    expect(redelivery).toMatchObject({
      id: 'failed-1',
      webhookId: webhook.id,
      eventId: 'event-1',
      eventType: 'flag.updated',
      payload,
      status: 'pending',
      attempts: 0,
      // The last outcome stays visible until the next attempt.
      lastStatusCode: 500,
    });
    expect(await outbox.due(new Date(Date.now() + 1000).toISOString(), 1000)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'failed-1' })]),
    );
    // Twice in a row: the second finds it pending.
    expect((await test.request({ method: 'POST', url: url('failed-1') }, owner)).statusCode).toBe(409);
    await outbox.recordAttempt('failed-1', {
      status: 'delivered',
      attempts: 1,
      nextAttemptAt: null,
      statusCode: 200,
      error: null,
      now,
    });

    const disabled = await test.request(
      {
        method: 'PATCH',
        url: `${base()}/${webhook.id}`,
        payload: { enabled: false, version: webhook.version },
      },
      owner,
    );
    expect(disabled.statusCode).toBe(200);
    const refused = await test.request({ method: 'POST', url: url('failed-1') }, owner);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.reason).toBe('webhook_disabled');

    expect((await test.request({ method: 'POST', url: url('no-such-delivery') }, owner)).statusCode).toBe(
      404,
    );
    expect((await test.request({ method: 'POST', url: url('failed-1') }, editor)).statusCode).toBe(403);
  });

  it('is for admins and owners only: viewers and editors get 403, reads included', async () => {
    const created = await createValid();
    for (const person of [viewer, editor]) {
      expect((await test.request({ method: 'GET', url: base() }, person)).statusCode).toBe(403);
      expect((await test.request({ method: 'GET', url: `${base()}/${created.id}` }, person)).statusCode).toBe(
        403,
      );
      expect((await create({ url: 'https://example.com', events: ['*'] }, person)).statusCode).toBe(403);
      expect(
        (await test.request({ method: 'GET', url: `${base()}/${created.id}/deliveries` }, person)).statusCode,
      ).toBe(403);
      expect(
        (await test.request({ method: 'POST', url: `${base()}/${created.id}/test` }, person)).statusCode,
      ).toBe(403);
    }
    expect((await create({ url: 'https://example.com', events: ['*'] }, admin)).statusCode).toBe(201);
    expect((await test.request({ method: 'GET', url: base() })).statusCode).toBe(401);
  });

  it('refuses credentials in the URL, on create and update', async () => {
    const refused = await create({ url: 'https://ops:hunter2@hooks.example.com/cleave', events: ['*'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.issues).toEqual([
      { path: '/body/url', message: expect.stringContaining('must not contain credentials') },
    ]);
    const created = await createValid();
    const patched = await test.request(
      {
        method: 'PATCH',
        url: `${base()}/${created.id}`,
        payload: { url: 'https://token@hooks.example.com/x', version: created.version },
      },
      owner,
    );
    expect(patched.statusCode).toBe(400);
  });

  it('shows webhook URLs in the audit log whole to admins, redacted to editors and viewers', async () => {
    const secretUrl = 'https://hooks.example.com/services/T000/B000/s3cr3tT0k3n?token=abc';
    const created = await create({ url: secretUrl, events: ['flag.*'] });
    expect(created.statusCode).toBe(201);
    const webhookId = created.json().id as string;
    const auditFor = async (person: Credentials) => {
      const response = await test.request(
        { method: 'GET', url: `/api/v1/projects/shop/audit?resourceType=webhook&resourceId=${webhookId}` },
        person,
      );
      expect(response.statusCode).toBe(200);
      return response;
    };
    for (const person of [viewer, editor]) {
      const response = await auditFor(person);
      expect(response.body).not.toContain('s3cr3tT0k3n');
      expect(response.body).not.toContain('token=abc');
      expect(response.json().items[0].after.url).toBe('https://hooks.example.com/[redacted]');
    }
    for (const person of [admin, owner]) {
      expect((await auditFor(person)).json().items[0].after.url).toBe(secretUrl);
    }
  });
});
