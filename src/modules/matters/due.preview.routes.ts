import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEADLINE_UNITS } from '../../core/vocabulary.ts';
import type { DispatchService } from './dispatch.service.ts';
import { presentDuePreview } from './matters.presenter.ts';
import { idParams } from './matters.schema.ts';

const previewQuery = z.object({
  categoryCode: z.string().max(20).optional().describe("another category than the matter's (triage before registering)"),
});
const previewSchema = z.object({
  dueAt: z.string().describe('the due time a dispatch made now would get'),
  amount: z.number(), unit: z.enum(DEADLINE_UNITS),
  category: z.object({ code: z.string(), name: z.string() }),
});

/**
 * The due time a dispatch would set if made now (DispatchService.duePreview: the category's deadline over the
 * holiday calendar, as dispatching counts it; the lead and assists do not change it). For the dispatch dialog.
 */
export function duePreviewRoutes(dispatch: DispatchService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/matters/:id/due-preview', {
      schema: { tags: ['matters'], summary: 'The due time a dispatch made now would get (category deadline over the holiday calendar)', params: idParams, querystring: previewQuery, response: { 200: previewSchema } },
    }, async (req) => presentDuePreview(await dispatch.duePreview(req.ctx, req.params.id, req.query.categoryCode)));
  };
}
