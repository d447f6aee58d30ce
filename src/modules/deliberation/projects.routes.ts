import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { presentProject } from './projects.presenter.ts';
import * as s from './projects.schema.ts';
import type { ProjectsService } from './projects.service.ts';

const tags = ['deliberation'];
const projectParams = z.object({ id: idParam });

/** Implementation (实施) over HTTP: a decided topic's project, its milestones, photos, the matters it sends and its completion. */
export function projectsRoutes(projects: ProjectsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/topics/:id/project', {
      schema: { tags, summary: 'Start implementing a decided topic (开始实施): milestones, owner departments, photos before', params: projectParams, body: s.startProjectBody, response: { 201: s.projectSchema } },
    }, async (req, reply) => reply.code(201).send(presentProject(await projects.start(req.ctx, req.params.id, req.body))));

    app.get('/api/topics/:id/project', {
      schema: { tags, summary: 'The topic\'s implementation project with its progress (实施进度)', params: projectParams, response: { 200: s.projectSchema } },
    }, async (req) => presentProject(await projects.view(req.ctx, req.params.id)));

    app.post('/api/projects/:id/milestones/:milestoneId', {
      schema: { tags, summary: 'Report a milestone\'s progress (0-100)', params: z.object({ id: idParam, milestoneId: idParam }), body: s.milestoneBody, response: { 200: s.projectSchema } },
    }, async (req) => presentProject(await projects.milestone(req.ctx, req.params.id, req.params.milestoneId, req.body)));

    app.post('/api/projects/:id/photos', {
      schema: { tags, summary: 'Add photos before, during or after the work', params: projectParams, body: s.projectPhotosBody, response: { 200: s.projectSchema } },
    }, async (req) => presentProject(await projects.photos(req.ctx, req.params.id, req.body)));

    app.post('/api/projects/:id/matters', {
      schema: {
        tags, summary: 'Send a matter from the project into the closed loop (source deliberation), for the centre to dispatch to a department',
        params: projectParams, body: s.projectMatterBody, response: { 201: s.projectSchema.extend({ matterId: z.number() }) },
      },
    }, async (req, reply) => {
      const { matterId, ...view } = await projects.matter(req.ctx, req.params.id, req.body);
      return reply.code(201).send({ ...presentProject(view), matterId });
    });

    app.post('/api/projects/:id/complete', {
      schema: { tags, summary: 'Confirm the project built (确认建成): every milestone done and a photo of the result', params: projectParams, body: s.completeProjectBody, response: { 200: s.projectSchema } },
    }, async (req) => presentProject(await projects.complete(req.ctx, req.params.id, req.body)));
  };
}
