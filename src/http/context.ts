import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../core/scope.ts';
import type { AccessService } from '../modules/access/access.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

export const SESSION_COOKIE = 'dg_session';

/** Resolves the caller once per request into request.ctx; routes pass ctx to services, never the raw request. */
export function installContext(app: FastifyInstance, access: AccessService): void {
  app.decorateRequest('ctx');
  app.addHook('onRequest', async (req) => {
    req.ctx = { actor: null, ip: req.ip, requestId: String(req.id) };
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    req.ctx.actor = await access.resolve(req.cookies[SESSION_COOKIE], bearer);
  });
}
