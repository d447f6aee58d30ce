import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IntakeService } from './intake.service.ts';
import { presentWebhookTaken } from './online.presenter.ts';
import { sourceParams, wecomQuery } from './online.schema.ts';

const tags = ['online'];
const header = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/**
 * The ways messages come in from outside: WeCom callbacks and signed webhooks. Bodies are read raw
 * (the signature covers the exact bytes), so this plugin has its own content-type parsing. Refusals are
 * AppErrors (BAD_SIGNATURE, STALE_TIMESTAMP, MALFORMED_MESSAGE); WeCom's protocol answers stay plain text.
 */
export function intakeRoutes(intake: IntakeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    const raw = (body: unknown) => (typeof body === 'string' ? body : '');

    app.post('/api/intake/webhook/:sourceId', {
      schema: {
        tags, params: sourceParams,
        summary: 'A signed webhook: one message or { messages: [...] } (≤ 500); idempotent by message id',
        description: 'Headers: X-Dualgrid-Timestamp (Unix seconds, within ±300 s) and X-Dualgrid-Signature (hex HMAC-SHA256 of "<timestamp>.<raw body>" '
          + 'under the source secret). Body: { id, groupId, senderId, senderName, sentAt?, text, attachments? } or { messages: [...] }. 401 BAD_SIGNATURE or '
          + 'STALE_TIMESTAMP, 400 MALFORMED_MESSAGE. A single new message answers 201 { id, duplicate: false, state }; a replay 200 with the first copy\'s id.',
      },
    }, async (req, reply) => {
      const sig = { timestamp: header(req.headers['x-dualgrid-timestamp']), signature: header(req.headers['x-dualgrid-signature']) };
      const taken = await intake.takeWebhook(req.params.sourceId, sig, raw(req.body));
      return reply.code(taken.single && !taken.taken.duplicate ? 201 : 200).send(presentWebhookTaken(taken));
    });

    app.get('/api/intake/wecom/:sourceId', {
      schema: { tags, params: sourceParams, querystring: wecomQuery, summary: 'WeCom callback URL verification: answers the decrypted echostr' },
    }, async (req, reply) => reply.type('text/plain; charset=utf-8').send(await intake.wecomEcho(req.params.sourceId, req.query)));

    app.post('/api/intake/wecom/:sourceId', {
      schema: { tags, params: sourceParams, querystring: wecomQuery, summary: 'WeCom callback: an encrypted message (XML with Encrypt); answers "success"' },
    }, async (req, reply) => {
      await intake.takeWecom(req.params.sourceId, req.query, raw(req.body));
      // WeCom retries anything but this exact answer.
      return reply.type('text/plain; charset=utf-8').send('success');
    });
  };
}
