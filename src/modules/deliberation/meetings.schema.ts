import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';
import { ATTENDANCE_VIAS, ITEM_KINDS, ITEM_STATES, MEETING_KINDS, MEETING_STATES } from '../../core/vocabulary.ts';

export const idParams = z.object({ id: idParam });
export const agendaParams = z.object({ id: idParam, itemId: idParam });
const limit = z.coerce.number().int().min(1).max(200).default(50);
const cursor = z.string().max(200).optional();

// ---- grid stations (网格驿站) ----
export const stationBody = z.object({
  nodeId: idField, name: z.string().trim().min(1, 'give the station a name').max(60),
  brand: z.string().trim().max(30).default('').describe('the station brand (连心桥, 一家亲 …), free text'), address: z.string().trim().max(200).default(''),
});
export const stationQuery = z.object({ nodeId: idParam });
export const stationSchema = z.object({ id: z.number(), nodeId: z.number(), nodeName: z.string(), name: z.string(), brand: z.string(), address: z.string(), createdAt: z.string() });

// ---- meetings (议事会) ----
export const meetingBody = z.object({
  nodeId: idField.describe('a grid or community'), kind: z.enum(MEETING_KINDS), title: z.string().trim().min(1, 'give the meeting a title').max(80),
  place: z.string().trim().max(200).default(''), startsAt: z.iso.datetime({ offset: true }), stationId: idField.optional(), topicId: idField.optional(),
  agenda: z.array(z.object({ title: z.string().trim().min(1).max(120), topicId: idField.optional() })).max(50).default([]),
});
export const meetingQuery = z.object({ nodeId: idParam, state: z.enum(MEETING_STATES).optional(), limit, cursor });
export const agendaItemSchema = z.object({
  id: z.number(), position: z.number(), title: z.string(), topicId: z.number().nullable(), itemId: z.number().nullable(),
  itemState: z.enum(ITEM_STATES).nullable().describe('the pending item\'s state now'), outcome: z.string(), stateAfter: z.enum(ITEM_STATES).nullable(),
});
export const meetingItem = z.object({
  id: z.number(), nodeId: z.number(), nodeName: z.string(), kind: z.enum(MEETING_KINDS), title: z.string(), place: z.string(), startsAt: z.string(),
  state: z.enum(MEETING_STATES), topicId: z.number().nullable(), stationId: z.number().nullable(),
});
export const meetingSchema = meetingItem.extend({
  station: stationSchema.nullable(), agenda: z.array(agendaItemSchema), attendance: z.number(),
  attendees: z.array(z.object({ name: z.string(), via: z.enum(ATTENDANCE_VIAS), at: z.string() })).nullable().describe('organisers only; residents masked'),
  minutes: z.string(), openedAt: z.string().nullable(), closedAt: z.string().nullable(), mayOrganise: z.boolean(),
});
export const openSchema = meetingSchema.extend({ checkin: z.object({ code: z.string(), url: z.string(), qrSvg: z.string() }) });
export const checkinBody = z.object({ code: z.string().trim().max(12), via: z.enum(['code', 'qr']).default('code') });
export const attendanceBody = z.object({ residentId: idField });
export const attendeeSchema = z.object({ id: z.number(), meetingId: z.number(), name: z.string(), via: z.enum(ATTENDANCE_VIAS), at: z.string() });
export const outcomeBody = z.object({ outcome: z.string().trim().min(1, 'say what the meeting decided').max(2000), stateAfter: z.enum(ITEM_STATES).optional() });
export const closeBody = z.object({ minutes: z.string().trim().max(20000).default('') });

// ---- pending items (三事分流工作日志) ----
export const itemBody = z.object({
  nodeId: idField, title: z.string().trim().min(1, 'give the item a title').max(120), kind: z.enum(ITEM_KINDS), owner: z.string().trim().max(60).default(''),
  departmentId: idField.optional(), topicId: idField.optional(), matterId: idField.optional(), meetingId: idField.optional(),
});
export const itemQuery = z.object({ nodeId: idParam, state: z.enum(ITEM_STATES).optional(), limit, cursor });
export const itemChangeBody = z.object({ state: z.enum(ITEM_STATES), owner: z.string().trim().max(60).optional() });
export const itemSchema = z.object({
  id: z.number(), nodeId: z.number(), title: z.string(), kind: z.enum(ITEM_KINDS), owner: z.string(), departmentId: z.number().nullable(), state: z.enum(ITEM_STATES),
  topicId: z.number().nullable(), matterId: z.number().nullable(), meetingId: z.number().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
export const stationListSchema = z.object({ items: z.array(stationSchema) });
