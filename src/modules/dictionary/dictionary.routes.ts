import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { CategoryRow } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { suggestTriage } from '../../core/triage/suggest.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { activeCategories, toSeedShape } from '../matters/matters.service.ts';
import { assertMayEditDictionary } from './dictionary.policy.ts';
import * as s from './dictionary.schema.ts';

const present = (c: CategoryRow) => ({
  id: c.id, code: c.code, catalogue: c.catalogue, major: c.major, name: c.name, defaultLevel: c.default_level, scope: c.scope, complexity: c.complexity,
  leadBoard: c.lead_board, leadPost: c.lead_post, leadJointDuty: c.lead_joint_duty, assistJointDuty: c.assist_joint_duty,
  deadline: { amount: c.deadline_amount, unit: c.deadline_unit }, urgent: c.urgent, keywords: c.keywords, status: c.status,
});

type CategoryInput = Partial<z.infer<typeof s.categoryBody>> & { status?: 'active' | 'retired' };
const columns = (b: CategoryInput) => ({
  major: b.major, name: b.name, default_level: b.defaultLevel, scope: b.scope, complexity: b.complexity, lead_board: b.leadBoard, lead_post: b.leadPost,
  lead_joint_duty: b.leadJointDuty, assist_joint_duty: b.assistJointDuty ? JSON.stringify(b.assistJointDuty) : undefined,
  deadline_amount: b.deadline?.amount, deadline_unit: b.deadline?.unit, urgent: b.urgent, keywords: b.keywords ? JSON.stringify(b.keywords) : undefined, status: b.status,
});

const suggestion = z.object({ code: z.string(), name: z.string(), catalogue: z.string(), score: z.number() });

/** The category dictionary (two catalogues) and the holiday calendar: data, editable by administrators. */
export function dictionaryRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { db } = deps;
  return async (app) => {
    app.get('/api/categories', { schema: { tags: ['dictionary'], summary: 'The category dictionary (public: residents choose from it)', querystring: z.object({ all: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(s.categorySchema) }) } } },
      async (req) => {
        let q = db.selectFrom('categories').selectAll().orderBy('code');
        if (req.query.all !== 'true') q = q.where('status', '=', 'active');
        return { items: (await q.execute()).map(present) };
      });

    app.get('/api/categories/suggest', {
      schema: {
        tags: ['dictionary'], summary: 'Suggest a category for free text as it is typed (public; the same scoring as triage)',
        querystring: z.object({ text: z.string().trim().min(1, 'give some text').max(2000) }),
        response: { 200: z.object({
          category: suggestion.nullable(), alternatives: z.array(suggestion), urgent: z.boolean(), level: z.string(), scope: z.string(), reasons: z.array(z.string()),
        }) },
      },
    }, async (req) => {
      const rows = await activeCategories(db);
      const byCode = new Map(rows.map((c) => [c.code, c]));
      const named = (c: { code: string; score: number } | null) => {
        const row = c ? byCode.get(c.code) : undefined;
        return c && row ? { code: c.code, name: row.name, catalogue: row.catalogue, score: c.score } : null;
      };
      const r = suggestTriage(req.query.text, rows.map(toSeedShape));
      return {
        category: named(r.category), alternatives: r.alternatives.map(named).filter((c) => c !== null),
        urgent: r.urgent, level: r.level, scope: r.scope, reasons: r.reasons,
      };
    });

    app.post('/api/categories', { schema: { tags: ['dictionary'], summary: 'Add a category type (administrators)', body: s.categoryBody, response: { 201: s.categorySchema } } },
      async (req, reply) => {
        assertMayEditDictionary(req.ctx.actor);
        const row = await db.transaction().execute(async (trx) => {
          if (await trx.selectFrom('categories').select('id').where('code', '=', req.body.code).executeTakeFirst()) throw new AppError('CONFLICT', `Category ${req.body.code} exists.`);
          const b = req.body;
          const created = await trx.insertInto('categories').values({
            code: b.code, catalogue: b.catalogue, major: b.major, name: b.name, default_level: b.defaultLevel, scope: b.scope, complexity: b.complexity,
            lead_board: b.leadBoard, lead_post: b.leadPost, lead_joint_duty: b.leadJointDuty, assist_joint_duty: JSON.stringify(b.assistJointDuty),
            deadline_amount: b.deadline.amount, deadline_unit: b.deadline.unit, urgent: b.urgent, keywords: JSON.stringify(b.keywords),
          }).returningAll().executeTakeFirstOrThrow();
          await appendAudit(trx, req.ctx, { action: 'category.create', subjectType: 'category', subjectId: b.code });
          return created;
        });
        return reply.code(201).send(present(row));
      });

    app.patch('/api/categories/:code', { schema: { tags: ['dictionary'], summary: 'Edit or retire a category type (administrators)', params: s.codeParams, body: s.categoryPatch, response: { 200: s.categorySchema } } },
      async (req) => {
        assertMayEditDictionary(req.ctx.actor);
        return present(await db.transaction().execute(async (trx) => {
          const row = await trx.updateTable('categories').set(columns(req.body)).where('code', '=', req.params.code).returningAll().executeTakeFirst();
          if (!row) throw notFound(`Category ${req.params.code}`);
          await appendAudit(trx, req.ctx, { action: 'category.update', subjectType: 'category', subjectId: req.params.code, details: { fields: Object.keys(req.body) } });
          return row;
        }));
      });

    app.get('/api/calendar', { schema: { tags: ['dictionary'], summary: 'Holiday and adjusted-workday overrides of a year (public)', querystring: s.calendarQuery, response: { 200: z.object({ items: z.array(s.daySchema) }) } } },
      async (req) => ({
        items: await db.selectFrom('calendar_days').select(['day', 'kind', 'name']).where('day', '>=', `${req.query.year}-01-01`).where('day', '<=', `${req.query.year}-12-31`).orderBy('day').execute(),
      }));

    app.put('/api/calendar/:day', { schema: { tags: ['dictionary'], summary: 'Mark a day as a holiday or an adjusted workday (调休) (administrators)', params: s.dayParams, body: s.dayBody, response: { 200: s.daySchema } } },
      async (req) => {
        assertMayEditDictionary(req.ctx.actor);
        return db.transaction().execute(async (trx) => {
          const row = await trx.insertInto('calendar_days').values({ day: req.params.day, kind: req.body.kind, name: req.body.name })
            .onConflict((oc) => oc.column('day').doUpdateSet({ kind: req.body.kind, name: req.body.name })).returning(['day', 'kind', 'name']).executeTakeFirstOrThrow();
          await appendAudit(trx, req.ctx, { action: 'calendar.set', subjectType: 'calendar_day', subjectId: req.params.day, details: { ...req.body } });
          return row;
        });
      });

    app.delete('/api/calendar/:day', { schema: { tags: ['dictionary'], summary: 'Make a day ordinary again (administrators)', params: s.dayParams, response: { 204: z.null() } } },
      async (req, reply) => {
        assertMayEditDictionary(req.ctx.actor);
        await db.transaction().execute(async (trx) => {
          await trx.deleteFrom('calendar_days').where('day', '=', req.params.day).execute();
          await appendAudit(trx, req.ctx, { action: 'calendar.clear', subjectType: 'calendar_day', subjectId: req.params.day });
        });
        return reply.code(204).send(null);
      });
  };
}
