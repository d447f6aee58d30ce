import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { presentCategory, presentDay, presentSuggestion } from './dictionary.presenter.ts';
import * as s from './dictionary.schema.ts';
import type { DictionaryService } from './dictionary.service.ts';

const tags = ['dictionary'];
const suggestion = z.object({ code: z.string(), name: z.string(), catalogue: z.string(), score: z.number() });

/** The category dictionary (two catalogues) and the holiday calendar: data, editable by administrators. */
export function dictionaryRoutes(dictionary: DictionaryService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/categories', { schema: { tags, summary: 'The category dictionary (public: residents choose from it)', querystring: z.object({ all: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(s.categorySchema) }) } } },
      async (req) => ({ items: (await dictionary.categories(req.query.all === 'true')).map(presentCategory) }));

    app.get('/api/categories/suggest', {
      schema: {
        tags, summary: 'Suggest a category for free text as it is typed (public; the same scoring as triage)',
        querystring: z.object({ text: z.string().trim().min(1, 'give some text').max(2000) }),
        response: { 200: z.object({
          category: suggestion.nullable(), alternatives: z.array(suggestion), urgent: z.boolean(), level: z.string(), scope: z.string(), reasons: z.array(z.string()),
        }) },
      },
    }, async (req) => {
      const { suggestion: r, rows } = await dictionary.suggest(req.query.text);
      return presentSuggestion(r, rows);
    });

    app.post('/api/categories', { schema: { tags, summary: 'Add a category type (administrators)', body: s.categoryBody, response: { 201: s.categorySchema } } },
      async (req, reply) => reply.code(201).send(presentCategory(await dictionary.createCategory(req.ctx, req.body))));

    app.patch('/api/categories/:code', { schema: { tags, summary: 'Edit or retire a category type (administrators)', params: s.codeParams, body: s.categoryPatch, response: { 200: s.categorySchema } } },
      async (req) => presentCategory(await dictionary.updateCategory(req.ctx, req.params.code, req.body)));

    app.get('/api/calendar', { schema: { tags, summary: 'Holiday and adjusted-workday overrides of a year (public)', querystring: s.calendarQuery, response: { 200: z.object({ items: z.array(s.daySchema) }) } } },
      async (req) => ({ items: (await dictionary.calendarYear(req.query.year)).map(presentDay) }));

    app.put('/api/calendar/:day', { schema: { tags, summary: 'Mark a day as a holiday or an adjusted workday (调休) (administrators)', params: s.dayParams, body: s.dayBody, response: { 200: s.daySchema } } },
      async (req) => presentDay(await dictionary.setDay(req.ctx, req.params.day, req.body)));

    app.delete('/api/calendar/:day', { schema: { tags, summary: 'Make a day ordinary again (administrators)', params: s.dayParams, response: { 204: z.null() } } },
      async (req, reply) => {
        await dictionary.clearDay(req.ctx, req.params.day);
        return reply.code(204).send(null);
      });
  };
}
