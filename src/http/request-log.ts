import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's own per-request lines, at a level a town's operator can live with: "incoming request" at debug,
 * and one summary when the response has gone out — at debug for a good answer, at info when it was refused
 * (4xx) or slow, at error when it failed (5xx). Live event streams stay at debug however long they were
 * open: their length is the point, not a sign of trouble. Set LOG_LEVEL=debug to see every request.
 */
export class RequestLog extends LogController {
  constructor(private readonly slowMs: number) {
    super();
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'incoming request');
  }

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const ms = Math.round(reply.elapsedTime);
    const status = reply.statusCode;
    const line = { method: request.method, url: request.url, status, ms, route: request.routeOptions.url };
    const stream = String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream');
    if (error || status >= 500) reply.log.error({ ...line, err: error ?? undefined }, 'request failed');
    else if (status >= 400) reply.log.info(line, 'request refused');
    else if (ms >= this.slowMs && !stream) reply.log.info(line, 'slow request');
    else reply.log.debug(line, 'request completed');
  }
}
