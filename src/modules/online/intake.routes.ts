import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { OnlineAdminService } from './admin.service.ts';
import type { IntakeService } from './intake.service.ts';
import { sourceParams, webhookBody, wecomQuery } from './online.schema.ts';
import { checkWebhook } from '../../core/webhook.ts';
import { openWecom, parseFlatXml, wecomMessage } from './wecom.ts';

const tags = ['online'];

/** Refusals of the intake paths, in the API's error shape; nothing is stored before these checks pass. */
function refuse(reply: FastifyReply, status: 400 | 401, code: 'BAD_SIGNATURE' | 'STALE_TIMESTAMP' | 'MALFORMED_MESSAGE', message: string, details: unknown = null) {
  return reply.code(status).send({ error: { code, message, details } });
}

/**
 * The ways messages come in from outside: WeCom callbacks and signed webhooks. Bodies are read raw
 * (the signature covers the exact bytes), so this plugin has its own content-type parsing.
 */
export function intakeRoutes(intake: IntakeService, admin: OnlineAdminService, clock: () => number = Date.now): FastifyPluginAsyncZod {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    app.post('/api/intake/webhook/:sourceId', {
      schema: {
        tags, params: sourceParams,
        summary: 'A signed webhook: one message or { messages: [...] } (≤ 500); idempotent by message id',
        description: 'Headers: X-Dualgrid-Timestamp (Unix seconds, within ±300 s) and X-Dualgrid-Signature (hex HMAC-SHA256 of "<timestamp>.<raw body>" '
          + 'under the source secret). Body: { id, groupId, senderId, senderName, sentAt?, text, attachments? } or { messages: [...] }. 401 BAD_SIGNATURE or '
          + 'STALE_TIMESTAMP, 400 MALFORMED_MESSAGE. A single new message answers 201 { id, duplicate: false, state }; a replay 200 with the first copy\'s id.',
      },
    }, async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const source = await admin.activeSource(req.params.sourceId, 'webhook');
      const ts = req.headers['x-dualgrid-timestamp'];
      const sig = req.headers['x-dualgrid-signature'];
      const check = source?.secret ? checkWebhook(source.secret, typeof ts === 'string' ? ts : undefined, typeof sig === 'string' ? sig : undefined, raw, clock()) : 'bad';
      if (check === 'stale') return refuse(reply, 401, 'STALE_TIMESTAMP', 'The request timestamp is outside the ±300 s window; sign it again with the current time.');
      if (check !== 'ok') return refuse(reply, 401, 'BAD_SIGNATURE', 'Unknown source, or the signature does not match the body.');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return refuse(reply, 400, 'MALFORMED_MESSAGE', 'The body is not JSON.');
      }
      const parsed = webhookBody.safeParse(json);
      if (!parsed.success) return refuse(reply, 400, 'MALFORMED_MESSAGE', 'The body is not a message or a batch of messages.', z.flattenError(parsed.error));
      const list = 'messages' in parsed.data ? parsed.data.messages : [parsed.data];
      const taken = await intake.take(list.map((m) => ({
        via: 'webhook' as const, sourceId: source?.id ?? null, externalGroupId: m.groupId, externalMsgId: m.id, senderExternalId: m.senderId, senderName: m.senderName,
        sentAt: m.sentAt ? new Date(m.sentAt) : new Date(clock()), text: m.text, attachments: m.attachments,
      })));
      if (!('messages' in parsed.data)) {
        const one = taken[0];
        return reply.code(one && !one.duplicate ? 201 : 200).send(one);
      }
      return reply.code(200).send({
        accepted: taken.filter((t) => !t.duplicate).length, duplicates: taken.filter((t) => t.duplicate).length,
        items: taken.map((t, i) => ({ messageId: list[i]?.id ?? '', ...t })),
      });
    });

    app.get('/api/intake/wecom/:sourceId', {
      schema: { tags, params: sourceParams, querystring: wecomQuery, summary: 'WeCom callback URL verification: answers the decrypted echostr' },
    }, async (req, reply) => {
      const source = await admin.activeSource(req.params.sourceId, 'wecom');
      if (!source?.token || !source.aes_key || !source.corp_id) return refuse(reply, 401, 'BAD_SIGNATURE', 'Unknown source, or the signature does not match.');
      const opened = openWecom({ token: source.token, aesKey: source.aes_key, corpId: source.corp_id }, req.query, req.query.echostr, clock());
      if (!opened.ok) return wecomRefusal(reply, opened.why);
      return reply.type('text/plain; charset=utf-8').send(opened.plain);
    });

    app.post('/api/intake/wecom/:sourceId', {
      schema: { tags, params: sourceParams, querystring: wecomQuery, summary: 'WeCom callback: an encrypted message (XML with Encrypt); answers "success"' },
    }, async (req, reply) => {
      const source = await admin.activeSource(req.params.sourceId, 'wecom');
      if (!source?.token || !source.aes_key || !source.corp_id) return refuse(reply, 401, 'BAD_SIGNATURE', 'Unknown source, or the signature does not match.');
      const outer = parseFlatXml(typeof req.body === 'string' ? req.body : '');
      if (!outer?.Encrypt) return refuse(reply, 400, 'MALFORMED_MESSAGE', 'The body is not WeCom callback XML with an Encrypt element.');
      const opened = openWecom({ token: source.token, aesKey: source.aes_key, corpId: source.corp_id }, req.query, outer.Encrypt, clock());
      if (!opened.ok) return wecomRefusal(reply, opened.why);
      const inner = parseFlatXml(opened.plain);
      if (!inner) return refuse(reply, 400, 'MALFORMED_MESSAGE', 'The decrypted message is not XML.');
      const m = wecomMessage(inner);
      // Events (enter_agent …) and message types we do not keep are acknowledged so WeCom does not retry them.
      if (m) {
        await intake.take([{ via: 'wecom', sourceId: source.id, externalGroupId: m.externalGroupId, externalMsgId: m.externalMsgId, senderExternalId: m.senderId,
          senderName: inner.SenderName ?? m.senderId, sentAt: m.sentAt, text: m.text, attachments: m.attachments }]);
      }
      return reply.type('text/plain; charset=utf-8').send('success');
    });
  };
}

function wecomRefusal(reply: FastifyReply, why: 'missing' | 'stale' | 'bad_signature' | 'bad_cipher' | 'wrong_receiver') {
  if (why === 'stale') return refuse(reply, 401, 'STALE_TIMESTAMP', 'The timestamp is outside the ±300 s window.');
  return refuse(reply, 401, 'BAD_SIGNATURE', 'The signature or the cipher does not match this source.');
}
