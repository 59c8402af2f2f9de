import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

/**
 * Security headers on every answer: a strict Content-Security-Policy (only this origin's scripts,
 * no framing, no plugins), no MIME sniffing, no referrer leaks; and none of them may break what
 * other origins legitimately do (SDK calls under CORS) or the API docs page.
 */
describe('security headers', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await test?.close();
  });

  it('sends a strict Content-Security-Policy and the other protective headers', async () => {
    const response = await test.request({ method: 'GET', url: '/healthz' });
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('keeps SDK endpoints callable from other origins (CORS decides, no resource policy blocks)', async () => {
    const preflight = await test.request({
      method: 'OPTIONS',
      url: '/api/v1/sdk/config',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(preflight.headers['cross-origin-resource-policy']).toBeUndefined();
  });

  it('serves the API docs page under the same policy', async () => {
    const page = await test.request({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    // Swagger UI's page loads its scripts as files, which script-src 'self' allows.
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)[^<]+<\/script>/);
  });
});
