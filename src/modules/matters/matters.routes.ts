import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageSchema } from '../../core/cursor.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { MatterRow } from '../../db/schema.ts';
import type { DispatchService } from './dispatch.service.ts';
import type { EvaluationService } from './evaluation.service.ts';
import type { HandlingService } from './handling.service.ts';
import { presentDetail, presentListItem, presentMatter, presentPublic } from './matters.presenter.ts';
import * as s from './matters.schema.ts';
import type { MattersService } from './matters.service.ts';

export interface MatterServices { matters: MattersService; dispatch: DispatchService; handling: HandlingService; evaluation: EvaluationService }

const ok = { 200: s.matterSchema };
const tags = ['matters'];

/** The closed loop over HTTP: one route per step, each a single service call. */
export function mattersRoutes({ matters, dispatch, handling, evaluation }: MatterServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/matters', { schema: { tags, summary: 'Report a matter (any source); location resolves to its grid. A repeated clientId answers 200 with the first matter', body: s.reportBody, response: { 200: s.matterSchema, 201: s.matterSchema } } },
      async (req, reply) => {
        const { m, created } = await matters.submit(req.ctx, req.body);
        return reply.code(created ? 201 : 200).send(presentMatter(m));
      });

    app.get('/api/matters', { schema: { tags, summary: 'Matters I may see, due soonest first (inbox, queue, search)', querystring: s.listQuery, response: { 200: pageSchema(s.listItemSchema) } } },
      async (req) => {
        const { items, nextCursor } = await matters.list(req.ctx, req.query);
        return { items: items.map(presentListItem), nextCursor };
      });

    app.get('/api/matters/:id', { schema: { tags, summary: 'A matter with its assignments, photos and the whole timeline', params: s.idParams, response: { 200: s.detailSchema } } },
      async (req) => presentDetail(await matters.detail(req.ctx, req.params.id)));

    app.get('/api/public/matters/:code', { schema: { tags, summary: 'Public progress of a matter by its public code (not the internal code): six stages, nothing personal', params: z.object({ code: z.string().max(40) }), response: { 200: s.publicSchema } } },
      async (req) => presentPublic(await matters.publicView(req.params.code)));

    app.get('/api/matters/:id/suggestion', { schema: { tags, summary: 'Suggested category, scope, level and board for triage', params: s.idParams, response: { 200: s.suggestionSchema } } },
      async (req) => matters.suggestion(req.ctx, req.params.id));

    // Each step is one service call answering the matter as the caller sees it once the step has committed.
    const step = <B extends z.ZodType>(path: string, summary: string, body: B, handler: (ctx: RequestContext, id: number, body: z.infer<B>) => Promise<MatterRow>) =>
      app.post(`/api/matters/:id/${path}`, { schema: { tags, summary, params: s.idParams, body, response: ok } }, async (req) =>
        presentMatter(await handler(req.ctx, req.params.id, req.body as z.infer<B>))); // the body was validated against this same schema

    step('register', 'Triage (研判): confirm category, complexity, scope, level and lead board', s.registerBody, (ctx, id, b) => matters.register(ctx, id, b));
    step('reject', 'Not a matter (不予立案), with a reason', s.reasonBody, (ctx, id, b) => matters.reject(ctx, id, b.reason));
    step('dispatch', 'Dispatch (派单) to one lead and any assists; the due time follows the category and the holiday calendar', s.dispatchBody, (ctx, id, b) => dispatch.dispatch(ctx, id, b));
    step('reassign', 'Replace the lead (and assists)', s.reassignBody, (ctx, id, b) => dispatch.reassign(ctx, id, b));
    step('summon', 'Summon departments (吹哨报到) as assists', s.summonBody, (ctx, id, b) => dispatch.summon(ctx, id, b));
    step('accept', 'Accept my assignment', z.object({}).default({}), (ctx, id) => dispatch.accept(ctx, id));
    step('return', 'Return my assignment with a reason', s.reasonBody, (ctx, id, b) => dispatch.returnMatter(ctx, id, b.reason));
    step('assist-done', 'An assist marks its part done', s.noteBody, (ctx, id, b) => dispatch.assistDone(ctx, id, b.note, b.photos));
    step('escalate', 'Escalate one level up, or across to another town or district', s.escalateBody, (ctx, id, b) => dispatch.escalate(ctx, id, b));
    step('progress', 'A progress note, with photos', s.noteBody, (ctx, id, b) => handling.progress(ctx, id, b.note, b.photos));
    step('handle', 'The lead marks the matter handled, with result photos', s.noteBody, (ctx, id, b) => handling.handle(ctx, id, b.note, b.photos));
    step('suspend-request', 'Ask to suspend (挂起); takes effect when approved', s.suspendBody, (ctx, id, b) => handling.ask(ctx, id, 'suspend', b.reason));
    step('extend-request', 'Ask to extend the due time (延期); takes effect when approved', s.extendBody, (ctx, id, b) => handling.ask(ctx, id, 'extend', b.reason, b.extendTo));
    step('resume', 'Resume a suspended matter; the due time moves by the time suspended', s.optionalNoteBody, (ctx, id, b) => handling.resume(ctx, id, b.note));
    step('verify', 'Verify (核查) the result: pass tells the reporters, fail sends it back', s.verifyBody, (ctx, id, b) => evaluation.verify(ctx, id, b.passed, b.note));
    step('rate', 'The reporter rates the outcome; dissatisfied reopens it', s.rateBody, (ctx, id, b) => evaluation.rate(ctx, id, b));
    step('close', 'Close a verified matter without a rating', s.optionalNoteBody, (ctx, id, b) => evaluation.close(ctx, id, b.note));
    step('reopen', 'Reopen a closed matter to its lead', s.reasonBody, (ctx, id, b) => evaluation.reopen(ctx, id, b.reason));
    step('visit', 'Record a return visit (回访)', s.visitBody, (ctx, id, b) => evaluation.visit(ctx, id, b.outcome, b.satisfied));
    step('merge', 'Merge this duplicate into another matter', s.mergeBody, (ctx, id, b) => evaluation.merge(ctx, id, b.intoMatterId, b.note));

    app.post('/api/matters/:id/requests/:requestId/decide', { schema: { tags, summary: 'Approve or reject a suspension or extension', params: s.requestParams, body: s.decideBody, response: ok } },
      async (req) => presentMatter(await handling.decide(req.ctx, req.params.id, req.params.requestId, req.body.approve, req.body.note)));
  };
}
