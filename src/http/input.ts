import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { fieldOf, labelOf } from '../core/errors.fields.ts';
import { AppError } from '../core/errors.ts';
import { findUnstorableText, unstorableMessage } from '../core/input.ts';

const PARTS: Record<string, string> = { body: 'body', querystring: 'querystring', params: 'params', headers: 'headers' };

/**
 * The zod validator of every route, behind one check every endpoint inherits: a request whose body, query or path
 * holds a NUL character or a lone surrogate is refused with 400 VALIDATION_FAILED naming the field, before its
 * schema runs and long before SQL (which would answer 500). Ids are bounded in the schemas (core/fields.ts).
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const validate = zodValidatorCompiler(route);
  const part = PARTS[route.httpPart ?? 'body'] ?? 'body';
  return (data) => {
    const bad = findUnstorableText(data);
    if (bad) {
      const path = [part, ...bad.path].join('.');
      const message = unstorableMessage[bad.problem];
      const zh = `${labelOf(fieldOf(bad.path))}里有无法保存的字符，请删掉后再试。`;
      return { error: new AppError('VALIDATION_FAILED', { en: `The request is not valid. ${path}: ${message}`, zh }, { issues: [{ path, reason: bad.problem, message }] }) };
    }
    return validate(data);
  };
};
