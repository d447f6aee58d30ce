import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageSchema as list } from '../../core/cursor.ts';
import type { LabelsService } from './labels.service.ts';
import type { ModelsService } from './models.service.ts';
import { presentLabel, presentModel } from './sensing.presenter.ts';
import * as s from './sensing.schema.ts';

const tags = ['sensing'];

export interface SensingServices { labels: LabelsService; models: ModelsService }

/** The labels operators' decisions made and the versions of the trained sensing model, for administrators. */
export function sensingRoutes({ labels, models }: SensingServices): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/sensing/labels', {
      schema: { tags, summary: 'Labels made by operators\' decisions on group messages, newest first (administrators)', querystring: s.labelsQuery, response: { 200: list(s.labelSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await labels.list(req.ctx, req.query);
      return { items: items.map(presentLabel), nextCursor };
    });

    app.get('/api/sensing/models', {
      schema: { tags, summary: 'Versions of the sensing model, newest first, with their training and figures (administrators; never the artifact)', response: { 200: z.object({ items: z.array(s.modelSchema) }) } },
    }, async (req) => ({ items: (await models.list(req.ctx)).map(presentModel) }));

    app.post('/api/sensing/models/retrain', {
      schema: { tags, summary: 'Queue a retrain now: a candidate from the base set and the labels, promoted only if it measures at least as well (administrators)', response: { 202: s.retrainQueued } },
    }, async (req, reply) => reply.code(202).send({ jobId: await models.retrainNow(req.ctx) }));

    app.post('/api/sensing/models/:id/promote', {
      schema: { tags, summary: 'Make a version the current model; the current one is retired (administrators)', params: s.idParams, body: s.reasonBody, response: { 200: s.modelSchema } },
    }, async (req) => presentModel(await models.promote(req.ctx, req.params.id, req.body.reason)));

    app.post('/api/sensing/models/rollback', {
      schema: { tags, summary: 'Retire the current model and bring back the one promoted before it (administrators)', body: s.reasonBody, response: { 200: s.modelSchema } },
    }, async (req) => presentModel(await models.rollback(req.ctx, req.body.reason)));
  };
}
