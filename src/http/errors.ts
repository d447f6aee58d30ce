import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, errorCatalogue } from '../core/errors.ts';
import { inputErrorOf } from '../db/errors.ts';

interface Issue { path: string; message: string }

/** Every error leaves as { error: { code, message, details } }; unknown ones become INTERNAL with the request id. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      // Throttles and rate limits say when to come back, in the body and in the standard header.
      const wait = (err.details as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
      if (typeof wait === 'number' && (err.status === 429 || err.status === 423)) reply.header('retry-after', String(Math.max(1, Math.ceil(wait))));
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details ?? null } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues: Issue[] = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message ?? 'is not valid',
      }));
      const summary = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
      return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: `The request is not valid. ${summary}`, details: { issues } } });
    }
    const fe = err as FastifyError; // Fastify's own errors carry statusCode and code
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.statusCode === 413) {
      return reply.code(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: errorCatalogue.PAYLOAD_TOO_LARGE.message, details: null } });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
      return reply.code(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: errorCatalogue.UNSUPPORTED_MEDIA_TYPE.message, details: null } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 && !isResponseSerializationError(err)) {
      return reply.code(fe.statusCode).send({ error: { code: 'VALIDATION_FAILED', message: `The request is not valid: ${fe.message}`, details: null } });
    }
    const refused = inputErrorOf(err);
    if (refused) {
      req.log.warn({ err, sqlState: refused.sqlState }, 'the database refused a value the schema let through');
      return reply.code(errorCatalogue[refused.code].status).send({ error: { code: refused.code, message: refused.message, details: { sqlState: refused.sqlState } } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: errorCatalogue.INTERNAL.message, details: { requestId: req.id } } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No such endpoint: ${req.method} ${req.url.split('?')[0]}`, details: null } }),
  );
}
