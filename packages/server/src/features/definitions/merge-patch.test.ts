import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test-support/databases.js';
import { type Credentials, createTestApp, type TestApp } from '../../test-support/test-app.js';

/**
 * PATCH is a JSON Merge Patch (RFC 7396): a field left out is kept, a field set to `null` is
 * removed. Without it a metric's cap or denominator, once set, could never be taken away.
 */
describe.each(DIALECTS)('PATCH of a definition as a merge patch (%s)', (dialect) => {
  let test: TestApp;
  let owner: Credentials;
  const base = '/api/v1/projects/shop';

  const request = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    test.request({ method, url: `${base}${url}`, payload }, owner);
  const patch = async (url: string, fields: Record<string, unknown>) => {
    const { version } = (await request('GET', url)).json() as { version: number };
    return request('PATCH', url, { ...fields, version });
  };

  beforeAll(async () => {
    test = await createTestApp(dialect);
    owner = await test.signUpOwner();
    await test.createProject(owner, 'shop');
    const created = await request('POST', '/metrics', {
      key: 'revenue',
      description: 'Money in',
      type: 'ratio',
      numerator: { event: 'purchase', aggregation: 'sum' },
      denominator: { event: 'visit', aggregation: 'count' },
      capping: { type: 'absolute', value: 500 },
      conversionWindow: { delayHours: 0, windowHours: 72 },
    });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('removes an optional field set to null and keeps the fields left out', async () => {
    const response = await patch('/metrics/revenue', { capping: null, conversionWindow: null });
    expect(response.statusCode, response.body).toBe(200);
    const metric = response.json();
    expect(metric).not.toHaveProperty('capping');
    expect(metric).not.toHaveProperty('conversionWindow');
    expect(metric).toMatchObject({ type: 'ratio', denominator: { event: 'visit' }, description: 'Money in' });
    // Stored, not just answered.
    expect((await request('GET', '/metrics/revenue')).json()).not.toHaveProperty('capping');
  });

  it('still checks the merged definition: a ratio without a denominator is refused', async () => {
    const response = await patch('/metrics/revenue', { denominator: null });
    expect(response.statusCode, response.body).toBe(400);
    expect(JSON.stringify(response.json().error.details)).toMatch(/denominator/);
    const changed = await patch('/metrics/revenue', { type: 'mean', denominator: null });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).not.toHaveProperty('denominator');
  });

  it('refuses null for a field every definition must have, naming it', async () => {
    for (const field of ['type', 'numerator', 'key']) {
      const response = await patch('/metrics/revenue', { [field]: null });
      expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
      expect(JSON.stringify(response.json().error.details)).toContain(field);
    }
  });

  it('removes optional fields of every kind of definition the same way', async () => {
    expect(
      (
        await request('POST', '/segments', {
          key: 'eu',
          description: 'Europe',
          conditions: [{ attribute: 'country', operator: 'in', value: ['NL'] }],
        })
      ).statusCode,
    ).toBe(201);
    const segment = await patch('/segments/eu', { description: null });
    expect(segment.statusCode, segment.body).toBe(200);
    expect(segment.json().description).toBe('');
  });
});
