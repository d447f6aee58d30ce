import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageSchema } from '../../core/cursor.ts';
import { presentAttendee, presentItem, presentMeeting, presentMeetingItem, presentStation } from './meetings.presenter.ts';
import * as s from './meetings.schema.ts';
import type { MeetingsService } from './meetings.service.ts';

const tags = ['deliberation'];

/** Meetings (议事会), grid stations (网格驿站), attendance and the pending-items log (三事分流工作日志) over HTTP. */
export function meetingsRoutes(meetings: MeetingsService): FastifyPluginAsyncZod {
  return async (app) => {
    const shown = async (ctx: Parameters<MeetingsService['detail']>[0], id: number) => presentMeeting(await meetings.detail(ctx, id));

    app.post('/api/grid-stations', { schema: { tags, summary: 'Add a grid station (网格驿站) where meetings are held', body: s.stationBody, response: { 201: s.stationSchema } } },
      async (req, reply) => reply.code(201).send(presentStation(await meetings.addStation(req.ctx, req.body))));

    app.get('/api/grid-stations', { schema: { tags, summary: 'The grid stations at and below a node', querystring: s.stationQuery, response: { 200: s.stationListSchema } } },
      async (req) => ({ items: (await meetings.stations(req.ctx, req.query.nodeId)).map(presentStation) }));

    app.post('/api/meetings', { schema: { tags, summary: 'Plan a meeting; a neighbourhood or review meeting carries the open pending items of its subtree', body: s.meetingBody, response: { 201: s.meetingSchema } } },
      async (req, reply) => reply.code(201).send(await shown(req.ctx, await meetings.create(req.ctx, req.body))));

    app.get('/api/meetings', { schema: { tags, summary: 'Meetings at and below a node, newest start first', querystring: s.meetingQuery, response: { 200: pageSchema(s.meetingItem) } } },
      async (req) => {
        const { items, nextCursor } = await meetings.list(req.ctx, req.query);
        return { items: items.map(presentMeetingItem), nextCursor };
      });

    app.get('/api/meetings/:id', { schema: { tags, summary: 'One meeting: agenda, attendance (names to organisers only, residents masked), minutes, station', params: s.idParams, response: { 200: s.meetingSchema } } },
      async (req) => shown(req.ctx, req.params.id));

    app.post('/api/meetings/:id/open', { schema: { tags, summary: 'Open the meeting: a fresh check-in code, its URL and QR code, for organisers', params: s.idParams, response: { 200: s.openSchema } } },
      async (req) => {
        const checkin = await meetings.open(req.ctx, req.params.id);
        return { ...(await shown(req.ctx, req.params.id)), checkin };
      });

    app.post('/api/meetings/:id/checkin', { schema: { tags, summary: 'Check in with the code or QR; a second check-in answers 200 with the first', params: s.idParams, body: s.checkinBody, response: { 200: s.attendeeSchema, 201: s.attendeeSchema } } },
      async (req, reply) => {
        const { created, attendee } = await meetings.checkin(req.ctx, req.params.id, req.body);
        return reply.code(created ? 201 : 200).send(presentAttendee(attendee));
      });

    app.post('/api/meetings/:id/attendance', { schema: { tags, summary: 'Organisers record a resident as present (by staff)', params: s.idParams, body: s.attendanceBody, response: { 200: s.attendeeSchema, 201: s.attendeeSchema } } },
      async (req, reply) => {
        const { created, attendee } = await meetings.record(req.ctx, req.params.id, req.body.residentId);
        return reply.code(created ? 201 : 200).send(presentAttendee(attendee));
      });

    app.post('/api/meetings/:id/agenda/:itemId', { schema: { tags, summary: 'Record what the meeting said on an agenda item; stateAfter moves its pending item', params: s.agendaParams, body: s.outcomeBody, response: { 200: s.meetingSchema } } },
      async (req) => {
        await meetings.outcome(req.ctx, req.params.id, req.params.itemId, req.body);
        return shown(req.ctx, req.params.id);
      });

    app.post('/api/meetings/:id/close', { schema: { tags, summary: 'Close the meeting with its minutes', params: s.idParams, body: s.closeBody, response: { 200: s.meetingSchema } } },
      async (req) => {
        await meetings.close(req.ctx, req.params.id, req.body.minutes);
        return shown(req.ctx, req.params.id);
      });

    app.post('/api/pending-items', { schema: { tags, summary: 'Add a pending item (家事/共事/公事) to the log', body: s.itemBody, response: { 201: s.itemSchema } } },
      async (req, reply) => reply.code(201).send(presentItem(await meetings.addItem(req.ctx, req.body))));

    app.get('/api/pending-items', { schema: { tags, summary: 'The pending-items log at and below a node, newest first', querystring: s.itemQuery, response: { 200: pageSchema(s.itemSchema) } } },
      async (req) => {
        const { items, nextCursor } = await meetings.items(req.ctx, req.query);
        return { items: items.map(presentItem), nextCursor };
      });

    app.post('/api/pending-items/:id', { schema: { tags, summary: "Change a pending item's state or owner", params: s.idParams, body: s.itemChangeBody, response: { 200: s.itemSchema } } },
      async (req) => presentItem(await meetings.changeItem(req.ctx, req.params.id, req.body)));
  };
}
