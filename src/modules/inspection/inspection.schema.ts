import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a photo hash returned by POST /api/files');

const pointInput = z.object({
  gridId: idField,
  name: z.string().trim().min(1, 'name the point').max(100),
  lng: z.number().min(-180).max(180).optional().describe('WGS-84; must lie inside the grid'),
  lat: z.number().min(-90).max(90).optional(),
}).refine((p) => (p.lng === undefined) === (p.lat === undefined), { message: 'give both lng and lat, or neither' });

export const createBody = z.object({
  nodeId: idField.describe('the town (or district, community) whose centre pushes the task'),
  title: z.string().trim().min(2, 'give the task a title').max(100),
  description: z.string().trim().max(2000).default(''),
  categoryCode: z.string().trim().min(1).max(20).optional().describe('category of the matters raised from abnormal points, e.g. S09001 积水点排查'),
  dueAt: z.iso.datetime({ offset: true }).describe('must be in the future'),
  urgent: z.boolean().default(false).describe('matters raised from abnormal points are urgent'),
  points: z.array(pointInput).min(1, 'give at least one point').max(2000, 'at most 2000 points per task'),
});

export const listQuery = z.object({
  nodeId: idParam.optional().describe('only points under this node'),
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const mineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const checkBody = z.object({
  state: z.enum(['normal', 'abnormal']),
  note: z.string().trim().max(500).optional(),
  photos: z.array(hash).max(9, 'at most 9 photos').default([]),
});

export const idParams = z.object({ id: idParam });
export const pointParams = z.object({ id: idParam, pointId: idParam });

const counts = { total: z.number(), normal: z.number(), abnormal: z.number(), pending: z.number() };
export const progressSchema = z.object({
  grids: z.array(z.object({ gridId: z.number(), gridName: z.string(), ...counts })),
  totals: z.object(counts),
});

export const pointSchema = z.object({
  id: z.number(), gridId: z.number(), gridName: z.string(), name: z.string(), lng: z.number().nullable(), lat: z.number().nullable(),
  state: z.enum(['pending', 'normal', 'abnormal']), note: z.string().nullable(), checkedAt: z.string().nullable(),
  checkedBy: z.object({ id: z.number(), name: z.string() }).nullable(), matterId: z.number().nullable(),
});

export const taskSchema = z.object({
  id: z.number(), nodeId: z.number(), nodeName: z.string(), title: z.string(), description: z.string(),
  category: z.object({ code: z.string(), name: z.string() }).nullable(), urgent: z.boolean(), dueAt: z.string(),
  status: z.enum(['open', 'closed']), overdue: z.boolean().describe('open past its due time'), createdAt: z.string(),
  createdBy: z.object({ id: z.number(), name: z.string() }).nullable(), progress: progressSchema,
});

export const taskDetailSchema = taskSchema.extend({ points: z.array(pointSchema) });
export const checkResultSchema = z.object({ point: pointSchema, progress: progressSchema });
