import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { fieldOf, type IssueFacts, zhIssueMessage } from '../core/errors.fields.ts';
import { languageOf } from '../core/errors.language.ts';
import { AppError, catalogueText, type ErrorCode, errorCatalogue, type Lang } from '../core/errors.ts';
import { inputErrorOf } from '../db/errors.ts';

/** One failing field of VALIDATION_FAILED: where, the zod issue code, and a sentence in the reader's language. */
interface Issue { path: string; reason: string; message: string }

/** Where a validation context's values are on the request, to tell an absent field from a wrong one. */
const PARTS: Record<string, (req: FastifyRequest) => unknown> = {
  body: (req) => req.body, querystring: (req) => req.query, params: (req) => req.params, headers: (req) => req.headers,
};

function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

const isMissing = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Every error leaves as { error: { code, message, details } }; unknown ones become INTERNAL with the request id.
 * `code` is stable; `message` (and each VALIDATION_FAILED issue's message) speaks the request's Accept-Language:
 * zh* → Chinese naming the field in plain words, anything else or no header → English for integrations.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    const lang = languageOf(req.headers['accept-language']);
    const send = (status: number, code: ErrorCode, message: string, details: unknown) => {
      markLanguage(reply, lang);
      return reply.code(status).send({ error: { code, message, details } });
    };
    if (err instanceof AppError) {
      // Throttles and rate limits say when to come back, in the body and in the standard header.
      const wait = (err.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
      if (typeof wait === 'number' && (err.status === 429 || err.status === 423)) reply.header('retry-after', String(Math.max(1, Math.ceil(wait))));
      return send(err.status, err.code, err.messageIn(lang), err.details ?? null);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext ?? 'body';
      const route = req.routeOptions.url;
      const issues: Issue[] = err.validation.map((v) => {
        const segments = v.instancePath.split('/').filter((s) => s !== '');
        const field = fieldOf(segments);
        const params = v.params as Partial<IssueFacts> & Record<string, unknown>;
        const missing = segments.length > 0 && isMissing(valueAt(PARTS[context]?.(req), segments));
        const facts: IssueFacts = { code: v.keyword, missing, origin: params.origin, minimum: params.minimum, maximum: params.maximum, inclusive: params.inclusive };
        return {
          path: `${context}${v.instancePath.replaceAll('/', '.')}`,
          reason: v.keyword,
          message: lang === 'zh-CN' ? zhIssueMessage(field, facts, route) : (v.message ?? 'is not valid'),
        };
      });
      const message = lang === 'zh-CN'
        ? `${[...new Set(issues.slice(0, 3).map((i) => i.message))].join('；')}。`
        : `The request is not valid. ${issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}`;
      return send(400, 'VALIDATION_FAILED', message, { issues });
    }
    const fe = err as FastifyError; // Fastify's own errors carry statusCode and code
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.statusCode === 413) {
      return send(413, 'PAYLOAD_TOO_LARGE', catalogueText('PAYLOAD_TOO_LARGE', lang), null);
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
      return send(415, 'UNSUPPORTED_MEDIA_TYPE', catalogueText('UNSUPPORTED_MEDIA_TYPE', lang), null);
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 && !isResponseSerializationError(err)) {
      const message = lang === 'zh-CN' ? catalogueText('VALIDATION_FAILED', lang) : `The request is not valid: ${fe.message}`;
      return send(fe.statusCode, 'VALIDATION_FAILED', message, null);
    }
    const refused = inputErrorOf(err);
    if (refused) {
      req.log.warn({ err, sqlState: refused.sqlState }, 'the database refused a value the schema let through');
      const message = lang === 'zh-CN' ? catalogueText(refused.code, lang) : refused.message;
      return send(errorCatalogue[refused.code].status, refused.code, message, { sqlState: refused.sqlState });
    }
    req.log.error({ err }, 'unhandled error');
    return send(500, 'INTERNAL', catalogueText('INTERNAL', lang), { requestId: req.id });
  });
  app.setNotFoundHandler((req, reply) => {
    const lang = languageOf(req.headers['accept-language']);
    const endpoint = `${req.method} ${req.url.split('?')[0]}`;
    markLanguage(reply, lang);
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: lang === 'zh-CN' ? `没有这个接口：${endpoint}` : `No such endpoint: ${endpoint}`, details: null } });
  });
}

/** The answer says its language, and caches keep one copy per Accept-Language. */
function markLanguage(reply: FastifyReply, lang: Lang): void {
  reply.header('content-language', lang);
  const vary = reply.getHeader('vary');
  const list = typeof vary === 'string' ? vary : Array.isArray(vary) ? vary.join(', ') : '';
  if (!/accept-language/i.test(list)) reply.header('vary', list ? `${list}, Accept-Language` : 'Accept-Language');
}
