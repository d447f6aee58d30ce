import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { presentReporter, presentReporterReveal } from './matters.presenter.ts';
import { idParams, reporterRevealBody, reporterRevealSchema, reporterSchema } from './matters.schema.ts';
import type { ReporterService } from './reporter.service.ts';

const tags = ['matters'];

/** The reporter, reachable for the call back (回访): masked, or in full with a reason (audited as residents' numbers are). */
export function reporterRoutes(reporter: ReporterService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/matters/:id/reporter', {
      schema: { tags, summary: 'Who reported, number masked (the centre and the staff of the place)', params: idParams, response: { 200: reporterSchema } },
    }, async (req) => presentReporter(await reporter.contact(req.ctx, req.params.id)));

    app.post('/api/matters/:id/reporter/reveal', {
      schema: { tags, summary: "Show the reporter's full number with a reason, to call them back (audited; only roles that may reveal numbers)", params: idParams, body: reporterRevealBody, response: { 200: reporterRevealSchema } },
    }, async (req) => presentReporterReveal(await reporter.reveal(req.ctx, req.params.id, req.body.reason)));
  };
}
