/**
 * @module http/security-headers
 * Security headers (helmet's) on every answer. Their values depend only on the configuration, yet
 * `@fastify/helmet` builds helmet's middleware again for every request (parsing the CSP directives
 * each time), which was a measurable share of every request's cost. So the plugin answers one probe
 * request at start-up, and a synchronous hook sets the headers it sent on every request.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

/** Headers of the probe's answer that are not helmet's. */
const NOT_SECURITY_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/** The headers `@fastify/helmet` sends with `options`, as [lower-case name, value] pairs. */
export async function securityHeadersFor(
  options: FastifyHelmetOptions,
): Promise<readonly [string, string][]> {
  const probe = Fastify({ logger: false });
  try {
    await probe.register(helmet, options);
    probe.get('/', async () => '');
    const answer = await probe.inject({ method: 'GET', url: '/' });
    return Object.entries(answer.headers)
      .filter(([name]) => !NOT_SECURITY_HEADERS.has(name))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]);
  } finally {
    await probe.close();
  }
}

export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const headers = await securityHeadersFor(options);
  if (headers.length === 0) throw new Error('helmet sent no security headers for this configuration');
  app.addHook('onRequest', (_request: FastifyRequest, reply: FastifyReply, done) => {
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });
}
