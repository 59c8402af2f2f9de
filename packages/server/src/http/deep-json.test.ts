import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestApp, type TestApp } from '../test-support/test-app.js';

/** `{"a":{"a":…1…}}` nested `depth` times: parses fine, but recursion over it overflows the stack. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const DEPTH = 100_000;

describe('deeply nested JSON gets a 4xx, never a 500', () => {
  let test: TestApp;
  let owner: Credentials;
  let sdk: Credentials;
  let server: Credentials;

  beforeAll(async () => {
    test = await createTestApp('sqlite');
    owner = await test.signUpOwner();
    await test.createProject(owner);
    sdk = await test.environmentKey(owner, { kind: 'sdk' });
    server = await test.environmentKey(owner, { kind: 'server' });
  });
  afterAll(async () => {
    await test?.close();
  });

  const post = (url: string, body: string, as: Credentials) =>
    test.request({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json' } }, as);

  it('in event properties: that event is rejected, the others are stored; deeper still, the body', async () => {
    const timestamp = new Date().toISOString();
    const good = { id: randomUUID(), type: 'track', unitId: 'u', event: 'purchase', timestamp };
    const withProperties = (depth: number) =>
      `{"id":"${randomUUID()}","type":"track","unitId":"u","event":"x","timestamp":"${timestamp}","properties":${nested(depth)}}`;
    const batch = (depth: number) => `{"events":[${JSON.stringify(good)},${withProperties(depth)}]}`;

    const atLimit = await post('/api/v1/events', batch(32), sdk);
    expect(atLimit.json()).toMatchObject({ accepted: 2, rejected: [] });
    good.id = randomUUID();
    const overLimit = await post('/api/v1/events', batch(40), sdk);
    expect(overLimit.statusCode).toBe(202);
    expect(overLimit.json()).toMatchObject({
      accepted: 1,
      rejected: [
        {
          index: 1,
          error: { code: 'invalid_event', message: expect.stringMatching(/^properties: .*32 levels/) },
        },
      ],
    });
    const abusive = await post('/api/v1/events', batch(DEPTH), sdk);
    expect(abusive.statusCode).toBe(400);
    expect(abusive.json().error).toMatchObject({ code: 'invalid_json', details: { maxDepth: 64 } });
  });

  it("in an evaluation context, answered in each protocol's own error body", async () => {
    const body = `{"context":{"targetingKey":"u","deep":${nested(DEPTH)}}}`;
    const cleave = await post('/api/v1/evaluate', body, server);
    expect(cleave.statusCode).toBe(400);
    expect(cleave.json().error.code).toBe('invalid_json');
    for (const url of ['/ofrep/v1/evaluate/flags', '/ofrep/v1/evaluate/flags/any']) {
      for (const payload of [body, '{"context":', '']) {
        const response = await post(url, payload, server);
        expect({ url, payload: payload.slice(0, 20), status: response.statusCode }).toEqual({
          url,
          payload: payload.slice(0, 20),
          status: 400,
        });
        expect(response.json()).toEqual({ errorCode: 'INVALID_CONTEXT', errorDetails: expect.any(String) });
      }
    }
  });

  it('in a management body', async () => {
    const response = await post(
      '/api/v1/projects/shop/flags',
      `{"key":"deep","type":"json","variants":[{"key":"a","value":${nested(DEPTH)}}],"defaultVariant":"a","offVariant":"a"}`,
      owner,
    );
    expect(response.statusCode).toBe(400);
  });
});
