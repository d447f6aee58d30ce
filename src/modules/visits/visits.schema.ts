import { z } from 'zod';
import { idField, idParam } from '../../core/fields.ts';

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a photo hash returned by POST /api/files');

export const createBody = z.object({
  gridId: idField,
  householdIds: z.array(idField).min(1, 'pick at least one household').max(100, 'at most 100 households per visit'),
  note: z.string().trim().max(2000).default(''),
  photos: z.array(hash).max(9, 'at most 9 photos').default([]),
  at: z.iso.datetime({ offset: true }).optional().describe('when the visit happened (a draft sent later keeps its time); not in the future; default now'),
  clientId: z.uuid().optional().describe('idempotency key: the same clientId by the same user answers 200 with the visit it made'),
});

export const listQuery = z.object({
  gridId: idParam,
  from: z.iso.date().optional().describe('first day (Beijing time), inclusive'),
  to: z.iso.date().optional().describe('last day (Beijing time), inclusive'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const visitSchema = z.object({
  id: z.number(), gridId: z.number(), at: z.string(), note: z.string(),
  by: z.object({ id: z.number(), name: z.string() }),
  households: z.array(z.object({ id: z.number(), room: z.string(), buildingId: z.number().nullable(), buildingName: z.string().nullable() })),
  photos: z.array(z.string()),
});
