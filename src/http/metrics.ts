import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsAccess {
  /** A bearer token a scraper presents (DUALGRID_METRICS_TOKEN), or null. */
  token: string | null;
  /** Client addresses that may read without a token (DUALGRID_METRICS_ALLOW). */
  allow: string[];
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** A scraper on the allow-list, or one with the token; compared in constant time. */
function mayScrape(req: FastifyRequest, access: MetricsAccess): boolean {
  if (access.allow.includes(req.ip)) return true;
  const header = req.headers.authorization;
  if (!access.token || !header?.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice(7).trim()), digest(access.token));
}

/**
 * Prometheus metrics at /metrics: request counts and latencies by route, plus Node's defaults. Routes and
 * volumes say a lot about a town's work, so only an allowed address or a holder of the token may read them.
 */
export function installMetrics(app: FastifyInstance, access: MetricsAccess): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'dualgrid_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({ name: 'dualgrid_http_request_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'], registers: [registry] });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: reply.statusCode });
    latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!mayScrape(req, access)) throw new AppError('FORBIDDEN', 'Metrics are for the monitoring system: send its bearer token (DUALGRID_METRICS_TOKEN) or scrape from an allowed address (DUALGRID_METRICS_ALLOW).');
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
