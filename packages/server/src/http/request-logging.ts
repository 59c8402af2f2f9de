/**
 * @module http/request-logging
 * One log line per request, written when it completes and carrying both the request and the
 * response (Fastify's default writes two, one on arrival). Successful SDK reads (config, stream,
 * remote evaluation, OFREP) are not logged at all unless asked for: SDKs and OpenFeature providers
 * call them on every page view, and a line each was a large share of their cost while saying
 * nothing the request metrics don't. Their failures are logged like any other request's.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** Route URLs (as declared, with their prefix) of the reads SDKs and OpenFeature providers make. */
const SDK_READ_ROUTES = ['/api/v1/sdk/', '/api/v1/evaluate', '/ofrep/'];

export function isSdkReadRoute(routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && SDK_READ_ROUTES.some((prefix) => routeUrl.startsWith(prefix));
}

export interface RequestLoggingOptions {
  requestIdLogLabel: string;
  /** Log successful SDK reads too (CLEAVE_LOG_SDK_READS). */
  logSdkReads: boolean;
}

export class OneLinePerRequest extends LogController {
  private readonly logSdkReads: boolean;

  constructor(options: RequestLoggingOptions) {
    super({ requestIdLogLabel: options.requestIdLogLabel });
    this.logSdkReads = options.logSdkReads;
  }

  override incomingRequest(): void {
    // The completion line carries the request: one line per request.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
      return;
    }
    if (!this.logSdkReads && reply.statusCode < 400 && isSdkReadRoute(request.routeOptions.url)) return;
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
