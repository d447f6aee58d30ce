import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { pageSchema } from '../../core/cursor.ts';
import { presentResident, presentReveal, presentUser } from './people.presenter.ts';
import * as s from './people.schema.ts';
import type { PeopleService } from './people.service.ts';
import type { UsersService } from './users.service.ts';

const list = pageSchema;

export function peopleRoutes(people: PeopleService, users: UsersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/residents', {
      schema: { tags: ['people'], summary: 'Residents in my scope, numbers masked; filter by grid, household, name or an exact number', querystring: s.residentQuery, response: { 200: list(s.residentSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await people.listResidents(req.ctx, req.query);
      return { items: items.map(presentResident), nextCursor };
    });

    app.get('/api/residents/:id', {
      schema: { tags: ['people'], summary: 'One resident, numbers masked', params: s.idParams, response: { 200: s.residentSchema } },
    }, async (req) => presentResident(await people.getResident(req.ctx, req.params.id)));

    app.post('/api/residents', {
      schema: { tags: ['people'], summary: 'Register a resident (grid staff)', body: s.createResidentBody, response: { 201: s.residentSchema } },
    }, async (req, reply) => reply.code(201).send(presentResident(await people.createResident(req.ctx, req.body))));

    app.patch('/api/residents/:id', {
      schema: { tags: ['people'], summary: "Change a resident's household, name, phone or status", params: s.idParams, body: s.updateResidentBody, response: { 200: s.residentSchema } },
    }, async (req) => presentResident(await people.updateResident(req.ctx, req.params.id, req.body)));

    app.post('/api/residents/:id/reveal', {
      schema: { tags: ['people'], summary: 'Show full phone or ID number with a reason (audited; only roles that need it)', params: s.idParams, body: s.revealBody, response: { 200: s.revealResult } },
    }, async (req) => presentReveal(await people.reveal(req.ctx, req.params.id, req.body)));

    app.get('/api/users', {
      schema: { tags: ['people'], summary: 'Accounts with roles in my scope (administrators)', querystring: s.userQuery, response: { 200: list(s.userSchema) } },
    }, async (req) => {
      const { items, nextCursor } = await users.list(req.ctx, req.query);
      return { items: items.map(presentUser), nextCursor };
    });

    app.get('/api/users/:id', {
      schema: { tags: ['people'], summary: 'One account with its roles', params: s.idParams, response: { 200: s.userSchema } },
    }, async (req) => presentUser(await users.get(req.ctx, req.params.id)));

    app.post('/api/users', {
      schema: { tags: ['people'], summary: 'Create an account with at least one scoped role', body: s.createUserBody, response: { 201: s.userSchema } },
    }, async (req, reply) => reply.code(201).send(presentUser(await users.create(req.ctx, req.body))));

    app.patch('/api/users/:id', {
      schema: { tags: ['people'], summary: 'Rename, disable or reset the password of an account', params: s.idParams, body: s.updateUserBody, response: { 200: s.userSchema } },
    }, async (req) => presentUser(await users.update(req.ctx, req.params.id, req.body)));

    app.post('/api/users/:id/roles', {
      schema: { tags: ['people'], summary: 'Grant a scoped role', params: s.idParams, body: s.roleBody, response: { 201: z.object({ id: z.number() }) } },
    }, async (req, reply) => reply.code(201).send({ id: await users.addRole(req.ctx, req.params.id, req.body) }));

    app.delete('/api/users/:id/roles/:roleId', {
      schema: { tags: ['people'], summary: 'End a role (kept in history)', params: s.idParams.extend({ roleId: idParam }), response: { 204: z.null() } },
    }, async (req, reply) => {
      await users.endRole(req.ctx, req.params.id, req.params.roleId);
      return reply.code(204).send(null);
    });
  };
}
