import { z } from 'zod';
import { idParam } from '../../core/fields.ts';

export const auditQuery = z.object({
  action: z.string().max(64).optional(),
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(64).optional(),
  actorUserId: idParam.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const auditEntry = z.object({
  id: z.number(), at: z.string(), actorUserId: z.number().nullable(), actorUsername: z.string().nullable(), action: z.string(),
  subjectType: z.string(), subjectId: z.string().nullable(), ip: z.string().nullable(), requestId: z.string().nullable(), details: z.record(z.string(), z.unknown()),
});
