import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from '../../http/context.ts';
import { presentCodeSent, presentMe } from './access.presenter.ts';
import { phoneCodeBody, phoneCodeSchema, phoneLoginSchema, phoneVerifyBody } from './phone-login.schema.ts';
import type { PhoneLoginService } from './phone-login.service.ts';

/** Signing in with a phone number and a one-time code (residents); the session is the same as /api/auth/login's. */
export function phoneLoginRoutes(phone: PhoneLoginService, secureCookies: boolean): FastifyPluginAsyncZod {
  return async (app) => {
    if (phone.mode === 'demo') app.log.warn('SMS demo mode: no DUALGRID_SMS_WEBHOOK_URL is set, so phone codes are returned to the caller (fine for a demo, not for real residents)');

    app.post('/api/auth/phone/code', {
      schema: {
        tags: ['auth'], summary: 'Send a 6-digit sign-in code to a mobile number (valid 5 minutes; throttled per number and per IP)',
        description: 'Through the SMS gateway webhook; in demo SMS mode (no gateway configured) the code is returned as demoCode instead.',
        body: phoneCodeBody, response: { 200: phoneCodeSchema },
      },
    }, async (req) => presentCodeSent(await phone.sendCode(req.body.phone, req.ctx)));

    app.post('/api/auth/phone/verify', {
      schema: {
        tags: ['auth'], summary: 'Sign in with a mobile number and its code (sets the session cookie); the first sign-in creates a resident account',
        body: phoneVerifyBody, response: { 200: phoneLoginSchema },
      },
    }, async (req, reply) => {
      const { token, expiresAt, actor, created } = await phone.verify(req.body.phone, req.body.code, req.ctx, req.headers['user-agent'] ?? null);
      reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/', expires: expiresAt });
      return { ...presentMe(actor), newAccount: created };
    });
  };
}
