import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../http/context.ts';
import { presentMe, presentToken } from './access.presenter.ts';
import { idParams, loginBody, meSchema, tokenBody, tokenSchema } from './access.schema.ts';
import { signedIn } from '../../core/scope.ts';
import type { AccessService } from './access.service.ts';

export function accessRoutes(access: AccessService, secureCookies: boolean): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/auth/login', {
      schema: { tags: ['auth'], summary: 'Log in with username and password (sets an httpOnly session cookie)', body: loginBody, response: { 200: meSchema } },
    }, async (req, reply) => {
      const { token, expiresAt, actor } = await access.login(req.body.username, req.body.password, req.ctx, req.headers['user-agent'] ?? null);
      reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/', expires: expiresAt });
      // actor is non-null: login just verified an active user
      return presentMe(actor ?? signedIn(req.ctx.actor));
    });

    app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } } }, async (req, reply) => {
      await access.logout(req.cookies[SESSION_COOKIE], req.ctx);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    });

    app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'Who am I, with my roles and scopes', response: { 200: meSchema } } }, async (req) =>
      presentMe(signedIn(req.ctx.actor)),
    );

    // Pages that work signed in or not (a matter's public progress) ask here, so being signed out is not an error.
    app.get('/api/auth/session', { schema: { tags: ['auth'], summary: 'Who am I, or null when not signed in (never 401)', response: { 200: z.object({ me: meSchema.nullable() }) } } }, async (req) => ({
      me: req.ctx.actor ? presentMe(req.ctx.actor) : null,
    }));

    app.get('/api/auth/tokens', { schema: { tags: ['auth'], summary: 'My API tokens', response: { 200: z.object({ items: z.array(tokenSchema) }) } } }, async (req) => ({
      items: (await access.listTokens(req.ctx)).map(presentToken),
    }));

    app.post('/api/auth/tokens', {
      schema: { tags: ['auth'], summary: 'Create a bearer API token (shown once)', body: tokenBody, response: { 201: tokenSchema.extend({ token: z.string() }) } },
    }, async (req, reply) => {
      const created = await access.createToken(req.ctx, req.body.name);
      return reply.code(201).send({ ...presentToken(created), token: created.token });
    });

    app.post('/api/users/:id/unlock', {
      schema: {
        tags: ['auth', 'people'], summary: 'Lift an account\'s sign-in throttle: its account-wide lock and every address\'s back-off (administrators over the account)',
        params: idParams, response: { 204: z.null() },
      },
    }, async (req, reply) => {
      await access.unlock(req.ctx, req.params.id);
      return reply.code(204).send(null);
    });

    app.delete('/api/auth/tokens/:id', { schema: { tags: ['auth'], summary: 'Revoke one of my API tokens', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
      await access.revokeToken(req.ctx, req.params.id);
      return reply.code(204).send(null);
    });
  };
}
