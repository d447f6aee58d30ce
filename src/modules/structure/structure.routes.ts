import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageSchema } from '../../core/cursor.ts';
import type { GridService } from './grid.service.ts';
import type { OrganisationService } from './organisation.service.ts';
import { presentBoard, presentBoundaries, presentBuilding, presentDepartment, presentFigures, presentGroup, presentHousehold, presentNode } from './structure.presenter.ts';
import * as s from './structure.schema.ts';
import type { StructureService } from './structure.service.ts';

const list = pageSchema;
const empty = { 204: z.null() };

export function structureRoutes(structure: StructureService, grids: GridService, organisation: OrganisationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/nodes', {
      schema: { tags: ['structure'], summary: 'List nodes of the tree (public), ordered by code', querystring: s.nodeListQuery, response: { 200: list(s.nodeSchema) } },
    }, async (req) => {
      const { items, nextCursor, figures } = await structure.listNodes(req.query);
      return { items: items.map((n) => presentNode(n, figures?.get(n.id))), nextCursor };
    });

    app.get('/api/nodes/:id', {
      schema: { tags: ['structure'], summary: 'One node with boundary, ancestors and rolled-up figures (public)', params: s.idParams, response: { 200: s.nodeDetailSchema } },
    }, async (req) => {
      const { node, ancestors, figures } = await structure.getNodeDetail(req.params.id);
      return { ...presentNode(node), boundary: node.boundary, ancestors, figures: presentFigures(figures) };
    });

    app.post('/api/nodes', {
      schema: { tags: ['structure'], summary: 'Create a node under a parent (administrators)', body: s.createNodeBody, response: { 201: z.object({ id: z.number() }) } },
    }, async (req, reply) => reply.code(201).send({ id: (await structure.createNode(req.ctx, req.body)).id }));

    app.patch('/api/nodes/:id', {
      schema: { tags: ['structure'], summary: 'Rename a node, change its kind or boundary', params: s.idParams, body: s.updateNodeBody, response: empty },
    }, async (req, reply) => {
      await structure.updateNode(req.ctx, req.params.id, req.body);
      return reply.code(204).send(null);
    });

    app.post('/api/nodes/:id/move', {
      schema: { tags: ['structure'], summary: 'Move a node (and its subtree) under another parent; codes follow', params: s.idParams, body: s.moveNodeBody, response: empty },
    }, async (req, reply) => {
      await structure.moveNode(req.ctx, req.params.id, req.body.parentId);
      return reply.code(204).send(null);
    });

    app.post('/api/nodes/:id/retire', {
      schema: { tags: ['structure'], summary: 'Retire a node (kept for history; never deleted once used)', params: s.idParams, body: s.retireNodeBody, response: empty },
    }, async (req, reply) => {
      await structure.retireNode(req.ctx, req.params.id, req.body.cascade);
      return reply.code(204).send(null);
    });

    app.delete('/api/nodes/:id', {
      schema: { tags: ['structure'], summary: 'Delete a node nothing refers to (a mistake); otherwise NODE_IN_USE', params: s.idParams, response: empty },
    }, async (req, reply) => {
      await structure.deleteNode(req.ctx, req.params.id);
      return reply.code(204).send(null);
    });

    app.get('/api/geo/locate', {
      schema: { tags: ['structure'], summary: 'Which grid holds a point (WGS-84 or GCJ-02)', querystring: s.locateQuery, response: { 200: s.locateResult } },
    }, async (req) => structure.locate(req.query.lng, req.query.lat, req.query.crs));

    app.get('/api/geo/boundaries', {
      schema: { tags: ['structure'], summary: 'Boundaries of the towns, communities or grids under a node, as GeoJSON in WGS-84 (public, for maps)', querystring: s.boundariesQuery, response: { 200: s.boundariesResult } },
    }, async (req, reply) => {
      reply.header('cache-control', 'no-cache');
      return presentBoundaries(await structure.boundaries(req.query.kind, req.query.under));
    });

    app.get('/api/buildings', {
      schema: { tags: ['grid'], summary: "A grid's buildings and units (grid staff)", querystring: s.gridQuery, response: { 200: z.object({ items: z.array(s.buildingSchema) }) } },
    }, async (req) => ({ items: (await grids.listBuildings(req.ctx, req.query.gridId)).map(presentBuilding) }));

    app.post('/api/buildings', {
      schema: { tags: ['grid'], summary: 'Add a building with its units to a grid', body: s.createBuildingBody, response: { 201: s.buildingSchema } },
    }, async (req, reply) => reply.code(201).send(presentBuilding(await grids.createBuilding(req.ctx, req.body))));

    app.get('/api/households', {
      schema: { tags: ['grid'], summary: "A grid's households (grid staff)", querystring: s.householdQuery, response: { 200: list(s.householdSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await grids.listHouseholds(req.ctx, req.query);
      return { items: items.map(presentHousehold), nextCursor };
    });

    app.post('/api/households', {
      schema: { tags: ['grid'], summary: 'Add a household', body: s.createHouseholdBody, response: { 201: s.householdSchema } },
    }, async (req, reply) => reply.code(201).send(presentHousehold(await grids.createHousehold(req.ctx, req.body))));

    app.get('/api/online-groups', {
      schema: { tags: ['grid'], summary: 'Online grids (chat groups) in my scope', querystring: s.groupQuery, response: { 200: list(s.groupSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await grids.listGroups(req.ctx, req.query);
      return { items: items.map(presentGroup), nextCursor };
    });

    app.post('/api/online-groups', {
      schema: { tags: ['grid'], summary: 'Bind a chat group to a physical grid', body: s.createGroupBody, response: { 201: s.groupSchema } },
    }, async (req, reply) => reply.code(201).send(presentGroup(await grids.createGroup(req.ctx, req.body))));

    app.patch('/api/online-groups/:id', {
      schema: { tags: ['grid'], summary: 'Rename, rebind or retire a chat group', params: s.idParams, body: s.updateGroupBody, response: { 200: s.groupSchema } },
    }, async (req) => presentGroup(await grids.updateGroup(req.ctx, req.params.id, req.body)));

    app.get('/api/boards', {
      schema: { tags: ['organisation'], summary: "A centre's boards and posts (staff)", querystring: s.organisationQuery, response: { 200: z.object({ items: z.array(s.boardSchema) }) } },
    }, async (req) => ({ items: (await organisation.listBoards(req.ctx, req.query.nodeId)).map(presentBoard) }));

    app.post('/api/boards', {
      schema: { tags: ['organisation'], summary: 'Create a board at a town or district centre', body: s.createBoardBody, response: { 201: s.boardSchema } },
    }, async (req, reply) => reply.code(201).send(presentBoard(await organisation.createBoard(req.ctx, req.body))));

    app.post('/api/boards/:id/posts', {
      schema: { tags: ['organisation'], summary: 'Add a post to a board', params: s.idParams, body: s.createPostBody, response: { 201: z.object({ id: z.number(), name: z.string() }) } },
    }, async (req, reply) => {
      const post = await organisation.createPost(req.ctx, req.params.id, req.body.name);
      return reply.code(201).send({ id: post.id, name: post.name });
    });

    app.get('/api/departments', {
      schema: { tags: ['organisation'], summary: 'Departments and joint-duty posts serving a node (staff)', querystring: s.organisationQuery, response: { 200: z.object({ items: z.array(s.departmentSchema) }) } },
    }, async (req) => ({ items: (await organisation.listDepartments(req.ctx, req.query.nodeId)).map(presentDepartment) }));

    app.post('/api/departments', {
      schema: { tags: ['organisation'], summary: 'Create a department or joint-duty post', body: s.createDepartmentBody, response: { 201: s.departmentSchema } },
    }, async (req, reply) => reply.code(201).send(presentDepartment(await organisation.createDepartment(req.ctx, req.body))));
  };
}
