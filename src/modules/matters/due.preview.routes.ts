import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import { nowOf } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { dueFrom } from '../calendar/calendar.service.ts';
import { idParams } from './matters.schema.ts';
import type { MattersService } from './matters.service.ts';

const previewQuery = z.object({
  categoryCode: z.string().max(20).optional().describe("another category than the matter's (triage before registering)"),
});
const previewSchema = z.object({
  dueAt: z.string().describe('the due time a dispatch made now would get'),
  amount: z.number(), unit: z.enum(['natural_hours', 'natural_days', 'working_hours', 'working_days']),
  category: z.object({ code: z.string(), name: z.string() }),
});

/**
 * The due time a dispatch would set if made now: the category's deadline counted from now over the holiday
 * calendar, exactly as DispatchService does (the lead and assists do not change it). For the dispatch dialog.
 */
export function duePreviewRoutes(deps: AppDeps, matters: MattersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/matters/:id/due-preview', {
      schema: { tags: ['matters'], summary: 'The due time a dispatch made now would get (category deadline over the holiday calendar)', params: idParams, querystring: previewQuery, response: { 200: previewSchema } },
    }, async (req) => {
      const m = await matters.get(req.ctx, req.params.id);
      const q = deps.db.selectFrom('categories').select(['code', 'name', 'deadline_amount', 'deadline_unit']);
      const category = req.query.categoryCode
        ? await q.where('code', '=', req.query.categoryCode).executeTakeFirst()
        : m.category_id ? await q.where('id', '=', m.category_id).executeTakeFirst() : undefined;
      if (req.query.categoryCode && !category) throw notFound(`Category ${req.query.categoryCode}`);
      if (!category) throw new AppError('VALIDATION_FAILED', 'The matter has no category yet; register it with one (or pass categoryCode).');
      const due = await dueFrom(deps.db, nowOf(req.ctx), category.deadline_amount, category.deadline_unit);
      return { dueAt: due.toISOString(), amount: category.deadline_amount, unit: category.deadline_unit, category: { code: category.code, name: category.name } };
    });
  };
}
